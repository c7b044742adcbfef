"""oppmini-json's files read back (extensions.md §2 and §8): an export made with include_attachments=true
imports whole, byte for byte, into a vault or a collection; a dry run counts the files; a damaged one, or
one past a limit, is left behind with a warning naming its entry and its place, and the rest goes on.

Runs on both backends: the `vault` fixture is parametrised by tests/conftest.py.
"""

import base64
import json
import secrets
from urllib.parse import quote

import webtest

from conftest import Auth, Vault, member
from oppmini.seal.files import CHUNK_BYTES
from oppmini.web.app import make_app

from .test_import_route import post, stored_files


def upload(vault, item_id, name, data, media_type):
    url = f"/v1/items/{item_id}/attachments?name={quote(name)}"
    return vault.client.post(url, data, headers={**vault.headers, "Content-Type": media_type}).json


def exported_with_files(vault):
    return vault.client.get("/v1/export?include_attachments=true", headers=vault.headers).body


def listed_files(vault):
    """{(item name, file name): (size, content type)} of the caller's items."""
    return {
        (item["name"], file["name"]): (file["size"], file["content_type"])
        for item in vault.get("fetchall")["items"]
        for file in item["attachments"]
    }


def test_an_export_with_its_files_imported_into_a_fresh_account_gives_every_file_back(vault, client, auth):
    passport, policy = vault.add_items({"name": "Passport"}, {"name": "Policy"})
    upload(vault, passport["id"], "scan.png", secrets.token_bytes(CHUNK_BYTES + 1), "image/png")
    upload(vault, passport["id"], "empty.txt", b"", "text/plain")
    upload(vault, policy["id"], "Police \u00fc.pdf", secrets.token_bytes(CHUNK_BYTES), "application/pdf")
    body = exported_with_files(vault)
    bob = Vault(client, auth.user("bob"))
    dry = post(bob, body, dry_run="true")
    assert dry["attachments_imported"] == 3
    assert bob.get("fetchall")["items"] == [] and bob.get("attachments")["used"] == 0
    answer = post(bob, body)
    assert answer == {**dry, "dry_run": False} and answer["warnings"] == []
    assert stored_files(bob) == stored_files(vault)  # SHA-256 of every file as the server sends it back
    assert listed_files(bob) == listed_files(vault)
    assert bob.get("attachments")["used"] == vault.get("attachments")["used"] == 2 * CHUNK_BYTES + 1


def test_files_imported_into_a_collection_are_sealed_for_it_and_counted_against_the_importer(client, auth):
    alice, bob = member(client, auth, "alice"), member(client, auth, "bob")
    (item,) = alice.add_items({"name": "Deed"})
    upload(alice, item["id"], "deed.pdf", b"%PDF deed", "application/pdf")
    body = exported_with_files(alice)
    family = alice.new_collection()
    alice.add(family, bob="read")
    answer = post(alice, body, collection_id=str(family), duplicates="keep")
    assert (answer["imported"], answer["attachments_imported"]) == (1, 1)
    (shared,) = [one for one in bob.get("fetchall")["items"] if one["collection_id"] == family]
    (file,) = shared["attachments"]
    sent = bob.client.get(f"/v1/items/{shared['id']}/attachments/{file['id']}", headers=bob.headers)
    assert sent.body == b"%PDF deed"
    assert alice.get("attachments")["used"] == 2 * len(b"%PDF deed") and bob.get("attachments")["used"] == 0


def test_an_export_with_collections_holds_the_shared_files_a_member_reads(client, auth):
    alice, bob = member(client, auth, "alice"), member(client, auth, "bob")
    family = alice.new_collection("Deeds")
    alice.add(family, bob="read")
    (item,) = alice.add_items({"name": "Deed", "collection_id": family})
    upload(alice, item["id"], "deed.pdf", b"%PDF deed", "application/pdf")
    url = "/v1/export?include_attachments=true&include_collections=true"
    exported = bob.client.get(url, headers=bob.headers).json
    (shared,) = exported["items"]
    assert exported["collections"][shared["collection"]] == {"name": "Deeds"}
    (file,) = shared["attachments"]
    assert file == {"name": "deed.pdf", "content_type": "application/pdf", "data": encoded(b"%PDF deed")}
    assert bob.client.get("/v1/export?include_attachments=true", headers=bob.headers).json["items"] == []


def encoded(data):
    return base64.b64encode(data).decode("ascii")


def test_a_damaged_file_or_one_past_a_limit_is_left_behind_naming_entry_and_file(config, clock):
    client = webtest.TestApp(make_app(config.replace(max_attachment_bytes=10), clock=clock))
    vault = Vault(client, Auth(client).user("alice"))
    document = {
        "format": "oppmini-json",
        "version": 1,
        "items": [
            {
                "name": "A",
                "attachments": [
                    {"name": "fine.txt", "content_type": "text/plain", "data": encoded(b"fine")},
                    {"name": "secret-plan.bin", "content_type": "text/plain", "data": "not base64!"},
                    {"name": "bad-type.txt", "content_type": "text/pl\u00e4in", "data": encoded(b"x")},
                ],
            },
            {
                "name": "B",
                "attachments": [
                    {"name": "eleven.bin", "data": encoded(bytes(11))},
                    "not an object",
                    {"name": "", "data": encoded(b"x")},
                ],
            },
        ],
    }
    body = json.dumps(document).encode()
    dry = post(vault, body, dry_run="true")
    answer = post(vault, body)
    assert dry == {**answer, "dry_run": True}
    assert (answer["imported"], answer["attachments_imported"]) == (2, 1)
    assert answer["warnings"] == [
        {"entry": 1, "reason": "attached file 2 is not imported: its data is not valid base64"},
        {
            "entry": 1,
            "reason": "attached file 3 (1 bytes) is not imported: "
            "its content_type is not printable ASCII of at most 255 characters",
        },
        {"entry": 2, "reason": "attached file 1 (11 bytes) is not imported: a file may hold at most 10 bytes"},
        {
            "entry": 2,
            "reason": "attached file 2 is not imported: it is not an object with a text name, content_type and data",
        },
        {
            "entry": 2,
            "reason": "attached file 3 (1 bytes) is not imported: "
            "its name is empty, longer than 255 characters or holds control characters",
        },
    ]
    assert "secret-plan" not in json.dumps(answer)
    assert listed_files(vault) == {("A", "fine.txt"): (4, "text/plain")}
