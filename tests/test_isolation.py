"""Two users in one database: neither reads, changes or deletes the other's rows."""

import pytest

from conftest import Vault


@pytest.fixture
def bob(client, auth):
    return Vault(client, auth.user("bob", phrase="bob's own phrase"))


@pytest.fixture
def alices(vault):
    """Alice's vault with one category and two items; its fetchall as it stands."""
    (work,) = vault.add_categories("Work")
    vault.add_items({"name": "mail", "password": "alice-secret", "category_id": work["id"]}, {"name": "bank"})
    return vault.get("fetchall")


def test_bob_sees_none_of_alices_rows(vault, bob, alices):
    assert bob.get("fetchall") == {"result": "success", "categories": [], "items": [], "collections": []}
    assert bob.get("items")["items"] == [] and bob.get("categories")["categories"] == []


def test_failed_attempts_by_bob_change_nothing_of_alices(vault, bob, alices):
    (bobs_category,) = bob.add_categories("Mine")
    (bobs_item,) = bob.add_items({"name": "bob's"})
    category_id = alices["categories"][0]["id"]
    item_id, other_item_id = (item["id"] for item in alices["items"])

    answer = bob.post("categories", {"categories": [{"id": category_id, "name": "stolen"}]}, status=400)
    assert answer["error"] == "Unable to update categories in the database!"
    assert str(category_id) in answer["description"]

    answer = bob.post("items", {"items": [{"id": item_id, "password": "x"}]}, status=400)
    assert answer["error"] == "Unable to update items in the database!" and str(item_id) in answer["description"]

    # Re-categorising his own item into her category, or adding one there.
    answer = bob.post("items", {"items": [{"id": bobs_item["id"], "category_id": category_id}]}, status=400)
    assert answer["error"] == "Unable to update items in the database!"
    assert str(category_id) in answer["description"]
    answer = bob.put("items", {"items": [{"name": "x", "category_id": category_id}]}, status=400)
    assert answer["error"] == "Unable to add new items to the database!"

    # Deleting: her ids are ignored, his own go.
    bob.delete("items", {"ids": [item_id, other_item_id]})
    bob.delete("categories", {"ids": [category_id, bobs_category["id"]], "cascade": True})

    assert vault.get("fetchall") == alices
    bobs = bob.get("fetchall")
    assert [(item["name"], item["category_id"]) for item in bobs["items"]] == [("bob's", None)]
    assert bobs["categories"] == []


def test_a_batch_with_one_bad_row_changes_nothing(vault, bob, alices):
    category_id = alices["categories"][0]["id"]
    item_id = alices["items"][0]["id"]
    good = {"name": "fine"}
    bad_rows = [
        {"name": 12},  # wrong type
        {"name": "x", "category_id": 10_000},  # not an existing category
        {"name": "x" * 256},  # too long
    ]
    for bad in bad_rows:
        vault.put("items", {"items": [good, good, bad]}, status=400)
        vault.post("items", {"items": [{"id": item_id, "name": "changed"}, {"id": item_id, **bad}]}, status=400)
    vault.post("items", {"items": [{"id": item_id, "name": "changed"}, {"id": 10_000, "name": "x"}]}, status=400)
    vault.post(
        "categories", {"categories": [{"id": category_id, "name": "changed"}, {"id": 10_000, "name": "x"}]}, status=400
    )
    vault.put("categories", {"category_names": ["new", "", "other"]}, status=400)
    # One of bob's ids in alice's batch: refused as a whole.
    (bobs_category,) = bob.add_categories("Mine")
    vault.put("items", {"items": [good, {"name": "x", "category_id": bobs_category["id"]}]}, status=400)
    vault.delete("categories", {"ids": [category_id], "cascade": "yes"}, status=400)
    assert vault.get("fetchall") == alices
    assert bob.get("categories")["categories"] == [bobs_category]
