"""GET /v1/export (extensions.md §2): a file to save, read back losslessly (oppmini-json) or by Bitwarden's readers."""

import json
import uuid

import pytest

from conftest import Vault
from oppmini.transfer import importers
from oppmini.transfer.exporters.bitwarden_json import random_uuids

FIELDS = [{"name": "PIN", "value": "4711", "hidden": True}, {"name": "Support", "value": "0800 123", "hidden": False}]


@pytest.fixture
def filled(vault):
    """A vault with what an export must carry: repeated and empty categories, sort_ids, every item field."""
    bank, other_bank, empty = vault.add_categories("Bank", "Bank", "Empty, but kept")
    vault.post(
        "categories",
        {
            "categories": [
                {"id": other_bank["id"], "name": "Bank", "sort_id": 7},
                {"id": empty["id"], "name": "Empty, but kept", "sort_id": -3},
            ]
        },
    )
    vault.add_items(
        {
            "name": "Forum",
            "url": "https://forum.example",
            "account": "acct 1",
            "username": "alice",
            "password": "p1 ü",
            "blob": 'line 1\nline 2, "quoted"',
            "category_id": bank["id"],
            "sort_id": 4,
            "totp": "JBSWY3DPEHPK3PXP",
            "fields": FIELDS,
            "favorite": True,
            "match": "exact",
        },
        {"name": "Other bank", "password": "p2", "category_id": other_bank["id"]},
        {"name": "Loose", "username": "bob"},
    )
    return vault


def export(vault, status=200, **query):
    return vault.client.get("/v1/export", query, headers=vault.headers, status=status)


def comparable(fetched):
    """fetchall with ids aside: items name their category by its place among the categories."""
    places = {category["id"]: at for at, category in enumerate(fetched["categories"])}
    drop = ("id", "category_id", "created_at", "updated_at")
    return (
        [{key: value for key, value in category.items() if key != "id"} for category in fetched["categories"]],
        [
            {
                **{key: value for key, value in item.items() if key not in drop},
                "category": places.get(item["category_id"]),
            }
            for item in fetched["items"]
        ],
    )


def test_oppmini_json_imported_into_an_empty_account_gives_the_same_fetchall(filled, auth):
    answer = export(filled)
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="oppmini-export-20231114.json"'
    bob = Vault(filled.client, auth.user("bob"))
    imported = bob.client.post("/v1/import", answer.body, headers=bob.headers).json
    assert (imported["format"], imported["imported"], imported["categories_created"]) == ("oppmini-json", 3, 3)
    assert comparable(bob.get("fetchall")) == comparable(filled.get("fetchall"))


@pytest.mark.parametrize("format_name, extension", [("bitwarden-json", "json"), ("bitwarden-csv", "csv")])
def test_our_bitwarden_exports_read_back_as_the_same_logins(filled, format_name, extension):
    answer = export(filled, format=format_name)
    assert answer.headers["Content-Disposition"] == f'attachment; filename="oppmini-export-20231114.{extension}"'
    reading = importers.read(answer.body)
    assert reading.format == format_name and reading.skipped == 0 and reading.warnings == []
    # The CSV has no hidden flag: its custom fields come back visible.
    fields = [(one["name"], one["value"], one["hidden"] and format_name == "bitwarden-json") for one in FIELDS]
    assert [
        (
            entry.name,
            entry.url,
            entry.username,
            entry.password,
            entry.notes,
            entry.folder,
            entry.totp,
            entry.favorite,
            entry.fields,
        )
        for entry in reading.entries
    ] == [
        (
            "Forum",
            "https://forum.example",
            "alice",
            "p1 ü",
            'line 1\nline 2, "quoted"',
            "Bank",
            "JBSWY3DPEHPK3PXP",
            True,
            [("Account", "acct 1", False), *fields],
        ),
        ("Other bank", "", "", "p2", "", "Bank", "", False, []),
        ("Loose", "", "bob", "", "", "", "", False, []),
    ]


TYPED_ITEMS = [
    {
        "name": "Card",
        "type": "card",
        "card": {"cardholder": "A", "number": "4111111111111111", "exp_month": "03", "exp_year": "2029", "code": "123"},
    },
    {
        "name": "Me",
        "type": "identity",
        "username": "ada",
        "identity": {"first_name": "Ada", "city": "London", "passport_number": "P1", "email": "a@b.example"},
    },
    {"name": "Memo", "type": "note", "blob": "text", "password": "kept too"},
    {"name": "Home", "type": "wifi", "password": "wifi key", "wifi": {"ssid": "Home 5G", "security": "wpa3"}},
    {
        "name": "Key",
        "type": "ssh_key",
        "ssh_key": {"public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFz52XLAnl8cs8U8egkPu++SE4pvjRLpjSlaBGv6Dnnp"},
    },
]


def typed_view(item):
    return (item["name"], item["type"], item.get(item["type"]))


def test_typed_items_come_back_whole_from_oppmini_json_and_cards_identities_notes_keys_from_bitwarden_json(vault, auth):
    vault.add_items(*TYPED_ITEMS)
    bob = Vault(vault.client, auth.user("bob"))
    bob.client.post("/v1/import", export(vault).body, headers=bob.headers)
    assert comparable(bob.get("fetchall")) == comparable(vault.get("fetchall"))
    written = json.loads(export(vault, format="bitwarden-json").body)
    assert [item["type"] for item in written["items"]] == [3, 4, 2, 1, 5]
    carol = Vault(vault.client, auth.user("carol"))
    answer = carol.client.post("/v1/import", export(vault, format="bitwarden-json").body, headers=carol.headers).json
    assert (answer["imported"], answer["skipped_unsupported"]) == (5, 0)
    theirs = {item["name"]: item for item in carol.get("fetchall")["items"]}
    ours = {item["name"]: item for item in vault.get("fetchall")["items"]}
    for name in ("Card", "Me", "Memo", "Key"):
        assert typed_view(theirs[name]) == typed_view(ours[name])
    assert theirs["Me"]["username"] == "ada"
    assert [(one["name"], one["value"], one["hidden"]) for one in theirs["Memo"]["fields"]] == [
        ("Password", "kept too", True)
    ]
    assert (theirs["Home"]["type"], theirs["Home"]["password"]) == ("login", "wifi key")
    assert [(one["name"], one["value"]) for one in theirs["Home"]["fields"]] == [
        ("SSID", "Home 5G"),
        ("Security", "wpa3"),
    ]


def test_bitwarden_ids_are_fresh_random_uuids_in_their_usual_form(filled):
    documents = [json.loads(export(filled, format="bitwarden-json").body) for _ in range(2)]
    ids = [one["id"] for document in documents for one in document["folders"] + document["items"]]
    assert len(ids) == 2 * (3 + 3) == len(set(ids))
    assert [item["folderId"] for item in documents[0]["items"]] == [
        documents[0]["folders"][0]["id"],
        documents[0]["folders"][1]["id"],
        None,
    ]
    drawn = ids + random_uuids(2000)
    assert len(set(drawn)) == len(drawn)
    for text in drawn:
        # Every id as str(uuid.uuid4()) would write it: version 4, RFC 4122 variant, lower-case, hyphens.
        parsed = uuid.UUID(text)
        assert (str(parsed), parsed.version, parsed.variant) == (text, 4, uuid.RFC_4122)


def test_an_export_holds_only_the_callers_vault_and_is_logged(filled, auth):
    bob = Vault(filled.client, auth.user("bob"))
    bob.add_items({"name": "bob's own"})
    assert [entry.name for entry in importers.read(export(bob).body).entries] == ["bob's own"]
    events = [one for one in bob.get("activity")["events"] if one["event"] == "export"]
    assert [one["detail"] for one in events] == [{"format": "oppmini-json", "categories": 0, "items": 1}]


def test_an_unknown_format_is_refused(vault):
    answer = export(vault, status=400, format="keepass-xml").json
    assert answer == {
        "status_code": 400,
        "error": "Unknown export format!",
        "description": "format must be one of: oppmini-json, bitwarden-json, bitwarden-csv.",
    }


def test_the_passphrase_is_asked_for(vault):
    vault.client.get("/v1/export", headers={"x-opp-jwt": vault.headers["x-opp-jwt"]}, status=400)
