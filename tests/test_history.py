"""Password history: old passwords kept sealed per item, newest first, at most config password_history."""

import dataclasses

import pytest
import webtest

from conftest import execute_raw
from oppmini.web.app import make_app


def change(vault, item_id, **fields):
    return vault.post("items", {"items": [{"id": item_id, **fields}]})["items"][0]


def test_each_replaced_password_is_kept_newest_first(vault, clock):
    (item,) = vault.add_items({"name": "Mail", "password": "first"})
    assert vault.get(f"items/{item['id']}/history") == {"result": "success", "history": []}
    clock.advance(10)
    change(vault, item["id"], password="second")
    change(vault, item["id"], username="no password change")
    change(vault, item["id"], password="second")  # the same value: nothing replaced
    clock.advance(10)
    change(vault, item["id"], password="third")
    assert vault.get(f"items/{item['id']}/history") == {
        "result": "success",
        "history": [
            {"password": "second", "replaced_at": 1_700_000_020},
            {"password": "first", "replaced_at": 1_700_000_010},
        ],
    }


def test_auto_pass_on_post_keeps_the_old_password(vault):
    (item,) = vault.add_items({"name": "a", "password": "old"})
    vault.post("items", {"items": [{"id": item["id"]}], "auto_pass": True})
    assert [entry["password"] for entry in vault.get(f"items/{item['id']}/history")["history"]] == ["old"]


@pytest.fixture
def client_with(config, clock):
    def build(**settings):
        return webtest.TestApp(make_app(dataclasses.replace(config, **settings), clock=clock))

    return build


@pytest.mark.parametrize("most", [0, 2])
def test_at_most_password_history_entries_oldest_dropped(client_with, auth, most, db_url):
    client = client_with(password_history=most)
    headers = auth.user()
    item = client.put_json("/v1/items", {"items": [{"password": "p0"}]}, headers=headers).json["items"][0]
    for n in range(1, 5):
        client.post_json("/v1/items", {"items": [{"id": item["id"], "password": f"p{n}"}]}, headers=headers)
    history = client.get(f"/v1/items/{item['id']}/history", headers=headers).json["history"]
    assert [entry["password"] for entry in history] == ["p3", "p2"][:most]
    assert execute_raw(db_url, "SELECT COUNT(*) FROM item_history") == [(most,)]


def test_history_is_sealed_and_bound_to_its_item(vault, db_url):
    first, second = vault.add_items({"password": "a1"}, {"password": "b1"})
    change(vault, first["id"], password="a2")
    change(vault, second["id"], password="b2")
    rows = execute_raw(db_url, "SELECT history_id, item_id, sealed_password FROM item_history ORDER BY history_id")
    assert all(b"a1" not in bytes(row[2]) and b"b1" not in bytes(row[2]) for row in rows)
    # The first item's old password moved onto the second item's entry fails to open.
    execute_raw(db_url, "UPDATE item_history SET sealed_password = ? WHERE history_id = ?", (rows[0][2], rows[1][0]))
    answer = vault.get(f"items/{second['id']}/history", status=500)
    assert answer["error"] == "Unable to decrypt data!" and "a1" not in str(answer)


def test_another_users_or_unknown_item_is_not_found(client, auth, vault):
    (item,) = vault.add_items({"password": "mine"})
    change(vault, item["id"], password="mine too")
    answer = client.get(f"/v1/items/{item['id']}/history", headers=auth.user("bob"), status=404).json
    assert answer == {
        "status_code": 404,
        "error": "Not Found",
        "description": f'Item "{item["id"]}" does not exist or is not yours.',
    }
    assert vault.get("items/12345/history", status=404)["error"] == "Not Found"


def test_a_deleted_item_takes_its_history_along(vault, db_url, client_with, auth):
    (item,) = vault.add_items({"password": "one"})
    change(vault, item["id"], password="two")
    vault.delete("items", {"ids": [item["id"]]})
    assert vault.get(f"items/{item['id']}/history", status=404)["error"] == "Not Found"
    vault.delete("trash", {"ids": [item["id"]]})
    assert execute_raw(db_url, "SELECT COUNT(*) FROM item_history") == [(0,)]
