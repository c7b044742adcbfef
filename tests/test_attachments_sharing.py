"""Attachments in collections (extensions.md sections 3 and 8): members read them, a removed member
cannot, and a rotation, a move or a deletion re-seals each file's header, never its chunks."""

import secrets

from conftest import execute_raw
from oppmini.seal import files
from oppmini.seal.crypto import SealError
from oppmini.seal.files import CHUNK_BYTES
from test_attachments import download, remove, upload
from test_sharing_rotation import stolen_key


def stored(db_url, attachment_id):
    """(the header record, every chunk's bytes in order) as the database holds them."""
    ((header,),) = execute_raw(
        db_url, "SELECT sealed_header FROM attachments WHERE attachment_id = ?", (attachment_id,)
    )
    chunks = execute_raw(
        db_url,
        "SELECT sealed_chunk FROM attachment_chunks WHERE attachment_id = ? ORDER BY chunk_index",
        (attachment_id,),
    )
    return bytes(header), [bytes(chunk) for (chunk,) in chunks]


def header_opens(key, item_id, attachment_id, record):
    try:
        files.open_header(key, item_id, attachment_id, record)
        return True
    except SealError:
        return False


def test_a_member_reads_a_shared_file_a_removed_one_cannot_and_rotation_leaves_the_chunks(app, db_url, alice, bob):
    family = alice.new_collection()
    (item,) = alice.add_items({"name": "Insurance", "collection_id": family})
    data = secrets.token_bytes(2 * CHUNK_BYTES + 5)
    attachment = upload(alice, item["id"], data, name="policy.pdf")["attachment"]
    alice.add(family, bob="read")
    assert download(bob, item["id"], attachment["id"]).body == data
    assert bob.get("items")["items"][0]["attachments"][0]["name"] == "policy.pdf"
    # Reading is not writing.
    assert upload(bob, item["id"], b"mine now", status=403)["error"] == "Not allowed in this collection!"
    assert remove(bob, item["id"], attachment["id"], status=403)["error"] == "Not allowed in this collection!"

    old_key = stolen_key(app, db_url, "bob", family)
    header_before, chunks_before = stored(db_url, attachment["id"])
    assert header_opens(old_key, item["id"], attachment["id"], header_before)
    alice.remove(family, "bob")

    assert download(bob, item["id"], attachment["id"], status=404).json["error"] == "Not Found"
    header_after, chunks_after = stored(db_url, attachment["id"])
    assert chunks_after == chunks_before  # not one chunk rewritten
    assert header_after != header_before
    assert not header_opens(old_key, item["id"], attachment["id"], header_after)
    assert download(alice, item["id"], attachment["id"]).body == data


def test_a_file_moves_with_its_item_into_a_collection_and_back(db_url, alice, bob):
    family = alice.new_collection()
    alice.add(family, bob="write")
    (item,) = alice.add_items({"name": "Passport"})
    attachment = upload(alice, item["id"], b"scan", name="passport.png", media_type="image/png")["attachment"]
    _, chunks_before = stored(db_url, attachment["id"])

    alice.post("items", {"items": [{"id": item["id"], "collection_id": family}]})
    assert download(bob, item["id"], attachment["id"]).body == b"scan"
    alice.post("items", {"items": [{"id": item["id"], "collection_id": None}]})
    assert download(alice, item["id"], attachment["id"]).body == b"scan"
    assert download(bob, item["id"], attachment["id"], status=404).json["error"] == "Not Found"
    assert stored(db_url, attachment["id"])[1] == chunks_before


def test_a_deleted_collections_files_go_with_its_items_to_the_managers_trash(alice, bob):
    family = alice.new_collection()
    alice.add(family, bob="write")
    (item,) = bob.add_items({"name": "Deeds", "collection_id": family})
    attachment = upload(bob, item["id"], b"deed", name="deed.pdf")["attachment"]
    alice.delete_collections(family)
    alice.post("trash", {"ids": [item["id"]]})
    assert download(alice, item["id"], attachment["id"]).body == b"deed"
    assert download(bob, item["id"], attachment["id"], status=404).json["error"] == "Not Found"


def test_a_departing_members_files_stay_with_the_collections_items(alice, bob, client):
    from conftest import PASSWORD

    family = alice.new_collection()
    alice.add(family, bob="write")
    (item,) = alice.add_items({"name": "Car", "collection_id": family})
    attachment = upload(bob, item["id"], b"registration", name="car.pdf")["attachment"]
    client.delete_json("/v1/user", {"username": "bob", "password": PASSWORD, "phrase": "bob passphrase"})
    assert download(alice, item["id"], attachment["id"]).body == b"registration"
