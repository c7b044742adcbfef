"""GET, PUT, POST and DELETE /v1/categories, wire-exact."""

import pytest
import webtest

from conftest import PHRASE, Auth, Vault
from oppmini.web.app import make_app

SUCCESS = {"result": "success"}


def names(vault):
    return [category["name"] for category in vault.get("categories")["categories"]]


@pytest.mark.parametrize("prefix", ["/v1", "/api/v1"])
def test_create_then_list_in_request_order(client, auth, prefix):
    vault = Vault(client, auth.user(), prefix)
    assert vault.get("categories") == {"result": "success", "categories": []}
    created = vault.put("categories", {"category_names": ["Work", "Home", "Work"]})
    assert created["result"] == "success"
    assert [c["name"] for c in created["categories"]] == ["Work", "Home", "Work"]
    ids = [c["id"] for c in created["categories"]]
    assert ids == sorted(ids) and len(set(ids)) == 3 and all(isinstance(i, int) for i in ids)
    assert created["categories"][0] == {"id": ids[0], "name": "Work", "sort_id": 0}
    assert vault.get("categories") == created


def test_create_with_an_empty_list_answers_an_empty_list(vault):
    assert vault.put("categories", {"category_names": []}) == {"result": "success", "categories": []}


@pytest.mark.parametrize(
    "body, error",
    [
        ({"other": 1}, "Required payload object 'category_names' is missing!"),
        ({"category_names": "Work"}, "'category_names' object should be in list form!"),
        ({"category_names": ["ok", None]}, "Empty category name in list!"),
        ({"category_names": ["ok", ""]}, "Empty category name in list!"),
        ({"category_names": ["ok", 5]}, "Invalid category name in list!"),
        ({"category_names": [["x"], ""]}, "Invalid category name in list!"),
        ({"category_names": ["", 5]}, "Empty category name in list!"),
        ({"category_names": ["x" * 256]}, "Invalid category name in list!"),
        ({"category_names": ["\ud800"]}, "Invalid category name in list!"),
    ],
)
def test_create_refusals_store_nothing(vault, body, error):
    answer = vault.put("categories", body, status=400)
    assert answer["status_code"] == 400 and answer["error"] == error
    assert names(vault) == []


def test_a_name_of_255_characters_is_kept(vault):
    assert vault.add_categories("é" * 255)[0]["name"] == "é" * 255


def test_missing_payload(vault):
    assert vault.put("categories", {}, status=400)["error"] == "Missing payload!"
    answer = vault.client.put(
        "/v1/categories", b"{nope", headers={**vault.headers, "Content-Type": "application/json"}, status=400
    )
    assert answer.json["error"] == "Missing payload!" and answer.json["description"]


def test_rename_keeps_ids_and_ignores_unknown_keys(vault):
    work, home = vault.add_categories("Work", "Home")
    body = {"categories": [{"id": work["id"], "name": "Job", "initialName": "Work"}]}
    assert vault.post("categories", body) == SUCCESS
    assert vault.get("categories")["categories"] == [{**work, "name": "Job"}, home]


def test_rename_accepts_a_sort_id(vault):
    work, home = vault.add_categories("Work", "Home")
    vault.post("categories", {"categories": [{"id": home["id"], "name": "Home", "sort_id": 7}]})
    vault.post("categories", {"categories": [{"id": home["id"], "name": "House"}]})
    assert vault.get("categories")["categories"][1] == {"id": home["id"], "name": "House", "sort_id": 7}
    answer = vault.post("categories", {"categories": [{"id": home["id"], "name": "x", "sort_id": "7"}]}, status=400)
    assert answer["error"] == "Invalid category sort_id in list!"


def test_rename_with_an_empty_list_is_a_no_op(vault):
    vault.add_categories("Work")
    assert vault.post("categories", {"categories": []}) == SUCCESS
    assert names(vault) == ["Work"]


@pytest.mark.parametrize(
    "row, error",
    [
        ({"name": "x"}, "Missing category id in list!"),
        ({"id": None, "name": "x"}, "Empty category id in list!"),
        ({"id": "", "name": "x"}, "Empty category id in list!"),
        ({"id": "", "other": 1}, "Empty category id in list!"),
        ({"id": "ID"}, "Missing category name in list!"),
        ({"id": "ID", "name": None}, "Empty category name in list!"),
        ({"id": "ID", "name": ""}, "Empty category name in list!"),
        ({"id": "ID", "name": 3}, "Invalid category name in list!"),
        ("not a row", "Missing category id in list!"),
    ],
)
def test_rename_refusals_in_order_change_nothing(vault, row, error):
    work, home = vault.add_categories("Work", "Home")
    if isinstance(row, dict) and row.get("id") == "ID":
        row = {**row, "id": home["id"]}
    body = {"categories": [{"id": work["id"], "name": "Job"}, row]}
    answer = vault.post("categories", body, status=400)
    assert answer["error"] == error
    assert names(vault) == ["Work", "Home"]


@pytest.mark.parametrize("foreign_id", [999, "abc", -1, True, 10**30])
def test_rename_of_an_id_that_is_not_yours_names_it(vault, foreign_id):
    (work,) = vault.add_categories("Work")
    body = {"categories": [{"id": work["id"], "name": "Job"}, {"id": foreign_id, "name": "x"}]}
    answer = vault.post("categories", body, status=400)
    assert answer["error"] == "Unable to update categories in the database!"
    assert str(foreign_id).lower() in answer["description"]
    assert names(vault) == ["Work"]


def test_rename_accepts_an_id_sent_as_digits(vault):
    (work,) = vault.add_categories("Work")
    vault.post("categories", {"categories": [{"id": str(work["id"]), "name": "Job"}]})
    assert names(vault) == ["Job"]


def test_delete_with_cascade_removes_the_items(vault):
    work, home = vault.add_categories("Work", "Home")
    vault.add_items({"name": "w", "category_id": work["id"]}, {"name": "h", "category_id": home["id"]}, {"name": "n"})
    assert vault.delete("categories", {"ids": [work["id"]], "cascade": True}) == SUCCESS
    assert names(vault) == ["Home"]
    assert [item["name"] for item in vault.get("items")["items"]] == ["h", "n"]


def test_delete_without_cascade_uncategorises_the_items(vault):
    work, home = vault.add_categories("Work", "Home")
    vault.add_items({"name": "w", "category_id": work["id"]}, {"name": "h", "category_id": home["id"]})
    assert vault.delete("categories", {"ids": [work["id"]], "cascade": False}) == SUCCESS
    items = vault.get("items")["items"]
    assert [(item["name"], item["category"]) for item in items] == [("w", {"id": None}), ("h", home)]
    assert vault.get("fetchall")["items"][0]["category_id"] is None


@pytest.mark.parametrize(
    "body, error",
    [
        ({"cascade": True}, "Required payload object 'ids' is missing!"),
        ({"ids": 1, "cascade": True}, "'ids' object should be in list form!"),
        ({"ids": [1]}, "Required payload object 'cascade' is missing!"),
        ({"ids": [1], "cascade": [True]}, "'cascade' object should not be in list form!"),
        ({"ids": [], "cascade": True}, "Empty category id list!"),
        ({"ids": [], "cascade": "yes"}, "Empty category id list!"),
        ({"ids": [1], "cascade": "true"}, "Invalid cascade value!"),
        ({"ids": [1], "cascade": 1}, "Invalid cascade value!"),
        ({"ids": [1], "cascade": None}, "Invalid cascade value!"),
    ],
)
def test_delete_refusals(vault, body, error):
    (work,) = vault.add_categories("Work")
    body = {k: ([work["id"]] if v == [1] else v) for k, v in body.items()}
    assert vault.delete("categories", body, status=400)["error"] == error
    assert names(vault) == ["Work"]


def test_delete_ignores_unknown_ids(vault):
    (work,) = vault.add_categories("Work")
    assert vault.delete("categories", {"ids": [999, "x", None, work["id"]], "cascade": False}) == SUCCESS
    assert names(vault) == []


def test_checks_run_in_the_contracts_order(client, vault):
    url = "/v1/categories"
    answer = client.put_json(url, {"category_names": ["a"]}, status=401)
    assert answer.json["description"] == "Request does not contain an access token"
    token = {"x-opp-jwt": vault.headers["x-opp-jwt"]}
    answer = client.request(url, method="PUT", body=b'{"category_names": ["a"]}', headers=token, status=400)
    assert answer.json["error"] == "Missing Content-Type"
    answer = client.put(url, b"x", headers={**token, "Content-Type": "text/plain"}, status=400)
    assert answer.json["error"] == "Invalid Content-Type"
    answer = client.put_json(url, {}, headers=token, status=400)
    assert answer.json["error"] == "Passphrase header missing!"
    for phrase in ("wrong phrase", ""):
        answer = client.put_json(url, {}, headers={**token, "x-opp-phrase": phrase}, status=400)
        assert answer.json["error"] == "Incorrect passphrase supplied!"
    assert client.get(url, headers={**token, "x-opp-phrase": "nope"}, status=400).json["error"] == (
        "Incorrect passphrase supplied!"
    )
    answer = client.put_json(
        url,
        {"category_names": ["a"]},
        headers={**token, "x-opp-phrase": PHRASE},
        content_type="application/json; charset=utf-8",
    )
    assert answer.json["categories"][0]["name"] == "a"


def test_more_rows_than_max_rows_is_refused(config, clock):
    client = webtest.TestApp(make_app(config.replace(max_rows=3), clock=clock))
    vault = Vault(client, Auth(client).user())
    vault.add_categories("a", "b", "c")
    answer = vault.put("categories", {"category_names": list("abcd")}, status=400)
    assert answer["error"] == "Too many rows in request!"
    assert "at most 3" in answer["description"]
    assert vault.delete("categories", {"ids": [1, 2, 3, 4], "cascade": True}, status=400)["error"] == (
        "Too many rows in request!"
    )
    assert names(vault) == ["a", "b", "c"]
