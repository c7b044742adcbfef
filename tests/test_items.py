"""GET, PUT, POST and DELETE /v1/items, wire-exact."""

import pytest

from conftest import ITEM_EXTRAS

SUCCESS = {"result": "success"}
FIELDS = ("name", "url", "account", "username", "password", "blob")
LIMITS = {"name": 255, "url": 2000, "account": 255, "username": 255, "password": 255, "blob": 4096}
FULL = {
    "name": "Bank",
    "url": "https://bank.example",
    "account": "12-34",
    "username": "al",
    "password": "s3cr3t!",
    "blob": "PIN 1234",
}


def listed(vault):
    return vault.get("items")["items"]


def test_create_answers_the_get_shape_in_request_order(vault):
    assert vault.get("items") == {"result": "success", "items": []}
    (work,) = vault.add_categories("Work")
    answer = vault.put("items", {"items": [{**FULL, "category_id": work["id"]}, {"name": "second"}]})
    first, second = answer["items"]
    # v1's keys in v1's order, then the extensions' (api-v1.md allows extra keys).
    assert list(first) == ["id", *FIELDS, "category", "sort_id", *ITEM_EXTRAS]
    assert first == {"id": first["id"], **FULL, "category": work, "sort_id": 0, **ITEM_EXTRAS}
    assert second == {
        "id": second["id"],
        "name": "second",
        "url": "",
        "account": "",
        "username": "",
        "password": "",
        "blob": "",
        "category": {"id": None},
        "sort_id": 0,
        **ITEM_EXTRAS,
    }
    assert first["id"] < second["id"]
    assert vault.get("items") == answer


def test_create_makes_null_fields_empty_and_ignores_client_ids_and_unknown_keys(vault):
    row = {"id": "tmp-8f3a", "name": None, "url": None, "password": "p", "category_id": None, "colour": "red"}
    (item,) = vault.add_items(row)
    assert isinstance(item["id"], int)
    assert item == {
        "id": item["id"],
        "name": "",
        "url": "",
        "account": "",
        "username": "",
        "password": "p",
        "blob": "",
        "category": {"id": None},
        "sort_id": 0,
        **ITEM_EXTRAS,
    }


def test_values_are_stored_verbatim(vault):
    row = {"name": "  padded  ", "url": "<script>&amp;", "blob": "line\r\nline\t", "password": "'\"\\%$"}
    (item,) = vault.add_items(row)
    assert {k: item[k] for k in row} == row


@pytest.mark.parametrize("field", FIELDS)
def test_fields_at_their_limit_round_trip(vault, field):
    value = "😀" * LIMITS[field]  # counted in code points, not bytes or UTF-16 units
    (item,) = vault.add_items({field: value})
    assert listed(vault)[0][field] == value == item[field]


UNICODE = {
    "name": "Ключ 🔑 密码",
    "url": "https://例え.jp/パス",
    "account": "مرحبا بالعالم",
    "username": "שלום\u200f",
    "password": "\u0007\u001b\u007f\u0085\u2028",
    "blob": "a\u0301 ﬁ \ufeff e\u0000f",
}


def test_unicode_round_trips(vault):
    (item,) = vault.add_items(UNICODE)
    assert {k: item[k] for k in FIELDS} == UNICODE
    assert {k: listed(vault)[0][k] for k in FIELDS} == UNICODE
    assert {k: vault.get("fetchall")["items"][0][k] for k in FIELDS} == UNICODE


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("bad", ["too long", 5, True, ["x"], {"a": 1}, "\ud800"])
def test_bad_field_names_it_and_stores_nothing(vault, field, bad):
    value = "x" * (LIMITS[field] + 1) if bad == "too long" else bad
    answer = vault.put("items", {"items": [{"name": "fine"}, {field: value}]}, status=400)
    assert answer["error"] == "Invalid item data in list!"
    assert f"'{field}'" in answer["description"] and "Row 2" in answer["description"]
    assert listed(vault) == []


@pytest.mark.parametrize("value", [1.5, True, "abc", ["1"], {"id": 1}])
def test_category_id_of_a_wrong_type_is_invalid_item_data(vault, value):
    answer = vault.put("items", {"items": [{"name": "x", "category_id": value}]}, status=400)
    assert answer["error"] == "Invalid item data in list!" and "'category_id'" in answer["description"]


@pytest.mark.parametrize("value", [999, -3, "999", 10**30])
def test_category_id_that_is_not_yours_is_refused_naming_it(vault, value):
    answer = vault.put("items", {"items": [{"name": "ok"}, {"name": "x", "category_id": value}]}, status=400)
    assert answer["error"] == "Unable to add new items to the database!"
    assert str(value) in answer["description"]
    assert listed(vault) == []


def test_category_id_may_be_sent_as_digits_or_as_empty(vault):
    (work,) = vault.add_categories("Work")
    first, second = vault.add_items({"category_id": str(work["id"])}, {"category_id": ""})
    assert (first["category"], second["category"]) == (work, {"id": None})


def test_sort_id_is_kept_and_checked(vault):
    (item,) = vault.add_items({"name": "a", "sort_id": 4})
    assert item["sort_id"] == 4
    vault.post("items", {"items": [{"id": item["id"], "name": "b"}]})
    assert listed(vault)[0]["sort_id"] == 4
    answer = vault.put("items", {"items": [{"sort_id": "4"}]}, status=400)
    assert answer["error"] == "Invalid item data in list!" and "'sort_id'" in answer["description"]


@pytest.mark.parametrize(
    "body, error",
    [
        ({"auto_pass": True}, "Required payload object 'items' is missing!"),
        ({"items": {"name": "x"}}, "'items' object should be in list form!"),
        ({"items": [], "auto_pass": [True]}, "'auto_pass' object should not be in list form!"),
        ({"items": [], "unique": [True]}, "'unique' object should not be in list form!"),
        ({"items": [], "genopts": [{}]}, "'genopts' object should not be in list form!"),
        ({"items": ["not a row"]}, "Invalid item data in list!"),
    ],
)
def test_create_payload_shapes(vault, body, error):
    assert vault.put("items", body, status=400)["error"] == error


def test_update_changes_only_the_fields_given(vault):
    work, home = vault.add_categories("Work", "Home")
    (item,) = vault.add_items({**FULL, "category_id": work["id"]})
    answer = vault.post("items", {"items": [{"id": item["id"], "password": "new", "blob": None, "extra": 1}]})
    expected = {**item, "password": "new", "blob": "", "revision": 2}
    assert answer == {"result": "success", "items": [expected]}
    assert listed(vault) == [expected]
    vault.post("items", {"items": [{"id": item["id"], "category_id": home["id"]}]})
    assert listed(vault)[0]["category"] == home
    vault.post("items", {"items": [{"id": str(item["id"]), "category_id": None}]})
    assert listed(vault) == [{**expected, "category": {"id": None}, "revision": 4}]


def test_update_of_an_empty_list_is_a_no_op(vault):
    vault.add_items(FULL)
    assert vault.post("items", {"items": []}) == {"result": "success", "items": []}


def test_update_of_the_same_item_twice_applies_both_in_order(vault):
    (item,) = vault.add_items(FULL)
    vault.post("items", {"items": [{"id": item["id"], "name": "one"}, {"id": item["id"], "url": "two"}]})
    assert (listed(vault)[0]["name"], listed(vault)[0]["url"]) == ("one", "two")


@pytest.mark.parametrize(
    "row, error",
    [
        ({"name": "x"}, "Missing item id in list!"),
        ("not a row", "Missing item id in list!"),
        ({"id": None, "name": "x"}, "Empty item id in list!"),
        ({"id": "", "name": 5}, "Empty item id in list!"),
        ({"id": 999, "name": 5}, "Invalid item data in list!"),
        ({"id": 999, "name": "x"}, "Unable to update items in the database!"),
        ({"id": "nope", "name": "x"}, "Unable to update items in the database!"),
        ({"id": "ID", "category_id": 999}, "Unable to update items in the database!"),
        ({"id": "ID", "category_id": "x"}, "Invalid item data in list!"),
    ],
)
def test_update_refusals_in_order_change_nothing(vault, row, error):
    first, second = vault.add_items(FULL, {"name": "two"})
    if isinstance(row, dict) and row.get("id") == "ID":
        row = {**row, "id": second["id"]}
    answer = vault.post("items", {"items": [{"id": first["id"], "name": "changed"}, row]}, status=400)
    assert answer["error"] == error
    if error.startswith("Unable"):
        assert ("999" if "999" in str(row) else "nope") in answer["description"]
    assert listed(vault) == [first, second]


def test_delete_ignores_empty_unknown_and_odd_ids(vault):
    first, second = vault.add_items({"name": "a"}, {"name": "b"})
    assert vault.delete("items", {"ids": []}) == SUCCESS
    assert vault.delete("items", {"ids": [999, "x", None, -1, first["id"]]}) == SUCCESS
    assert listed(vault) == [second]
    assert vault.delete("items", {"other": 1}, status=400)["error"] == "Required payload object 'ids' is missing!"
    assert vault.delete("items", {"ids": 3}, status=400)["error"] == "'ids' object should be in list form!"


def test_auto_pass_replaces_every_password_with_one_shared_password(vault):
    rows = [{"name": "a", "password": "typed"}, {"name": "b"}]
    first, second = vault.add_items(*rows, auto_pass=True)
    assert first["password"] == second["password"] != "typed"
    assert len(first["password"]) == 16


def test_auto_pass_with_unique_gives_each_row_its_own(vault):
    items = vault.add_items(
        *[{"name": str(n)} for n in range(5)],
        auto_pass=True,
        unique=True,
        genopts={"numChars": 30, "valid_chars": "[a-z]", "other": 1},
    )
    passwords = {item["password"] for item in items}
    assert len(passwords) == 5 and {len(p) for p in passwords} == {30}


@pytest.mark.parametrize("auto_pass", ["true", 1, False, None, {"on": True}])
def test_only_the_literal_true_turns_generation_on(vault, auto_pass):
    (item,) = vault.add_items({"password": "mine"}, auto_pass=auto_pass, genopts={"numChars": 1})
    assert item["password"] == "mine"


def test_auto_pass_applies_to_update_too(vault):
    (item,) = vault.add_items(FULL)
    answer = vault.post("items", {"items": [{"id": item["id"]}], "auto_pass": True, "genopts": {"numChars": 8}})
    (updated,) = answer["items"]
    assert len(updated["password"]) == 8 and {k: updated[k] for k in ("name", "blob")} == {
        "name": "Bank",
        "blob": "PIN 1234",
    }


@pytest.mark.parametrize(
    "genopts, description",
    [
        ({"min_length": 4}, "For sanity's sake, minimum word length must be a number in the range between 5 and 15."),
        (
            {"min_length": 16, "max_length": 30, "numChars": 1},
            "For sanity's sake, minimum word length must be a number in the range between 5 and 15.",
        ),
        ({"min_length": "x"}, "For sanity's sake, minimum word length must be a number in the range between 5 and 15."),
        (
            {"max_length": 21, "numChars": 1},
            "For sanity's sake, maximum word length must be a number in the range between 5 and 20.",
        ),
        ({"max_length": 4}, "For sanity's sake, maximum word length must be a number in the range between 5 and 20."),
        ({"min_length": 12, "max_length": 10, "numChars": 1}, "Minimum length cannot be larger than maximum length."),
        ({"numChars": 7}, "For sanity's sake, numChars must be between 8 and 100 characters."),
        ({"numChars": 101}, "For sanity's sake, numChars must be between 8 and 100 characters."),
        ({"numChars": True}, "For sanity's sake, numChars must be between 8 and 100 characters."),
    ],
)
def test_out_of_range_genopts_in_the_contracts_order(vault, genopts, description):
    answer = vault.put("items", {"items": [{"name": "x"}], "auto_pass": True, "genopts": genopts}, status=400)
    assert answer == {"status_code": 400, "error": "Invalid password generation options!", "description": description}
    assert listed(vault) == []
