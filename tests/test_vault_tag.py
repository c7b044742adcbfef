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


def test_a_file_added_or_deleted_changes_the_tag_though_the_items_revision_stays(alice, bob):
    family = alice.new_collection()
    alice.add(family, bob="read")
    (item,) = alice.add_items({"name": "tv", "collection_id": family})
    tags = [fetch(alice).headers["ETag"], fetch(bob).headers["ETag"]]
    url = f"/v1/items/{item['id']}/attachments"
    file_id = alice.client.post(f"{url}?name=a.txt", b"file", headers=alice.headers).json["attachment"]["id"]
    added = [fetch(alice, tags[0]), fetch(bob, tags[1])]
    assert [answer.status_int for answer in added] == [200, 200]
    assert [answer.json["items"][0]["revision"] for answer in added] == [item["revision"]] * 2
    assert [len(answer.json["items"][0]["attachments"]) for answer in added] == [1, 1]
    alice.client.delete(f"{url}/{file_id}", headers=alice.headers)
    deleted = fetch(bob, added[1].headers["ETag"])
    assert deleted.status_int == 200 and deleted.json["items"][0]["attachments"] == []
