"""Deleting a collection (extensions.md §3): the passphrase, the items into the deleter's trash, every member told;
and sharing's activity entries: one per user per request, the actor's address and agent only in their own log."""

import webtest

from oppmini.web.app import make_app


def activity(member):
    return member.client.get("/v1/activity", headers={"x-opp-jwt": member.headers["x-opp-jwt"]}).json["events"]


def test_deleting_a_collection_without_the_passphrase_is_refused_and_changes_nothing(alice, bob):
    family = alice.new_collection()
    alice.add_items({"name": "tv", "password": "pin", "collection_id": family})
    alice.add(family, bob="read")
    before = activity(alice)
    refused = alice.delete("collections", {"ids": [family]}, status=400)  # Vault.delete sends no passphrase
    assert refused["error"] == "Passphrase header missing!"
    assert bob.names() == alice.names() == ["tv"] and alice.get("trash")["items"] == []
    assert activity(alice) == before


def test_a_deleted_collections_items_go_to_the_deleters_trash_and_every_member_is_told(alice, bob, carol):
    family = alice.new_collection()
    (tv, _) = alice.add_items(
        {"name": "tv", "password": "one", "collection_id": family}, {"name": "old", "collection_id": family}
    )
    alice.post("items", {"items": [{"id": tv["id"], "password": "two"}]})
    alice.add(family, bob="write", carol="manage")
    bob.delete("items", {"ids": [_["id"]]})  # in the collection's trash: goes with the collection
    carol.invite(family, dave="read")  # a pending invitation goes too

    assert carol.delete_collections(family) == {"result": "success", "trashed": 1}
    assert alice.names() == bob.names() == carol.names() == []
    assert alice.get("trash")["items"] == bob.get("trash")["items"] == []
    (trashed,) = carol.get("trash")["items"]
    assert (trashed["name"], trashed["password"], trashed["collection_id"]) == ("tv", "two", None)
    (restored,) = carol.post("trash", {"ids": [tv["id"]]})["items"]
    assert restored["collection_id"] is None and carol.names() == ["tv"]
    assert [entry["password"] for entry in carol.get(f"items/{tv['id']}/history")["history"]] == ["one"]
    assert carol.get("collections")["collections"] == []

    told = {"collection_id": family, "by": "carol", "items": 1, "trash_of": "carol"}
    for member in (alice, bob, carol):
        latest = activity(member)[0]
        assert (latest["event"], latest["detail"]) == ("collection_deleted", told)


def test_one_event_per_user_per_request_and_no_address_or_agent_in_others_logs(config, clock, alice, bob, carol):
    family = alice.new_collection()
    alice.add(family, carol="manage")
    seen = {member.name: len(activity(member)) for member in (alice, bob, carol)}
    attacker = webtest.TestApp(make_app(config, clock=clock), extra_environ={"REMOTE_ADDR": "192.0.2.66"})
    headers = {**alice.headers, "User-Agent": "planted agent"}
    rows = [{"username": "bob", "role": role} for role in ("read", "write", "manage", "read")]
    attacker.put_json(f"/v1/collections/{family}/members", {"members": rows}, headers=headers)
    new = {member.name: activity(member)[: len(activity(member)) - seen[member.name]] for member in (alice, bob, carol)}
    assert [len(events) for events in new.values()] == [1, 1, 1]
    (own,), (bobs,), (carols,) = new.values()
    assert (own["address"], own["agent"]) == ("192.0.2.66", "planted agent")
    for other in (bobs, carols):
        assert (other["address"], other["agent"]) == ("", "")
    assert (bobs["event"], bobs["detail"]) == ("invited", {"collection_id": family, "role": "read", "by": "alice"})
    # The managers hear of all four rows in one entry: the invitation, then its role changed three times.
    assert (carols["event"], carols["detail"]["count"]) == ("members_changed", 4)
    assert [(change["event"], change["role"]) for change in carols["detail"]["changes"]] == [
        ("member_invited", "read"),
        ("member_role_changed", "write"),
        ("member_role_changed", "manage"),
        ("member_role_changed", "read"),
    ]

    # bob accepts, then leaves: the managers see who, never bob's address or agent.
    accepting = webtest.TestApp(make_app(config, clock=clock), extra_environ={"REMOTE_ADDR": "198.51.100.9"})
    token = {"x-opp-jwt": bob.headers["x-opp-jwt"], "User-Agent": "bob's phone"}
    (invitation,) = accepting.get("/v1/invitations", headers=token).json["invitations"]
    accepting.post_json("/v1/invitations", {"accept": [invitation["id"]]}, headers=token)
    accepting.delete_json(
        f"/v1/collections/{family}/members",
        {"usernames": ["bob"]},
        headers={**bob.headers, "User-Agent": "bob's phone"},
    )
    for manager in (alice, carol):
        left, joined = activity(manager)[:2]
        assert (joined["event"], left["event"]) == ("member_joined", "member_left")
        assert left["detail"] == {"collection_id": family, "username": "bob", "key_version": 2}
        assert {(event["address"], event["agent"]) for event in (left, joined)} == {("", "")}
    assert {(event["address"], event["agent"]) for event in activity(bob)[:2]} == {("198.51.100.9", "bob's phone")}
