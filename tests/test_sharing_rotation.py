"""Key rotation on removal, checked in the database with the crypto module; records moved between
collections or into the personal vault do not open (extensions.md §3)."""

import threading

from conftest import execute_raw
from oppmini.seal import crypto, keys
from oppmini.seal.crypto import SealError
from oppmini.store import db as store
from oppmini.store.db import Database

# How long a restore waits, once it has read the item, for a rotation to end: long enough for one that is
# not held back, short enough that one held back by the restore's lock costs the test little.
RESTORE_HOLD_SECONDS = 0.5


def stolen_key(app, db_url, username, collection_id):
    """What a removed member could keep (their users row and member row, as a backup holds them),
    opened with their passphrase: the collection key of that version."""
    with Database(db_url).connect() as conn:
        user = conn.run("get_user_by_name", username=username)
        copy = conn.run("get_membership", collection_id=collection_id, user_id=user["user_id"])
    data_key = app.services.accounts.unlock(user, f"{username} passphrase")
    private_key = keys.open_private_key(data_key, user["user_id"], user["sealed_private_key"])
    return keys.open_member_copy(
        private_key, copy["sealed_key"], collection_id, user["user_id"], copy["member_version"]
    )


def collection_records(db_url, collection_id):
    return execute_raw(
        db_url, "SELECT item_id, sealed_fields FROM items WHERE collection_id = ? ORDER BY item_id", (collection_id,)
    )


def opens(key, collection_id, item_id, record):
    try:
        crypto.open_sealed(key, record, crypto.bind("items", keys.collection_owner(collection_id), item_id))
        return True
    except SealError:
        return False


def test_a_removed_members_old_copy_opens_nothing_written_after_and_bob_gets_404(app, db_url, alice, bob):
    family = alice.new_collection()
    (kept,) = alice.add_items({"name": "tv", "password": "old", "collection_id": family})
    alice.add(family, bob="read")
    old_key = stolen_key(app, db_url, "bob", family)
    before = collection_records(db_url, family)
    assert [opens(old_key, family, item_id, record) for item_id, record in before] == [True]

    alice.remove(family, "bob")
    (new,) = alice.add_items({"name": "new", "password": "after", "collection_id": family})
    alice.delete("items", {"ids": [kept["id"]]})  # the trash is re-keyed too, and stays readable

    after = collection_records(db_url, family)
    assert [item_id for item_id, _ in after] == [kept["id"], new["id"]]
    assert [opens(old_key, family, item_id, record) for item_id, record in after] == [False, False]
    assert all(opens(stolen_key(app, db_url, "alice", family), family, item_id, record) for item_id, record in after)
    assert execute_raw(db_url, "SELECT key_version FROM collections WHERE collection_id = ?", (family,)) == [(2,)]
    assert [item["name"] for item in alice.get("trash")["items"]] == ["tv"]

    assert bob.get("items")["items"] == [] and bob.get("fetchall")["collections"] == []
    assert bob.get(f"items/{new['id']}/history", status=404)["error"] == "Not Found"
    assert bob.add(family, bob="manage", status=404)["error"] == "Not Found"
    assert (
        bob.post("items", {"items": [{"id": new["id"], "name": "x"}]}, status=400)["error"]
        == "Unable to update items in the database!"
    )


def test_history_and_name_are_re_sealed_by_a_rotation(app, db_url, alice, bob):
    family = alice.new_collection("Home")
    (item,) = alice.add_items({"name": "tv", "password": "one", "collection_id": family})
    alice.post("items", {"items": [{"id": item["id"], "password": "two"}]})
    alice.add(family, bob="read")
    alice.remove(family, "bob")
    assert alice.get(f"items/{item['id']}/history")["history"][0]["password"] == "one"
    assert alice.get("fetchall")["collections"] == [{"id": family, "name": "Home", "role": "manage"}]


def test_a_collection_record_copied_to_another_row_does_not_open(db_url, alice):
    family, work = alice.new_collection("Family"), alice.new_collection("Work")
    (shared, sibling) = alice.add_items({"name": "tv", "collection_id": family}, {"name": "b", "collection_id": family})
    (elsewhere,) = alice.add_items({"name": "vpn", "collection_id": work})
    (mine,) = alice.add_items({"name": "mine"})
    ((record,),) = execute_raw(db_url, "SELECT sealed_fields FROM items WHERE item_id = ?", (shared["id"],))
    for target in (sibling, elsewhere, mine):
        execute_raw(db_url, "UPDATE items SET sealed_fields = ? WHERE item_id = ?", (record, target["id"]))
        answer = alice.get("items", status=500)
        assert answer["error"] == "Unable to decrypt data!"
        assert answer["description"] == f"Item {target['id']} failed its integrity check."
        execute_raw(db_url, "DELETE FROM items WHERE item_id = ?", (target["id"],))
    assert alice.names() == ["tv"]


def test_an_item_restored_while_its_collection_is_rotated_is_tagged_under_the_new_key(monkeypatch, alice, bob, carol):
    # The restore has read the item when the rotation starts; on MariaDB it used to tag it under the key it
    # read then, over the rotation's new tag, and the item was no longer found by its site.
    family = alice.new_collection()
    alice.add(family, bob="write", carol="read")
    (item,) = alice.add_items({"name": "bank", "url": "https://bank.example/login", "collection_id": family})
    alice.delete("items", {"ids": [item["id"]]})
    restoring, rotated = threading.Event(), threading.Event()
    run = store.Connection.run

    def held_run(conn, query, /, **params):
        result = run(conn, query, **params)
        if query == "get_trashed_item" and threading.current_thread() is restore:
            restoring.set()
            rotated.wait(RESTORE_HOLD_SECONDS)  # on SQLite the rotation waits for this transaction
        return result

    def rotate():
        answers.append(alice.remove(family, "carol", status="*"))
        rotated.set()

    monkeypatch.setattr(store.Connection, "run", held_run)
    answers = []
    restore = threading.Thread(target=lambda: answers.append(bob.post("trash", {"ids": [item["id"]]}, status="*")))
    restore.start()
    assert restoring.wait(10)
    rotation = threading.Thread(target=rotate)
    rotation.start()
    restore.join()
    rotation.join()
    assert [answer.get("result") for answer in answers] == ["success", "success"], answers
    # Found by its site: its tag is made under the key the collection has now.
    found = bob.get("match", url="https://bank.example/login")["items"]
    assert [row["name"] for row in found] == ["bank"]
