"""POST /v1/import (extensions.md §2): every sample into a fresh vault, all or nothing, figures, limits, no secret told.

Runs on both backends: the `vault` fixture is parametrised by tests/conftest.py.
"""

import hashlib
import json
import logging

import pytest
import webtest

from conftest import Auth, Vault
from oppmini.transfer import importers
from oppmini.web.app import make_app

from .hostile import HOSTILE
from .test_samples import FILES, KEEPASS, expected_logins, without_root

LONG_PASSWORD = "secret-long-" + "x" * 250  # 262 characters: past the 255 an item holds
BAD_SEED = "not-a-seed-but-a-secret"


def post(vault, body, status=200, **query):
    """The import route with `body` as the file, sent as curl --data-binary would (any Content-Type)."""
    return vault.client.post(
        f"/v1/import?{'&'.join(f'{k}={v}' for k, v in query.items())}",
        body,
        headers={**vault.headers, "Content-Type": "application/octet-stream"},
        status=status,
    ).json


def bitwarden(*items, folders=()):
    return json.dumps(
        {
            "encrypted": False,
            "folders": [{"id": f"f{n}", "name": name} for n, name in enumerate(folders)],
            "items": list(items),
        }
    ).encode()


def login(name, password="pw", folder=None, **login_extra):
    return {
        "type": 1,
        "name": name,
        "folderId": folder,
        "login": {"username": "u", "password": password, "uris": [{"uri": "https://a.example"}], **login_extra},
    }


def category_names(fetched):
    return {category["id"]: category["name"] for category in fetched["categories"]}


def test_every_listed_login_of_every_sample_arrives_in_its_folders_category(vault, sample, sample_format):
    answer = post(vault, sample.read_bytes())
    fetched = vault.get("fetchall")
    names = category_names(fetched)
    assert answer["format"] == sample_format and answer["dry_run"] is False
    assert answer["imported"] == len(fetched["items"]) and answer["categories_created"] == len(names)
    for wanted in expected_logins(sample):
        folder = without_root(wanted["folder"]) if sample_format in KEEPASS else wanted["folder"]
        found = [
            item
            for item in fetched["items"]
            if (item["name"], item["url"], item["username"], item["password"], item["blob"])
            == (wanted["name"], wanted["url"], wanted["username"], wanted["password"], wanted["notes"])
        ]
        assert found, f"login {wanted['name']!r} did not arrive"
        item = found[0]
        assert names.get(item["category_id"], "") == folder
        # A TOTP value that is no seed arrives in the custom field TOTP instead.
        moved = [field["value"] for field in item["fields"] if field["name"] == "TOTP"]
        assert wanted["totp"] in (item["totp"], *moved)


def test_the_answer_mapping_and_figures_for_a_known_file(vault):
    (existing,) = vault.add_categories("Bank")
    body = bitwarden(
        login("a", folder="f0"),
        login("b", folder="f1"),
        login("c", folder="f2"),
        login("d"),
        {"type": 7, "name": "a kind to come"},
        folders=("Bank", "bank", "Mail/Work"),
    )
    answer = post(vault, body)
    assert answer == {
        "result": "success",
        "format": "bitwarden-json",
        "dry_run": False,
        "imported": 4,
        "categories_created": 2,
        "skipped_duplicates": 0,
        "skipped_unsupported": 1,
        "attachments_imported": 0,
        "warnings": [{"entry": 5, "reason": "an unknown kind of item: not imported"}],
    }
    fetched = vault.get("fetchall")
    names = category_names(fetched)
    by_name = {item["name"]: names.get(item["category_id"]) for item in fetched["items"]}
    # The existing category of that exact name is used; "bank" is another name.
    assert by_name == {"a": "Bank", "b": "bank", "c": "Mail/Work", "d": None}
    assert [item["category_id"] for item in fetched["items"]][0] == existing["id"]


def test_the_shared_samples_cards_identities_notes_and_documents_arrive_as_typed_items(vault, corpus):
    answer = post(vault, (corpus / "bitwarden_keepassxc.json").read_bytes())
    assert (answer["imported"], answer["skipped_unsupported"]) == (4, 0)
    assert answer["warnings"] == [
        {"entry": 2, "reason": "the card number fails the Luhn check: look for a mistyped digit"},
        {"entry": 4, "reason": "the TOTP value is no valid seed: kept in the custom field TOTP"},
    ]
    answer = post(vault, (corpus / "1password8_keepassxc.1pux").read_bytes())
    assert (answer["imported"], answer["skipped_unsupported"]) == (8, 1)
    assert not any("attached file" in warning["reason"] for warning in answer["warnings"])
    items = {(item["name"], item["type"]): item for item in vault.get("fetchall")["items"]}
    (logo,) = items["KeePassXC Logo", "note"]["attachments"]
    assert {key: logo[key] for key in ("name", "size", "content_type")} == {
        "name": "keepassxc.png",
        "size": 18422,
        "content_type": "image/png",
    }
    assert stored_files(vault)["KeePassXC Logo"] == FILES["1password8_keepassxc.1pux"][6]
    assert items["Card Name", "card"]["card"]["cardholder"] == "Jane Doe"
    assert items["My Identity", "identity"]["identity"]["passport_number"] == "123456789"
    assert items["My Identity", "identity"]["username"] == "myusername"
    assert items["Credit Card", "card"]["card"]["brand"] == "Mastercard"
    assert items["Home Wifi", "wifi"]["password"] == "12345678"
    assert {("My Secure Note", "note"), ("Secure Note", "note"), ("KeePassXC Logo", "note")} <= set(items)


def stored_files(vault):
    """{item name: [(file name, SHA-256 of the bytes the server sends back)]} of the caller's items."""
    stored = {}
    for item in vault.get("fetchall")["items"]:
        for file in item["attachments"]:
            data = vault.client.get(f"/v1/items/{item['id']}/attachments/{file['id']}", headers=vault.headers).body
            stored.setdefault(item["name"], []).append((file["name"], hashlib.sha256(data).hexdigest()))
    return stored


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_samples_files_are_stored_with_their_items_byte_for_byte(vault, corpus, name):
    body = (corpus / name).read_bytes()
    dry = post(vault, body, dry_run="true")
    assert stored_files(vault) == {} and vault.get("attachments")["used"] == 0
    answer = post(vault, body)
    assert dry == {**answer, "dry_run": True}
    assert not any("attached file" in warning["reason"] for warning in answer["warnings"])
    names = {entry.position: entry.name for entry in importers.read(body).entries}
    wanted = {}
    for position, files in FILES[name].items():
        wanted.setdefault(names[position], []).extend(files)
    assert stored_files(vault) == wanted
    sizes = [file["size"] for item in vault.get("fetchall")["items"] for file in item["attachments"]]
    assert vault.get("attachments")["used"] == sum(sizes) > 0


def test_a_file_past_a_limit_is_left_behind_with_a_warning_and_the_rest_goes_on(config, clock, corpus):
    # KeePassXC's two entries hold a file of 11 bytes each: the quota takes the first, not the second.
    client = webtest.TestApp(make_app(config.replace(attachment_quota_bytes=20), clock=clock))
    vault = Vault(client, Auth(client).user("alice"))
    body = (corpus / "keepass2_keepassxc.xml").read_bytes()
    refused = {
        "entry": 2,
        "reason": "attached file 1 (11 bytes) is not imported: your files would take more than your quota of 20 bytes",
    }
    dry = post(vault, body, dry_run="true")
    answer = post(vault, body)
    assert dry == {**answer, "dry_run": True} and answer["imported"] == 3
    assert refused in answer["warnings"] and "myattach" not in json.dumps(answer)
    assert sorted(stored_files(vault)) == ["Sample Entry 1"]
    assert vault.get("attachments")["used"] == 11

    client = webtest.TestApp(make_app(config.replace(max_attachment_bytes=10), clock=clock))
    vault = Vault(client, Auth(client).user("bob"))
    answer = post(vault, body)
    assert answer["imported"] == 3 and stored_files(vault) == {}
    too_large = "attached file 1 (11 bytes) is not imported: a file may hold at most 10 bytes"
    assert [w["entry"] for w in answer["warnings"] if w["reason"] == too_large] == [1, 2]


def test_a_dry_run_answers_the_same_figures_and_writes_nothing(vault, corpus):
    vault.add_items({"name": "kept"})
    before = vault.get("fetchall")
    body = (corpus / "bitwarden_pass-import.json").read_bytes()
    dry = post(vault, body, dry_run="true")
    assert vault.get("fetchall") == before
    assert [event["event"] for event in vault.get("activity")["events"]].count("import") == 0
    real = post(vault, body, dry_run="false")
    assert dry == {**real, "dry_run": True}
    assert real["imported"] == 14 and real["categories_created"] == 6


def test_duplicates_skip_against_the_vault_and_earlier_entries_or_keep(vault):
    body = bitwarden(login("a"), login("a"), login("a", password="other"))
    assert post(vault, body)["imported"] == 2  # the second "a" equals the first
    again = post(vault, body)
    assert (again["imported"], again["skipped_duplicates"]) == (0, 3)
    kept = post(vault, body, duplicates="keep")
    assert (kept["imported"], kept["skipped_duplicates"]) == (3, 0)
    assert len(vault.get("fetchall")["items"]) == 5


@pytest.mark.parametrize("query", [{"dry_run": "yes"}, {"duplicates": "merge"}])
def test_other_query_values_are_refused(vault, query):
    answer = post(vault, bitwarden(login("a")), status=400, **query)
    assert answer["error"] == "Bad Request" and list(query)[0] in answer["description"]
    assert vault.get("fetchall")["items"] == []


def test_too_long_values_skip_the_entry_and_a_bad_seed_moves_to_a_field_without_telling_either(vault, caplog):
    caplog.set_level(logging.DEBUG)
    body = bitwarden(
        login("long", password=LONG_PASSWORD), login("seed", totp=BAD_SEED), login("fine", totp="JBSWY3DPEHPK3PXP")
    )
    answer = post(vault, body)
    assert answer["imported"] == 2
    assert answer["warnings"] == [
        {"entry": 1, "reason": "skipped: field 'password' is longer than 255 characters."},
        {"entry": 2, "reason": "the TOTP value is no valid seed: kept in the custom field TOTP"},
    ]
    seed, fine = vault.get("fetchall")["items"]
    assert (seed["totp"], seed["fields"]) == ("", [{"name": "TOTP", "value": BAD_SEED, "hidden": True}])
    assert fine["totp"] == "JBSWY3DPEHPK3PXP"
    told = json.dumps(answer) + caplog.text + json.dumps(vault.get("activity"))
    for secret in (LONG_PASSWORD[:20], BAD_SEED, "JBSWY3DPEHPK3PXP"):
        assert secret not in told


def _native(count, bad_at):
    items = [{"name": f"item {n}", "password": f"pw {n}", "category": 0} for n in range(1, count + 1)]
    items[bad_at - 1]["sort_id"] = 2**31  # read fine, refused while writing: all written before is undone
    return json.dumps(
        {"format": "oppmini-json", "version": 1, "categories": [{"name": "New", "sort_id": 0}], "items": items}
    ).encode()


def test_an_entry_refused_at_1999_of_2000_leaves_the_vault_as_it_was(vault):
    vault.add_categories("Old")
    vault.add_items({"name": "kept"})
    before = vault.get("fetchall")
    answer = post(vault, _native(2000, 1999), status=400)
    assert (answer["error"], answer["description"]) == (
        "Unable to read the import file!",
        "entry 1999: 'sort_id' is not a 32-bit integer",
    )
    assert vault.get("fetchall") == before


def test_a_reader_error_names_the_entry_and_changes_nothing(vault):
    items = [login(f"n{n}") for n in range(1, 1999)] + ["not an object", login("n2000")]
    answer = post(vault, bitwarden(*items), status=400)
    assert (answer["error"], answer["description"]) == ("Unable to read the import file!", "entry 1999: not an object")
    assert vault.get("fetchall")["items"] == []


@pytest.mark.parametrize(
    "query, body, error",
    [
        ({"format": "nope"}, b'{"encrypted": false, "items": []}', "Unknown import format!"),
        ({}, b"just some text\n", "Unknown import format!"),
        (
            {},
            b'{"encrypted": true, "encKeyValidation_DO_NOT_EDIT": "2.x", "items": []}',
            "Encrypted exports are not supported!",
        ),
    ],
)
def test_refused_files(vault, query, body, error):
    answer = post(vault, body, status=400, **query)
    assert answer["error"] == error
    assert vault.get("fetchall") == {"result": "success", "categories": [], "items": [], "collections": []}


@pytest.mark.parametrize("builder", [builder for _, builder, *_ in HOSTILE], ids=[name for name, *_ in HOSTILE])
def test_a_hostile_file_of_the_largest_size_is_a_clean_400_naming_the_bound(vault, builder, within):
    with within(10):
        answer = post(vault, builder(), status=400, dry_run="true")
    assert answer["error"] == "Unable to read the import file!"
    assert "more than" in answer["description"] or "longer than" in answer["description"]


@pytest.fixture
def small(config, clock):
    """An app whose import limit is 2,000 bytes and JSON body limit 100: the import has its own."""
    client = webtest.TestApp(make_app(config.replace(max_import_bytes=2000, max_body_bytes=100), clock=clock))
    return Vault(client, Auth(client).user("alice"))


def test_the_import_limit_is_its_own(small):
    body = bitwarden(login("a" * 20))
    fill = b" " * (2000 - len(body))
    assert len(body) > 100 and post(small, body + fill)["imported"] == 1
    answer = post(small, body + fill + b" ", status=413)
    assert answer == {
        "status_code": 413,
        "error": "Payload Too Large",
        "description": "The request body is larger than 2000 bytes",
    }
    assert len(small.get("fetchall")["items"]) == 1


def test_the_token_and_the_passphrase_are_asked_for(vault):
    body = bitwarden(login("a"))
    vault.client.post("/v1/import", body, headers={"x-opp-jwt": vault.headers["x-opp-jwt"]}, status=400)
    vault.client.post("/v1/import", body, status=401)
    assert vault.get("fetchall")["items"] == []


def test_duplicates_skip_against_the_collections_the_importer_can_write_to(alice, bob):
    # Bob already keeps "wifi" in Family, where alice writes too, and "tv" in Bob's own, which she only reads.
    family, bobs = bob.new_collection("Family"), bob.new_collection("Bob's")
    bob.add(family, alice="write")
    bob.add(bobs, alice="read")
    bob.add_items(
        {**fields_of(login("wifi")), "collection_id": family}, {**fields_of(login("tv")), "collection_id": bobs}
    )
    answer = post(alice, bitwarden(login("wifi"), login("tv")))
    # Her file's "wifi" is the household's already; "tv" she could not have changed where it is, so it is hers.
    assert (answer["imported"], answer["skipped_duplicates"]) == (1, 1)
    assert [(item["name"], item["collection_id"]) for item in alice.get("fetchall")["items"]].count(("tv", None)) == 1


def test_an_import_into_a_collection_skips_what_that_collection_or_the_personal_vault_holds(alice, bob):
    # Family (alice writes) keeps "wifi"; alice's own vault keeps "tv": neither comes again into Family.
    family = bob.new_collection("Family")
    bob.add(family, alice="write")
    bob.add_items({**fields_of(login("wifi")), "collection_id": family})
    alice.add_items(fields_of(login("tv")))
    answer = post(alice, bitwarden(login("wifi"), login("tv"), login("radio")), collection_id=family)
    assert (answer["imported"], answer["skipped_duplicates"]) == (1, 2)
    held = sorted((item["name"], item["collection_id"]) for item in bob.get("fetchall")["items"])
    assert held == [("radio", family), ("wifi", family)]


def fields_of(entry):
    """A Bitwarden login entry as item fields, for the same item made through PUT /v1/items."""
    return {
        "name": entry["name"],
        "url": entry["login"]["uris"][0]["uri"],
        "username": entry["login"]["username"],
        "password": entry["login"]["password"],
    }


def test_an_import_into_a_collection_shares_its_entries_with_the_members(alice, bob):
    family = alice.new_collection("Family")
    alice.add(family, bob="read")
    file = bitwarden(login("wifi", folder="f0"), login("tv"), folders=["Home"])
    assert post(alice, file, collection_id=family, dry_run="true")["imported"] == 2
    answer = post(alice, file, collection_id=family)
    # An item in a collection has no category: the folder makes none.
    assert (answer["imported"], answer["categories_created"]) == (2, 0)
    assert alice.get("fetchall")["categories"] == []
    seen = sorted((item["name"], item["collection_id"], item["password"]) for item in bob.get("fetchall")["items"])
    assert seen == [("tv", family, "pw"), ("wifi", family, "pw")]
    # Bob only reads Family; a collection he is no member of, or no id, is unknown to him. Nothing is written.
    post(bob, bitwarden(login("x")), status=403, collection_id=family)
    post(bob, bitwarden(login("x")), status=404, collection_id=999999)
    post(bob, bitwarden(login("x")), status=404, collection_id="nope")
    assert bob.names() == ["tv", "wifi"]
