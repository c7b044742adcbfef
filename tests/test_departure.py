"""Deleting a user who shares collections (DELETE /v1/user, opp-db del-user): managed hand-over, sole
collections gone with them, rotation from the others, and the items they created kept for the rest."""

import subprocess
import sys

import pytest

from conftest import PASSWORD, PHRASE, Vault, execute_raw, share
from live import write_config


@pytest.fixture
def family(vault, auth, db_url):
    """alice manages "Family", bob writes in it; each created one item there."""
    bob = Vault(vault.client, auth.user("bob"))
    collection_id = vault.put("collections", {"names": ["Family"]})["collections"][0]["id"]
    share(vault, collection_id, bob, "bob", "write")
    vault.add_items({"name": "alice's shared", "password": "a1", "collection_id": collection_id})
    bob.add_items({"name": "bob's shared", "password": "b1", "collection_id": collection_id})
    return vault, bob, collection_id


def delete_user(client, username, status=200, **extra):
    return client.delete_json("/v1/user", {"username": username, "password": PASSWORD, **extra}, status=status).json


def shared_names(vault, collection_id):
    return sorted(item["name"] for item in vault.get("items")["items"] if item["collection_id"] == collection_id)


def key_version(db_url, collection_id):
    return execute_raw(db_url, "SELECT key_version FROM collections WHERE collection_id = ?", (collection_id,))[0][0]


def test_the_last_manager_of_a_shared_collection_is_refused_until_manage_is_handed_over(family, db_url):
    alice, bob, collection_id = family
    refused = delete_user(alice.client, "alice", status=400, phrase=PHRASE)
    assert refused == {
        "status_code": 400,
        "error": "A collection needs a manager!",
        "description": f"You are the last manager of collection {collection_id}, which other members "
        "share: give one of them the role 'manage', or delete the collection, before "
        "deleting your account.",
    }
    assert shared_names(alice, collection_id) == ["alice's shared", "bob's shared"]  # nothing changed

    alice.put(f"collections/{collection_id}/members", {"members": [{"username": "bob", "role": "manage"}]})
    before = key_version(db_url, collection_id)
    delete_user(alice.client, "alice", phrase=PHRASE)
    # bob keeps the collection and what alice made in it, under a new key.
    assert shared_names(bob, collection_id) == ["alice's shared", "bob's shared"]
    assert [item["password"] for item in bob.get("items")["items"] if item["name"] == "alice's shared"] == ["a1"]
    [listed] = bob.get("collections")["collections"]
    assert listed["members"] == [{"username": "bob", "role": "manage"}]
    assert key_version(db_url, collection_id) == before + 1


def test_a_member_leaves_with_a_rotation_which_needs_the_passphrase(family, db_url):
    alice, bob, collection_id = family
    refused = delete_user(bob.client, "bob", status=400)
    assert refused["error"] == "Passphrase needed to leave shared collections!"
    assert str(collection_id) in refused["description"] and "'phrase'" in refused["description"]
    wrong = delete_user(bob.client, "bob", status=400, phrase="not bob's passphrase")
    assert wrong["error"] == "Incorrect passphrase supplied!"
    assert shared_names(alice, collection_id) == ["alice's shared", "bob's shared"]

    before = key_version(db_url, collection_id)
    delete_user(bob.client, "bob", phrase=PHRASE)
    assert shared_names(alice, collection_id) == ["alice's shared", "bob's shared"]
    assert [item["password"] for item in alice.get("items")["items"] if item["name"] == "bob's shared"] == ["b1"]
    assert alice.get("collections")["collections"][0]["members"] == [{"username": "alice", "role": "manage"}]
    assert key_version(db_url, collection_id) == before + 1
    (latest, _) = alice.get("activity")["events"][:2]
    assert (latest["event"], latest["detail"]) == (
        "member_left",
        {"collection_id": collection_id, "username": "bob", "key_version": before + 1},
    )
    assert (latest["address"], latest["agent"]) == ("", "")  # bob's, not alice's to see


def test_a_collection_whose_only_member_goes_goes_too(vault, db_url):
    solo = vault.put("collections", {"names": ["Solo"]})["collections"][0]["id"]
    vault.add_items({"name": "only mine", "collection_id": solo}, {"name": "personal"})
    delete_user(vault.client, "alice")  # no passphrase needed: no one stays to re-seal for
    assert execute_raw(db_url, "SELECT COUNT(*) FROM collections")[0][0] == 0
    assert execute_raw(db_url, "SELECT COUNT(*) FROM items")[0][0] == 0


def test_items_made_in_a_collection_left_earlier_stay_when_their_maker_is_deleted(family, db_url):
    alice, bob, collection_id = family
    bob.post(
        "items",
        {
            "items": [
                {
                    "id": next(item["id"] for item in bob.get("items")["items"] if item["name"] == "bob's shared"),
                    "password": "b2",
                }
            ]
        },
    )
    alice.client.delete_json(f"/v1/collections/{collection_id}/members", {"usernames": ["bob"]}, headers=alice.headers)
    delete_user(bob.client, "bob")  # in no collection now: no passphrase needed
    assert shared_names(alice, collection_id) == ["alice's shared", "bob's shared"]
    item_id = next(item["id"] for item in alice.get("items")["items"] if item["name"] == "bob's shared")
    assert [entry["password"] for entry in alice.get(f"items/{item_id}/history")["history"]] == ["b1"]


def opp_db(tmp_path, db_url, *args, stdin=""):
    config = write_config(tmp_path, db_connect=db_url)
    return subprocess.run(
        [sys.executable, "-m", "oppmini.admin", "--config", str(config), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_opp_db_del_user_applies_the_same_rules(family, tmp_path, db_url):
    alice, bob, collection_id = family
    done = opp_db(tmp_path, db_url, "del-user", "-u", "alice", "-p", PASSWORD, "--remove_data", "--phrase", PHRASE)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith(
        f"Error: A collection needs a manager! You are the last manager of collection {collection_id}"
    )
    # bob is no manager: he leaves, his passphrase asked for on stdin as any secret not given.
    done = opp_db(tmp_path, db_url, "del-user", "-u", "bob", "-p", PASSWORD, "--remove_data", stdin=PHRASE + "\n")
    assert (done.returncode, done.stdout) == (0, "User 'bob' deleted.\n"), done.stderr
    assert shared_names(alice, collection_id) == ["alice's shared", "bob's shared"]
