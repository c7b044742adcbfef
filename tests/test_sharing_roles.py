"""Sharing between users of one server: roles, what a non-member sees, the last manager (extensions.md §3)."""

import pytest


def test_alice_shares_with_bob_who_reads_then_writes_and_carol_sees_nothing(alice, bob, carol):
    family = alice.new_collection("Family")
    (wifi,) = alice.add_items({"name": "Wi-Fi", "password": "hunter2", "collection_id": family})
    alice.add_items({"name": "alice only"})
    assert wifi["collection_id"] == family and wifi["category"] == {"id": None}
    alice.add(family, bob="read")

    # bob reads the shared item through GET /v1/items and fetchall, with its collection_id.
    (seen,) = bob.get("items")["items"]
    assert (seen["id"], seen["password"], seen["collection_id"]) == (wifi["id"], "hunter2", family)
    fetched = bob.get("fetchall")
    assert [item["name"] for item in fetched["items"]] == ["Wi-Fi"]
    assert fetched["collections"] == [{"id": family, "name": "Family", "role": "read"}]

    # read: no create, edit or delete.
    denied = bob.put("items", {"items": [{"name": "bob's", "collection_id": family}]}, status=403)
    assert denied["error"] == "Not allowed in this collection!"
    assert (
        bob.post("items", {"items": [{"id": wifi["id"], "name": "x"}]}, status=403)["error"]
        == "Not allowed in this collection!"
    )
    assert bob.delete("items", {"ids": [wifi["id"]]}, status=403)["error"] == "Not allowed in this collection!"
    assert alice.names() == ["Wi-Fi", "alice only"]

    # The routes answer under /api/v1 as well.
    listed = alice.client.get("/api/v1/collections", headers=alice.headers).json["collections"]
    assert listed == [
        {
            "id": family,
            "name": "Family",
            "role": "manage",
            "members": [{"username": "alice", "role": "manage"}, {"username": "bob", "role": "read"}],
        }
    ]
    alice.add(family, bob="write")
    (edited,) = bob.post("items", {"items": [{"id": wifi["id"], "password": "correct horse"}]})["items"]
    assert edited["collection_id"] == family
    assert [item["password"] for item in alice.get("items")["items"] if item["id"] == wifi["id"]] == ["correct horse"]
    assert bob.get(f"items/{wifi['id']}/history")["history"][0]["password"] == "hunter2"

    # carol, no member: nothing shared shows, and every path id of the collection is a 404 naming it.
    assert carol.get("items")["items"] == [] and carol.get("fetchall")["collections"] == []
    assert carol.get("collections")["collections"] == []
    for path in (f"items/{wifi['id']}/history", f"items/{wifi['id']}/totp"):
        answer = carol.get(path, status=404)
        assert answer["error"] == "Not Found" and str(wifi["id"]) in answer["description"]
    answer = carol.put(
        f"collections/{family}/members", {"members": [{"username": "carol", "role": "manage"}]}, status=404
    )
    assert answer["error"] == "Not Found" and str(family) in answer["description"]
    assert str(family) in carol.remove(family, "bob", status=404)["description"]
    assert carol.get("search", q="Wi-Fi")["items"] == []


def test_the_last_manager_can_neither_leave_nor_be_demoted(alice, bob):
    family = alice.new_collection()
    alice.add(family, bob="write")
    assert alice.remove(family, "alice", status=400)["error"] == "A collection needs a manager!"
    assert alice.add(family, alice="write", status=400)["error"] == "A collection needs a manager!"
    # bob, a writer, may leave; he cannot make himself manager.
    assert bob.add(family, bob="manage", status=403)["error"] == "Not allowed in this collection!"
    # Handing manage over first lets alice step down, then go.
    alice.add(family, bob="manage")
    assert alice.add(family, alice="read")["collection"]["role"] == "read"
    assert alice.remove(family, "alice") == {"result": "success", "collection": None}
    assert alice.get("collections")["collections"] == []
    (left,) = bob.get("collections")["collections"]
    assert left["members"] == [{"username": "bob", "role": "manage"}]
    assert bob.remove(family, "bob", status=400)["error"] == "A collection needs a manager!"


def test_a_member_may_always_leave_but_removes_others_only_as_manager(alice, bob, carol):
    family = alice.new_collection()
    alice.add(family, bob="read", carol="write")
    assert carol.remove(family, "bob", status=403)["error"] == "Not allowed in this collection!"
    assert bob.remove(family, "bob")["collection"] is None
    assert bob.get("collections")["collections"] == []
    assert [m["username"] for m in alice.get("collections")["collections"][0]["members"]] == ["alice", "carol"]


def test_bad_roles_are_refused_whole_and_removing_a_non_member_is_unknown_user(alice, bob):
    family = alice.new_collection()
    assert alice.add(family, bob="read", nobody="owner", status=400)["error"] == "Bad Request"
    assert [m["username"] for m in alice.get("collections")["collections"][0]["members"]] == ["alice"]
    assert alice.remove(family, "nobody", status=400)["error"] == "Unknown user!"
    assert alice.remove(family, "bob", status=400)["error"] == "Unknown user!"


def test_collections_are_created_renamed_and_deleted_with_their_items(alice, bob):
    created = alice.put("collections", {"names": ["Family", "Work"]})["collections"]
    assert [(c["name"], c["role"], c["members"]) for c in created] == [
        ("Family", "manage", [{"username": "alice", "role": "manage"}]),
        ("Work", "manage", [{"username": "alice", "role": "manage"}]),
    ]
    family, work = (c["id"] for c in created)
    alice.add_items({"name": "tv", "collection_id": family}, {"name": "vpn", "collection_id": work})
    alice.add(family, bob="write")
    assert (
        bob.post("collections", {"collections": [{"id": family, "name": "x"}]}, status=403)["error"]
        == "Not allowed in this collection!"
    )
    renamed = alice.post("collections", {"collections": [{"id": family, "name": "Home"}]})["collections"]
    assert renamed == [{"id": family, "name": "Home", "role": "manage"}]
    assert bob.get("fetchall")["collections"] == [{"id": family, "name": "Home", "role": "write"}]
    assert bob.delete_collections(family, status=403)["error"] == "Not allowed in this collection!"
    assert bob.delete_collections(work, status=404)["error"] == "Not Found"
    assert alice.delete_collections(family) == {"result": "success", "trashed": 1}
    assert alice.names() == ["vpn"] and bob.names() == []
    assert alice.names("trash") == ["tv"]
    assert [c["name"] for c in alice.get("collections")["collections"]] == ["Work"]


@pytest.mark.parametrize("body", [{}, {"names": "Family"}, {"names": [""]}, {"names": [5]}, {"names": ["x" * 256]}])
def test_bad_collection_names_are_400_and_create_nothing(alice, body):
    assert alice.put("collections", body, status=400)["status_code"] == 400
    assert alice.get("collections")["collections"] == []
