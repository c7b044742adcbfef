"""GET /v1/fetchall's ETag: an open page's "did anything change?" answered 304 until something did."""

import pytest


def fetch(member, tag=None):
    headers = {**member.headers, **({"If-None-Match": tag} if tag else {})}
    return member.client.get("/v1/fetchall", headers=headers, status=(200, 304))


def test_the_same_vault_is_304_with_no_body_and_the_same_tag(alice):
    alice.add_items({"name": "bank"})
    first = fetch(alice)
    tag = first.headers["ETag"]
    assert tag.startswith('"') and first.json["items"][0]["name"] == "bank"
    again = fetch(alice, tag)
    assert (again.status_int, again.body, again.headers["ETag"]) == (304, b"", tag)
    assert fetch(alice, f'"other", W/{tag}').status_int == 304  # a list of tags, weak or not, as HTTP has it
    assert fetch(alice, '"other"').status_int == 200


@pytest.mark.parametrize(
    "change",
    [
        lambda alice, item, family: alice.post("items", {"items": [{"id": item["id"], "password": "two"}]}),
        lambda alice, item, family: alice.post("items", {"items": [{"id": item["id"], "sort_id": 3}]}),
        lambda alice, item, family: alice.add_items({"name": "new"}),
        lambda alice, item, family: alice.delete("items", {"ids": [item["id"]]}),
        lambda alice, item, family: alice.add_categories("Home"),
        lambda alice, item, family: alice.put("collections", {"names": ["Work"]}),
        lambda alice, item, family: alice.post("collections", {"collections": [{"id": family, "name": "Kin"}]}),
    ],
    ids=["password", "order", "new item", "deleted", "new category", "new collection", "renamed collection"],
)
def test_any_change_of_the_answer_changes_the_tag(alice, change):
    family = alice.new_collection()
    (item,) = alice.add_items({"name": "bank", "password": "one"})
    tag = fetch(alice).headers["ETag"]
    change(alice, item, family)
    changed = fetch(alice, tag)
    assert changed.status_int == 200 and changed.headers["ETag"] != tag


def test_a_members_removal_and_new_role_reach_his_next_question(alice, bob):
    family = alice.new_collection()
    alice.add(family, bob="read")
    alice.add_items({"name": "tv", "password": "pin", "collection_id": family})
    tag = fetch(bob).headers["ETag"]
    bob_again = bob.client.get("/v1/fetchall", headers={**bob.headers, "If-None-Match": tag}, status=304)
    alice.put(f"collections/{family}/members", {"members": [{"username": "bob", "role": "write"}]})
    upgraded = fetch(bob, bob_again.headers["ETag"])
    assert upgraded.status_int == 200 and upgraded.json["collections"][0]["role"] == "write"
    alice.remove(family, "bob")
    removed = fetch(bob, upgraded.headers["ETag"])
    assert removed.status_int == 200 and (removed.json["items"], removed.json["collections"]) == ([], [])
