"""Attachments (extensions.md section 8): upload, download, delete, limits, trash, damage, on both databases."""

import base64
import hashlib
import secrets
from urllib.parse import quote

import pytest
import webtest

from conftest import execute_raw
from oppmini.seal.files import CHUNK_BYTES, ChunkCipher, FileHeader
from oppmini.transfer.exporting import base64_pieces
from oppmini.vault.attachments import storing
from oppmini.vault.attachments.storing import chunked
from oppmini.web.app import make_app

KIB = 1024
MIB = 1024 * KIB


def upload(vault, item_id, data, name="scan.pdf", media_type="application/pdf", status=200):
    headers = {**vault.headers, "Content-Type": media_type}
    url = f"/v1/items/{item_id}/attachments?name={quote(name)}"
    return vault.client.post(url, data, headers=headers, status=status).json


def download(vault, item_id, attachment_id, status=200):
    url = f"/v1/items/{item_id}/attachments/{attachment_id}"
    return vault.client.get(url, headers=vault.headers, status=status)


def remove(vault, item_id, attachment_id, status=200):
    url = f"/v1/items/{item_id}/attachments/{attachment_id}"
    return vault.client.delete(url, headers={"x-opp-jwt": vault.headers["x-opp-jwt"]}, status=status).json


@pytest.fixture
def item(vault):
    return vault.add_items({"name": "Passport"})[0]


@pytest.mark.parametrize("size", [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES])
def test_a_file_comes_back_byte_for_byte(vault, item, size):
    data = secrets.token_bytes(size)
    answer = upload(vault, item["id"], data)
    attachment = answer["attachment"]
    assert answer["result"] == "success"
    assert attachment["name"] == "scan.pdf"
    assert attachment["size"] == size
    assert attachment["content_type"] == "application/pdf"
    back = download(vault, item["id"], attachment["id"])
    assert hashlib.sha256(back.body).hexdigest() == hashlib.sha256(data).hexdigest()
    assert back.headers["Content-Type"] == "application/pdf"
    assert back.headers["Content-Length"] == str(size)
    assert back.headers["Content-Disposition"].startswith("attachment;")


def test_item_answers_list_their_files_and_a_deleted_one_is_gone(vault, item):
    first = upload(vault, item["id"], b"one", name="a.txt", media_type="text/plain")["attachment"]
    second = upload(vault, item["id"], b"two!", name="Reisepass \u00fc.pdf")["attachment"]
    listed = [
        {"id": first["id"], "name": "a.txt", "size": 3, "content_type": "text/plain"},
        {"id": second["id"], "name": "Reisepass \u00fc.pdf", "size": 4, "content_type": "application/pdf"},
    ]
    assert vault.get("items")["items"][0]["attachments"] == listed
    assert vault.get("fetchall")["items"][0]["attachments"] == listed
    disposition = download(vault, item["id"], second["id"]).headers["Content-Disposition"]
    assert disposition == "attachment; filename=\"Reisepass _.pdf\"; filename*=UTF-8''Reisepass%20%C3%BC.pdf"
    assert remove(vault, item["id"], first["id"]) == {"result": "success"}
    assert vault.get("items")["items"][0]["attachments"] == listed[1:]
    assert download(vault, item["id"], first["id"], status=404).json["error"] == "Not Found"
    assert remove(vault, item["id"], first["id"], status=404)["description"] == (
        f'Attachment "{first["id"]}" does not exist or is not yours.'
    )


def test_another_users_item_and_file_are_not_found(vault, item, client, auth):
    from conftest import Vault

    attachment = upload(vault, item["id"], b"mine")["attachment"]
    mallory = Vault(client, auth.user("mallory"))
    assert download(mallory, item["id"], attachment["id"], status=404).json["error"] == "Not Found"
    assert upload(mallory, item["id"], b"x", status=404)["error"] == "Not Found"
    assert remove(mallory, item["id"], attachment["id"], status=404)["error"] == "Not Found"
    assert download(vault, item["id"], attachment["id"]).body == b"mine"


@pytest.mark.parametrize(
    "query, media_type, why",
    [
        ("", "text/plain", "The query parameter 'name' must name the file."),
        ("?name=%20", "text/plain", "The query parameter 'name' must name the file."),
        ("?name=a%0Ab", "text/plain", "The file's name holds control characters or is not valid Unicode."),
        ("?name=" + "n" * 256, "text/plain", "The file's name is longer than 255 characters."),
    ],
)
def test_a_bad_name_is_a_clear_400_and_stores_nothing(vault, item, db_url, query, media_type, why):
    url = f"/v1/items/{item['id']}/attachments{query}"
    answer = vault.client.post(url, b"data", headers={**vault.headers, "Content-Type": media_type}, status=400).json
    assert answer == {"status_code": 400, "error": "Bad Request", "description": why}
    assert execute_raw(db_url, "SELECT COUNT(*) FROM attachments") == [(0,)]


def limited_vault(config, clock, **limits):
    from conftest import Auth, Vault

    client = webtest.TestApp(make_app(config.replace(**limits), clock=clock))
    return Vault(client, Auth(client).user("alice"))


def test_the_size_limit_holds_at_its_boundary(config, clock, db_url):
    vault = limited_vault(config, clock, max_attachment_bytes=100 * KIB)
    item = vault.add_items({"name": "x"})[0]
    assert upload(vault, item["id"], bytes(100 * KIB))["attachment"]["size"] == 100 * KIB
    refused = upload(vault, item["id"], bytes(100 * KIB + 1), status=413)
    assert refused == {
        "status_code": 413,
        "error": "Payload Too Large",
        "description": f"A file may hold at most {100 * KIB} bytes.",
    }
    assert execute_raw(db_url, "SELECT COUNT(*), SUM(size) FROM attachments") == [(1, 100 * KIB)]


def test_the_quota_holds_at_its_boundary_naming_both_figures(config, clock, db_url):
    vault = limited_vault(config, clock, attachment_quota_bytes=200 * KIB)
    item = vault.add_items({"name": "x"})[0]
    upload(vault, item["id"], bytes(150 * KIB))
    upload(vault, item["id"], bytes(50 * KIB))  # exactly full
    refused = upload(vault, item["id"], b"1", status=400)
    assert refused["error"] == "Quota exceeded!"
    assert f"{200 * KIB} bytes of your quota of {200 * KIB} bytes" in refused["description"]
    assert execute_raw(db_url, "SELECT COUNT(*) FROM attachment_chunks") == [(4,)]


def test_a_file_goes_to_the_trash_with_its_item_comes_back_and_is_purged_with_it(vault, item, db_url):
    attachment = upload(vault, item["id"], b"kept with the item")["attachment"]
    vault.delete("items", {"ids": [item["id"]]})
    assert download(vault, item["id"], attachment["id"], status=404).json["error"] == "Not Found"
    assert vault.get("trash")["items"][0]["attachments"][0]["id"] == attachment["id"]
    restored = vault.post("trash", {"ids": [item["id"]]})["items"][0]
    assert restored["attachments"][0]["name"] == "scan.pdf"
    assert download(vault, item["id"], attachment["id"]).body == b"kept with the item"
    vault.delete("items", {"ids": [item["id"]]})
    vault.delete("trash", {"all": True})
    assert execute_raw(db_url, "SELECT COUNT(*) FROM attachments") == [(0,)]
    assert execute_raw(db_url, "SELECT COUNT(*) FROM attachment_chunks") == [(0,)]


def chunks(db_url, attachment_id):
    rows = execute_raw(
        db_url,
        "SELECT chunk_index, sealed_chunk FROM attachment_chunks WHERE attachment_id = ? ORDER BY chunk_index",
        (attachment_id,),
    )
    return [bytes(sealed) for _, sealed in rows]


def write_chunk(db_url, attachment_id, index, sealed):
    execute_raw(
        db_url,
        "UPDATE attachment_chunks SET sealed_chunk = ? WHERE attachment_id = ? AND chunk_index = ?",
        (sealed, attachment_id, index),
    )


def swap(db_url, attachment_id, other_id=None):
    mine = chunks(db_url, attachment_id)
    write_chunk(db_url, attachment_id, 0, mine[1])
    write_chunk(db_url, attachment_id, 1, mine[0])


def reorder(db_url, attachment_id, other_id=None):
    # The rows keep their bytes and trade their indexes.
    for old, new in ((0, 99), (1, 0), (99, 1)):
        execute_raw(
            db_url,
            "UPDATE attachment_chunks SET chunk_index = ? WHERE attachment_id = ? AND chunk_index = ?",
            (new, attachment_id, old),
        )


def from_other_file(db_url, attachment_id, other_id):
    write_chunk(db_url, attachment_id, 1, chunks(db_url, other_id)[1])


def drop(db_url, attachment_id, other_id=None):
    execute_raw(db_url, "DELETE FROM attachment_chunks WHERE attachment_id = ? AND chunk_index = 1", (attachment_id,))


def cut_last(db_url, attachment_id, other_id=None):
    execute_raw(db_url, "DELETE FROM attachment_chunks WHERE attachment_id = ? AND chunk_index = 2", (attachment_id,))
    # The size made to match, so only the last-chunk flag can tell.
    execute_raw(db_url, "UPDATE attachments SET size = ? WHERE attachment_id = ?", (2 * CHUNK_BYTES, attachment_id))


def shorten_last(db_url, attachment_id, other_id=None):
    write_chunk(db_url, attachment_id, 2, chunks(db_url, attachment_id)[2][:-1])


@pytest.fixture(params=["file tag", "each chunk's tag"])
def checked_by(request, monkeypatch):
    """Which check alone must find the damage: the file tag in the sealed header (every chunk's own
    EAX check made to pass), or, for files sealed before file tags (uploaded here without one, as
    those were), each chunk's EAX tag."""
    if request.param == "file tag":
        monkeypatch.setattr(ChunkCipher, "check", lambda *args: True)
    else:
        monkeypatch.setattr(storing, "FileHeader", lambda key, name, media_type, tag: FileHeader(key, name, media_type))
    return request.param


def test_a_file_sealed_before_file_tags_still_comes_back_whole(vault, item, monkeypatch):
    monkeypatch.setattr(storing, "FileHeader", lambda key, name, media_type, tag: FileHeader(key, name, media_type))
    data = secrets.token_bytes(3 * CHUNK_BYTES + 5)
    target = upload(vault, item["id"], data)["attachment"]
    assert download(vault, item["id"], target["id"]).body == data


@pytest.mark.parametrize("damage", [swap, reorder, from_other_file, drop, cut_last, shorten_last])
def test_a_damaged_file_is_a_500_naming_it_and_nothing_else_breaks(vault, item, db_url, damage, checked_by):
    size = 2 * CHUNK_BYTES + 10
    target = upload(vault, item["id"], secrets.token_bytes(size))["attachment"]
    other_data = secrets.token_bytes(size)
    other = upload(vault, item["id"], other_data)["attachment"]
    damage(db_url, target["id"], other["id"])
    answer = download(vault, item["id"], target["id"], status=500).json
    assert answer == {
        "status_code": 500,
        "error": "Unable to decrypt data!",
        "description": f"Attachment {target['id']} failed its integrity check.",
    }
    assert download(vault, item["id"], other["id"]).body == other_data
    assert [file["id"] for file in vault.get("items")["items"][0]["attachments"]] == [target["id"], other["id"]]
    assert remove(vault, item["id"], target["id"]) == {"result": "success"}


def test_a_chunk_damaged_far_into_a_file_is_a_500_before_any_byte_of_it(vault, item, db_url, checked_by):
    # Every chunk is checked before the first is sent, the last reads of chunks too.
    target = upload(vault, item["id"], secrets.token_bytes(20 * CHUNK_BYTES + 3))["attachment"]
    mine = chunks(db_url, target["id"])
    write_chunk(db_url, target["id"], 18, mine[19])
    answer = download(vault, item["id"], target["id"], status=500)
    assert answer.json["description"] == f"Attachment {target['id']} failed its integrity check."
    write_chunk(db_url, target["id"], 18, mine[18])
    write_chunk(db_url, target["id"], 20, mine[20][:-1])
    assert download(vault, item["id"], target["id"], status=500).headers["Content-Type"] == "application/json"


def test_an_oppmini_json_export_holds_the_files_when_asked(vault, item):
    data = secrets.token_bytes(CHUNK_BYTES + 7)
    upload(vault, item["id"], data, name="scan.png", media_type="image/png")
    plain = vault.client.get("/v1/export", headers=vault.headers).json
    assert "attachments" not in plain["items"][0]
    full = vault.client.get("/v1/export?include_attachments=true", headers=vault.headers).json
    (written,) = full["items"][0]["attachments"]
    assert written == {"name": "scan.png", "content_type": "image/png", "data": base64.b64encode(data).decode()}
    refused = vault.client.get(
        "/v1/export?format=bitwarden-json&include_attachments=true", headers=vault.headers, status=400
    ).json
    assert refused["description"] == "'include_attachments' needs format oppmini-json."


def test_an_export_streams_files_of_every_length_whole_and_as_long_as_it_says(vault, item):
    (other,) = vault.add_items({"name": "Policy"})
    sizes = [0, 1, 2, 3, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 2]
    files = [(item if at % 2 else other, f"f{at}.bin", secrets.token_bytes(size)) for at, size in enumerate(sizes)]
    for owner, name, data in files:
        upload(vault, owner["id"], data, name=name)
    answer = vault.client.get("/v1/export?include_attachments=true", headers=vault.headers)
    assert answer.headers["Content-Length"] == str(len(answer.body))
    exported = answer.json
    attached = [one for written_item in exported["items"] for one in written_item["attachments"]]
    written = {one["name"]: base64.b64decode(one["data"], validate=True) for one in attached}
    assert written == {name: data for _, name, data in files}
    # Around the files, the same document as an export without them.
    for exported_item in exported["items"]:
        del exported_item["attachments"]
    assert exported == vault.client.get("/v1/export", headers=vault.headers).json


def test_a_damaged_file_makes_the_export_a_500_naming_it_and_none_is_logged(vault, item, db_url, checked_by):
    target = upload(vault, item["id"], secrets.token_bytes(2 * CHUNK_BYTES + 10))["attachment"]
    swap(db_url, target["id"])
    answer = vault.client.get("/v1/export?include_attachments=true", headers=vault.headers, status=500)
    assert answer.json["description"] == f"Attachment {target['id']} failed its integrity check."
    assert [one for one in vault.get("activity")["events"] if one["event"] == "export"] == []
    vault.client.get("/v1/export", headers=vault.headers)  # without the files, the vault still leaves
    assert [one["event"] for one in vault.get("activity")["events"]].count("export") == 1


@pytest.mark.parametrize("chunk_bytes", [1, 2, 3, 4, 5, 7, 64])
def test_base64_in_pieces_joins_to_the_base64_of_the_whole(chunk_bytes):
    data = secrets.token_bytes(200)
    pieces = list(base64_pieces(data[start : start + chunk_bytes] for start in range(0, len(data), chunk_bytes)))
    assert b"".join(pieces) == base64.b64encode(data)
    assert all(len(piece) % 4 == 0 for piece in pieces) and b"=" not in b"".join(pieces[:-1])


def test_the_quota_answer_says_what_the_files_take(vault, item):
    upload(vault, item["id"], bytes(1000))
    token = {"x-opp-jwt": vault.headers["x-opp-jwt"]}
    assert vault.client.get("/v1/attachments", headers=token).json == {
        "result": "success",
        "used": 1000,
        "quota": 500 * MIB,
        "max_file": 25 * MIB,
    }


@pytest.mark.parametrize("piece_bytes", [1, 1000, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 5 * CHUNK_BYTES])
def test_a_body_in_pieces_of_any_size_is_cut_into_the_same_chunks(piece_bytes):
    data = secrets.token_bytes(3 * CHUNK_BYTES + 5)
    pieces = [data[start : start + piece_bytes] for start in range(0, len(data), piece_bytes)]
    cut = [(index, bytes(chunk), last) for index, chunk, last in chunked(iter(pieces))]
    whole = [data[start : start + CHUNK_BYTES] for start in range(0, len(data), CHUNK_BYTES)]
    assert cut == [(index, chunk, index == 3) for index, chunk in enumerate(whole)]
    assert list(chunked([])) == [(0, b"", True)]
    assert [bytes(chunk) for _, chunk, _ in chunked([data[:CHUNK_BYTES], b""])] == [data[:CHUNK_BYTES]]
