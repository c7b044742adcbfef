"""Items' revisions: a POST row's if_revision refuses a write over a change made since the client read the item."""

import pytest


def shared_item(alice, bob, role="write"):
    family = alice.new_collection()
    alice.add(family, bob=role)
    (item,) = alice.add_items({"name": "bank", "account": "A-1", "password": "one", "collection_id": family})
    return item


def test_a_stale_row_is_refused_naming_it_and_nothing_of_the_request_is_stored(alice, bob):
    item = shared_item(alice, bob)
    assert item["revision"] == 1
    (own,) = alice.add_items({"name": "mine"})
    (changed,) = bob.post("items", {"items": [{"id": item["id"], "password": "two", "if_revision": 1}]})["items"]
    assert changed["revision"] == 2
    stale = {"id": item["id"], "account": "A-2", "if_revision": 1}
    refused = alice.post("items", {"items": [{"id": own["id"], "name": "renamed"}, stale]}, status=409)
    assert refused["error"] == "Conflict"
    assert refused["description"] == f"Item changed since it was read! Row 2: item {item['id']} is at revision 2 now."
    by_name = {row["name"]: row for row in alice.get("items")["items"]}
    assert set(by_name) == {"bank", "mine"}  # the first row was not stored either
    assert (by_name["bank"]["account"], by_name["bank"]["password"], by_name["bank"]["revision"]) == ("A-1", "two", 2)


def test_a_row_at_the_items_revision_is_stored_and_answers_the_next_one(alice, bob):
    item = shared_item(alice, bob)
    (first,) = alice.post("items", {"items": [{"id": item["id"], "account": "A-2", "if_revision": 1}]})["items"]
    (second,) = bob.post("items", {"items": [{"id": item["id"], "password": "two", "if_revision": 2}]})["items"]
    assert (first["revision"], second["revision"]) == (2, 3)
    assert (second["account"], second["password"]) == ("A-2", "two")


def test_a_row_without_if_revision_keeps_v1s_last_write_wins(alice, bob):
    item = shared_item(alice, bob)
    bob.post("items", {"items": [{"id": item["id"], "password": "two"}]})
    (written,) = alice.post("items", {"items": [{"id": item["id"], "password": "three", "if_revision": None}]})["items"]
    assert (written["password"], written["revision"]) == ("three", 3)


@pytest.mark.parametrize("value", [0, -1, "1", 1.5, True, [1], 2**63])
def test_an_if_revision_that_is_no_positive_integer_is_refused(alice, value):
    (item,) = alice.add_items({"name": "x"})
    refused = alice.post("items", {"items": [{"id": item["id"], "name": "y", "if_revision": value}]}, status=400)
    assert refused["error"] == "Invalid item data in list!"
    assert refused["description"] == "Row 1: field 'if_revision' must be a positive integer or null."
    assert alice.get("items")["items"][0]["name"] == "x"
