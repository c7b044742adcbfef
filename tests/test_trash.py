"""The trash: deletes keep items trash_days, restorable, hidden from every v1 answer; purged later."""

import dataclasses

import pytest
import webtest

from conftest import PASSWORD, execute_raw
from oppmini.vault import trash
from oppmini.web.app import make_app

DAY = 24 * 3600


def ids(items):
    return [item["id"] for item in items]


def test_a_deleted_item_is_gone_from_every_v1_answer_and_waits_in_the_trash(vault, clock):
    kept, gone = vault.add_items({"name": "kept", "url": "https://a.example"}, {"name": "gone", "url": "https://b"})
    clock.advance(5)
    assert vault.delete("items", {"ids": [gone["id"]]}) == {"result": "success"}
    assert ids(vault.get("items")["items"]) == ids(vault.get("fetchall")["items"]) == [kept["id"]]
    assert ids(vault.get("search", q="https")["items"]) == [kept["id"]]
    assert vault.get("trash") == {"result": "success", "items": [{**gone, "deleted_at": 1_700_000_005}]}
    # A POST naming it is refused like an unknown id.
    answer = vault.post("items", {"items": [{"id": gone["id"], "name": "back?"}]}, status=400)
    assert answer["error"] == "Unable to update items in the database!"


def test_restore_puts_items_back_into_their_category_or_uncategorised(vault):
    work, home = vault.add_categories("Work", "Home")
    a, b = vault.add_items({"name": "a", "category_id": work["id"]}, {"name": "b", "category_id": home["id"]})
    vault.delete("items", {"ids": [a["id"], b["id"]]})
    vault.delete("categories", {"ids": [home["id"]], "cascade": False})
    restored = vault.post("trash", {"ids": [a["id"], b["id"]]})
    assert restored == {"result": "success", "items": [a, {**b, "category": {"id": None}}]}
    assert vault.get("items")["items"] == restored["items"]
    assert vault.get("trash")["items"] == []


def test_a_cascade_delete_sends_the_categorys_items_to_the_trash(vault):
    (work,) = vault.add_categories("Work")
    a, b = vault.add_items({"name": "a", "category_id": work["id"]}, {"name": "b"})
    vault.delete("categories", {"ids": [work["id"]], "cascade": True})
    assert ids(vault.get("items")["items"]) == [b["id"]]
    assert ids(vault.get("trash")["items"]) == [a["id"]]
    (back,) = vault.post("trash", {"ids": [a["id"]]})["items"]
    assert back["category"] == {"id": None}  # its category is gone


@pytest.mark.parametrize("bad", [999, "abc", 0, None, True])
def test_restoring_an_id_not_in_the_trash_names_it_and_restores_nothing(vault, bad):
    a, b = vault.add_items({"name": "a"}, {"name": "live"})
    vault.delete("items", {"ids": [a["id"]]})
    for sent in (bad, b["id"]):
        answer = vault.post("trash", {"ids": [a["id"], sent]}, status=400)
        assert answer["error"] == "Unable to restore items!"
        assert str(sent).lower() in answer["description"].lower() or "null" in answer["description"]
    assert ids(vault.get("trash")["items"]) == [a["id"]]


def test_purge_by_ids_or_all_and_ids_never_come_back(vault, db_url):
    a, b, c = vault.add_items({"name": "a"}, {"name": "b"}, {"name": "c"})
    vault.delete("items", {"ids": [a["id"], b["id"], c["id"]]})
    assert vault.delete("trash", {"ids": [a["id"], 424242]}) == {"result": "success", "purged": 1}
    assert ids(vault.get("trash")["items"]) == [b["id"], c["id"]]
    assert vault.delete("trash", {"all": True}) == {"result": "success", "purged": 2}
    assert execute_raw(db_url, "SELECT COUNT(*) FROM items") == [(0,)]
    (new,) = vault.add_items({"name": "new"})
    assert new["id"] > c["id"]


def test_purge_leaves_live_items_and_other_users_alone(client, auth, vault):
    (mine,) = vault.add_items({"name": "live"})
    bob = auth.user("bob")
    (bobs,) = client.put_json("/v1/items", {"items": [{"name": "bob's"}]}, headers=bob).json["items"]
    client.delete_json("/v1/items", {"ids": [bobs["id"]]}, headers=bob)
    assert vault.delete("trash", {"ids": [mine["id"], bobs["id"]]})["purged"] == 0
    assert vault.delete("trash", {"all": True})["purged"] == 0
    assert ids(client.get("/v1/trash", headers=bob).json["items"]) == [bobs["id"]]
    assert vault.post("trash", {"ids": [bobs["id"]]}, status=400)["error"] == "Unable to restore items!"


@pytest.mark.parametrize("body", [{"ids": "1"}, {"all": "yes"}, {"all": False}, {"ids": 1}])
def test_a_bad_purge_request_is_refused(vault, body):
    (a,) = vault.add_items({"name": "a"})
    vault.delete("items", {"ids": [a["id"]]})
    vault.delete("trash", body, status=400)
    assert ids(vault.get("trash")["items"]) == [a["id"]]


@pytest.fixture
def client_with(config, clock):
    def build(**settings):
        return webtest.TestApp(make_app(dataclasses.replace(config, **settings), clock=clock))

    return build


def test_trash_days_zero_deletes_at_once(client_with, auth, db_url):
    client = client_with(trash_days=0)
    headers = auth.user()
    (work,) = client.put_json("/v1/categories", {"category_names": ["w"]}, headers=headers).json["categories"]
    a, b = client.put_json(
        "/v1/items", {"items": [{"name": "a"}, {"name": "b", "category_id": work["id"]}]}, headers=headers
    ).json["items"]
    client.delete_json("/v1/items", {"ids": [a["id"]]}, headers={"x-opp-jwt": headers["x-opp-jwt"]})
    client.delete_json(
        "/v1/categories", {"ids": [work["id"]], "cascade": True}, headers={"x-opp-jwt": headers["x-opp-jwt"]}
    )
    assert execute_raw(db_url, "SELECT COUNT(*) FROM items") == [(0,)]
    assert client.get("/v1/trash", headers=headers).json["items"] == []


def log_in_again(vault):
    """The token of an hour ago has expired by the time the test moves the clock days on."""
    login = {"username": "alice", "password": PASSWORD}
    vault.headers = {**vault.headers, "x-opp-jwt": vault.client.post_json("/v1/auth", login).json["access_token"]}


def test_items_past_trash_days_leave_the_trash_at_once_and_the_table_now_and_then(vault, clock, app, db_url):
    a, b = vault.add_items({"name": "old"}, {"name": "newer"})
    vault.delete("items", {"ids": [a["id"]]})  # also the process's first purge, which finds nothing
    clock.advance(10 * DAY)
    log_in_again(vault)
    vault.delete("items", {"ids": [b["id"]]})
    clock.advance(20 * DAY + 1)
    log_in_again(vault)
    # Past 30 days: out of the trash at once, though not yet purged.
    assert ids(vault.get("trash")["items"]) == [b["id"]]
    assert vault.post("trash", {"ids": [a["id"]]}, status=400)["error"] == "Unable to restore items!"
    assert execute_raw(db_url, "SELECT COUNT(*) FROM items") == [(2,)]
    # The next write that may purge does, once per PURGE_EVERY seconds per process.
    vault.delete("trash", {"ids": []})
    assert execute_raw(db_url, "SELECT item_id FROM items") == [(b["id"],)]
    assert app.services.trash_purge.next_at == int(clock()) + trash.PURGE_EVERY


def test_the_purge_is_an_indexed_range_not_a_scan(app):
    if app.services.db.dialect != "sqlite":
        pytest.skip("the plan is read from SQLite")
    with app.services.db.connect() as conn:
        sql = conn.queries["delete_expired_trash"]
        plan = conn.raw.execute("EXPLAIN QUERY PLAN " + sql, {"cutoff": 0}).fetchall()
    assert any(
        "USING INDEX items_by_deleted" in str(tuple(row)) or "items_by_deleted" in str(tuple(row)) for row in plan
    ), plan
