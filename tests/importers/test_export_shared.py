"""GET /v1/export?include_collections=true: the caller's vault and the collections it can read, each named."""

import csv
import io
import json

import pytest

from conftest import Vault, share
from oppmini.transfer import importers


@pytest.fixture
def shared(vault, auth):
    """alice manages "Family" (one item) and shares it with bob (read); bob and carol have items of their own."""
    bob, carol = Vault(vault.client, auth.user("bob")), Vault(vault.client, auth.user("carol"))
    family = vault.put("collections", {"names": ["Family"]})["collections"][0]["id"]
    share(vault, family, bob, "bob", "read")
    vault.add_items({"name": "Wi-Fi", "password": "shared secret", "collection_id": family})
    vault.add_items({"name": "alice's own", "password": "a"})
    bob.add_items({"name": "bob's own", "password": "b"})
    carol.add_items({"name": "carol's own"})
    return vault, bob, carol, family


def export(vault, status=200, **query):
    return vault.client.get("/v1/export", query, headers=vault.headers, status=status)


def test_without_the_flag_an_export_is_the_personal_vault_as_before(shared):
    _, bob, _, _ = shared
    document = json.loads(export(bob).body)
    assert "collections" not in document
    assert [item["name"] for item in document["items"]] == ["bob's own"]
    assert [entry.name for entry in importers.read(export(bob, format="bitwarden-json").body).entries] == ["bob's own"]
    assert export(bob, format="bitwarden-csv").body.decode().splitlines()[0].split(",")[-1] == "login_totp"
    assert "collections" not in json.loads(export(bob, format="bitwarden-json").body)


def test_oppmini_json_names_the_collection_of_each_shared_item(shared):
    _, bob, _, _ = shared
    document = json.loads(export(bob, include_collections="true").body)
    assert document["collections"] == [{"name": "Family"}]
    assert [(item["name"], item["password"], item.get("collection")) for item in document["items"]] == [
        ("Wi-Fi", "shared secret", 0),
        ("bob's own", "b", None),
    ]
    assert "collection" not in document["items"][1]
    # Read back by this version's importer, the shared item is a personal one.
    assert [entry.name for entry in importers.read(export(bob, include_collections="true").body).entries] == [
        "Wi-Fi",
        "bob's own",
    ]


def test_bitwarden_json_has_the_collections_as_an_organisation_export_does(shared):
    alice, bob, _, _ = shared
    body = export(bob, format="bitwarden-json", include_collections="true").body
    document = json.loads(body)
    [collection] = document["collections"]
    assert collection["name"] == "Family" and collection["organizationId"] is None
    by_name = {item["name"]: item for item in document["items"]}
    assert by_name["Wi-Fi"]["collectionIds"] == [collection["id"]] and by_name["Wi-Fi"]["folderId"] is None
    assert by_name["bob's own"]["collectionIds"] is None
    # Bitwarden's readers (ours too) put the item under the collection's name.
    assert [(entry.name, entry.folder) for entry in importers.read(body).entries] == [
        ("Wi-Fi", "Family"),
        ("bob's own", ""),
    ]
    # The manager's export holds the same shared item, and the manager's own.
    names = [
        item["name"]
        for item in json.loads(export(alice, format="bitwarden-json", include_collections="true").body)["items"]
    ]
    assert names == ["Wi-Fi", "alice's own"]


def test_bitwarden_csv_adds_a_collections_column(shared):
    _, bob, _, _ = shared
    rows = list(
        csv.DictReader(
            io.StringIO(export(bob, format="bitwarden-csv", include_collections="true").body.decode("utf-8"))
        )
    )
    assert [(row["name"], row["login_password"], row["folder"], row["collections"]) for row in rows] == [
        ("Wi-Fi", "shared secret", "", "Family"),
        ("bob's own", "b", "", ""),
    ]


def test_a_non_member_exports_nothing_of_the_collection_and_the_flag_is_checked(shared):
    _, _, carol, _ = shared
    document = json.loads(export(carol, include_collections="true").body)
    assert document["collections"] == [] and [item["name"] for item in document["items"]] == ["carol's own"]
    refused = export(carol, status=400, include_collections="yes").json
    assert refused == {
        "status_code": 400,
        "error": "Bad Request",
        "description": "'include_collections' must be one of: true, false.",
    }


def test_the_activity_log_counts_the_collections_exported(shared):
    _, bob, _, _ = shared
    export(bob, include_collections="true")
    export(bob)
    events = [one["detail"] for one in bob.get("activity")["events"] if one["event"] == "export"]
    assert events == [
        {"format": "oppmini-json", "categories": 0, "items": 1},
        {"format": "oppmini-json", "categories": 0, "items": 2, "collections": 1},
    ]
