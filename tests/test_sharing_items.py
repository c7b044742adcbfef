"""Collection items: moving in and out, trash, history, one-time codes and search of shared items (extensions.md §3)."""

from conftest import PASSWORD, Member, accept_invitations, execute_raw


def test_an_offline_member_reads_the_items_at_his_first_request(client, auth, alice):
    auth.sign_up("bob", PASSWORD, "bob passphrase")  # signed up, no session
    family = alice.new_collection()
    alice.add_items({"name": "tv", "password": "pin", "collection_id": family})
    alice.invite(family, bob="read")
    bob = Member(client, auth.headers(auth.login("bob"), "bob passphrase"), "bob")
    accept_invitations(client, bob.headers)
    assert [(item["name"], item["password"]) for item in bob.get("items")["items"]] == [("tv", "pin")]


def test_moving_an_item_in_and_out_re_seals_it_and_needs_write_on_both_sides(alice, bob):
    family = alice.new_collection()
    category = alice.add_categories("Home")[0]["id"]
    (item,) = alice.add_items({"name": "tv", "password": "one", "category_id": category})
    alice.post("items", {"items": [{"id": item["id"], "password": "two"}]})
    alice.add(family, bob="read")
    refused = alice.post(
        "items", {"items": [{"id": item["id"], "collection_id": family, "category_id": category}]}, status=400
    )
    assert refused["error"] == "Invalid item data in list!" and "category" in refused["description"]

    (moved,) = alice.post("items", {"items": [{"id": item["id"], "collection_id": family}]})["items"]
    assert (moved["collection_id"], moved["category"]) == (family, {"id": None})
    (seen,) = bob.get("items")["items"]
    assert (seen["password"], seen["category"], seen["collection_id"]) == ("two", {"id": None}, family)
    assert bob.get(f"items/{item['id']}/history")["history"][0]["password"] == "one"
    # bob may only read: moving it into his own vault needs write on the collection.
    assert (
        bob.post("items", {"items": [{"id": item["id"], "collection_id": None}]}, status=403)["error"]
        == "Not allowed in this collection!"
    )
    alice.add(family, bob="write")
    (taken,) = bob.post("items", {"items": [{"id": item["id"], "collection_id": None}]})["items"]
    assert taken["collection_id"] is None
    assert bob.get(f"items/{item['id']}/history")["history"][0]["password"] == "one"
    assert alice.names() == [] and bob.names() == ["tv"]
    # A collection bob is no member of is refused like an unknown one.
    refused = bob.post("items", {"items": [{"id": item["id"], "collection_id": family + 100}]}, status=400)
    assert refused["error"] == "Invalid item data in list!" and f"collection {family + 100}" in refused["description"]


def test_a_collections_trash_is_shared_by_its_writers(alice, bob):
    family = alice.new_collection()
    (item,) = alice.add_items({"name": "tv", "collection_id": family})
    alice.add(family, bob="write")
    bob.delete("items", {"ids": [item["id"]]})
    assert alice.names() == [] and bob.names() == []
    trashed = alice.get("trash")["items"]
    assert [(t["id"], t["collection_id"]) for t in trashed] == [(item["id"], family)]
    assert [t["id"] for t in bob.get("trash")["items"]] == [item["id"]]
    alice.add(family, bob="read")
    assert bob.get("trash")["items"] == []
    assert bob.post("trash", {"ids": [item["id"]]}, status=400)["error"] == "Unable to restore items!"
    assert bob.delete("trash", {"all": True})["purged"] == 0
    (restored,) = alice.post("trash", {"ids": [item["id"]]})["items"]
    assert restored["collection_id"] == family and bob.names() == ["tv"]
    alice.delete("items", {"ids": [item["id"]]})
    assert alice.delete("trash", {"ids": [item["id"]]})["purged"] == 1
    assert alice.get("trash")["items"] == []


def test_codes_and_search_cover_shared_items(alice, bob):
    family = alice.new_collection()
    (item,) = alice.add_items({"name": "Shared mail", "totp": "JBSWY3DPEHPK3PXP", "collection_id": family})
    alice.add(family, bob="read")
    assert bob.get(f"items/{item['id']}/totp")["digits"] == 6
    assert [code["id"] for code in bob.get("totp")["codes"]] == [item["id"]]
    assert [found["id"] for found in bob.get("search", q="mail")["items"]] == [item["id"]]
    assert bob.get("search", q="mail")["items"][0]["collection_id"] == family


def test_export_holds_the_personal_vault_only(alice):
    family = alice.new_collection()
    alice.add_items({"name": "shared", "collection_id": family}, {"name": "mine"})
    exported = alice.client.get("/v1/export", headers=alice.headers).json
    assert [item["name"] for item in exported["items"]] == ["mine"]


def test_a_passphrase_change_keeps_the_key_pair_and_the_shared_items(client, db_url, alice, bob):
    family = alice.new_collection()
    alice.add_items({"name": "tv", "collection_id": family})
    alice.add(family, bob="read")
    key_pair = execute_raw(db_url, "SELECT public_key, sealed_private_key FROM users WHERE username = 'bob'")
    client.post_json(
        "/v1/user",
        {"username": "bob", "password": PASSWORD, "phrase": "bob passphrase", "new_phrase": "bob's new passphrase"},
    )
    assert execute_raw(db_url, "SELECT public_key, sealed_private_key FROM users WHERE username = 'bob'") == key_pair
    bob.headers["x-opp-phrase"] = "bob's new passphrase"
    assert bob.names() == ["tv"]


def test_deleting_a_member_keeps_the_items_they_made_in_the_collection(client, alice, bob):
    family = alice.new_collection()
    alice.add(family, bob="write")
    (made,) = bob.add_items({"name": "bob's", "password": "one", "collection_id": family})
    bob.post("items", {"items": [{"id": made["id"], "password": "two"}]})
    bob.add_items({"name": "bob personal"})
    # Leaving a shared collection re-keys it: the passphrase comes along (tests/test_departure.py).
    client.delete_json("/v1/user", {"username": "bob", "password": PASSWORD, "phrase": "bob passphrase"})
    assert alice.names() == ["bob's"]
    assert alice.get(f"items/{made['id']}/history")["history"][0]["password"] == "one"
    alice.post("items", {"items": [{"id": made["id"], "password": "three"}]})
    assert [m["username"] for m in alice.get("collections")["collections"][0]["members"]] == ["alice"]
