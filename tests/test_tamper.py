"""Records moved between rows in the database file fail to open, loudly and by row id."""

import logging

import pytest

from conftest import Vault, execute_raw

DECRYPT_FAILED = "Unable to decrypt data!"


@pytest.fixture
def database(config):
    def run(sql, *params):
        return execute_raw(config.db_connect, sql, params)

    return run


def copy_record(database, table, column, key, source_id, target_id):
    # Read, then write: MySQL refuses a subquery on the table being updated.
    [(record,)] = database(f"SELECT {column} FROM {table} WHERE {key} = ?", source_id)
    database(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", record, target_id)


def assert_fails_naming(answer, kind, row_id):
    assert answer["status_code"] == 500 and answer["error"] == DECRYPT_FAILED
    assert answer["description"] == f"{kind} {row_id} failed its integrity check."


@pytest.fixture
def bob(client, auth):
    return Vault(client, auth.user("bob", phrase="bob's own phrase"))


@pytest.mark.parametrize("source", ["same user", "other user"])
def test_a_moved_item_record_is_never_shown(vault, bob, database, caplog, source):
    kept, victim = vault.add_items({"name": "kept", "password": "kept-secret"}, {"name": "victim"})
    (bobs,) = bob.add_items({"name": "bobs", "password": "bob-secret"})
    source_id = kept["id"] if source == "same user" else bobs["id"]
    copy_record(database, "items", "sealed_fields", "item_id", source_id, victim["id"])

    with caplog.at_level(logging.ERROR):
        for resource in ("items", "fetchall"):
            answer = vault.get(resource, status=500)
            assert_fails_naming(answer, "Item", victim["id"])
            assert "secret" not in str(answer)
        answer = vault.post("items", {"items": [{"id": victim["id"], "name": "renamed"}]}, status=500)
        assert_fails_naming(answer, "Item", victim["id"])
    assert f"items row {victim['id']}" in caplog.text
    assert "secret" not in caplog.text and "kept" not in caplog.text

    # Other rows still update, and the owner can still remove the broken one.
    vault.post("items", {"items": [{"id": kept["id"], "name": "kept too"}]})
    vault.delete("items", {"ids": [victim["id"]]})
    assert [item["name"] for item in vault.get("items")["items"]] == ["kept too"]
    assert bob.get("items")["items"][0]["password"] == "bob-secret"


def test_an_update_naming_every_field_overwrites_a_broken_record(vault, database):
    kept, victim = vault.add_items({"name": "kept"}, {"name": "victim"})
    copy_record(database, "items", "sealed_fields", "item_id", kept["id"], victim["id"])
    fresh = dict.fromkeys(("name", "url", "account", "username", "password", "blob"), "new")
    vault.post("items", {"items": [{"id": victim["id"], **fresh}]})
    assert vault.get("items")["items"][1] == {**victim, **fresh, "revision": victim["revision"] + 1}


def test_a_moved_category_name_is_never_shown(vault, bob, database):
    kept, victim = vault.add_categories("kept", "victim")
    (bobs,) = bob.add_categories("bobs")
    vault.add_items({"name": "in kept", "category_id": kept["id"]}, {"name": "in victim", "category_id": victim["id"]})
    for source in (kept["id"], bobs["id"]):
        copy_record(database, "categories", "sealed_name", "category_id", source, victim["id"])
        for resource in ("categories", "items", "fetchall"):
            assert_fails_naming(vault.get(resource, status=500), "Category", victim["id"])
    vault.delete("categories", {"ids": [victim["id"]], "cascade": False})
    assert vault.get("categories")["categories"] == [kept]
    assert [item["category"] for item in vault.get("items")["items"]] == [kept, {"id": None}]


def test_a_truncated_record_fails_the_same_way(vault, database):
    (item,) = vault.add_items({"name": "x"})
    database("UPDATE items SET sealed_fields = substr(sealed_fields, 1, 20) WHERE item_id = ?", item["id"])
    assert_fails_naming(vault.get("items", status=500), "Item", item["id"])
