"""Invitations (extensions.md §3): nothing of a collection reaches anyone before they accept."""

import json

import webtest

from conftest import accept_invitations
from oppmini.web.app import make_app


def invitations(member, status=200):
    return member.client.get("/v1/invitations", headers={"x-opp-jwt": member.headers["x-opp-jwt"]}, status=status).json


def answer(member, status=200, **lists):
    return member.client.post_json(
        "/v1/invitations", lists, headers={"x-opp-jwt": member.headers["x-opp-jwt"]}, status=status
    ).json


def export_names(member):
    document = json.loads(member.client.get("/v1/export", {"include_collections": "true"}, headers=member.headers).body)
    return sorted(item["name"] for item in document["items"])


def everything_seen(member):
    """What bob's vault calls show of shared items: fetchall, items, search, codes, export, collections."""
    fetched = member.get("fetchall")
    return {
        "fetchall": sorted(item["name"] for item in fetched["items"]),
        "fetchall collections": fetched["collections"],
        "items": member.names(),
        "search": sorted(item["name"] for item in member.get("search", q="mail")["items"]),
        "codes": len(member.get("totp")["codes"]),
        "export": export_names(member),
        "collections": member.get("collections")["collections"],
    }


def test_an_invitee_sees_nothing_of_the_collection_until_accepting(alice, bob):
    family = alice.new_collection("Family")
    alice.add_items({"name": "Shared mail", "totp": "JBSWY3DPEHPK3PXP", "collection_id": family})
    nothing = everything_seen(bob)
    assert nothing == {
        "fetchall": [],
        "fetchall collections": [],
        "items": [],
        "search": [],
        "codes": 0,
        "export": [],
        "collections": [],
    }

    shown = alice.invite(family, bob="write")["collection"]["members"]
    assert shown == [{"username": "alice", "role": "manage"}, {"username": "bob", "role": "write", "pending": True}]
    assert everything_seen(bob) == nothing
    refused = bob.put("items", {"items": [{"name": "x", "collection_id": family}]}, status=400)
    assert refused["error"] == "Invalid item data in list!"
    (pending,) = invitations(bob)["invitations"]
    assert set(pending) == {"id", "collection", "invited_by", "role", "at"}  # no name: it may be made to mislead
    assert (pending["collection"], pending["invited_by"], pending["role"]) == (family, "alice", "write")

    assert answer(bob, accept=[pending["id"]]) == {"result": "success", "invitations": []}
    seen = everything_seen(bob)
    assert seen["fetchall"] == seen["items"] == seen["search"] == seen["export"] == ["Shared mail"]
    assert seen["codes"] == 1 and seen["fetchall collections"] == [{"id": family, "name": "Family", "role": "write"}]
    assert [m.get("pending") for m in alice.get("collections")["collections"][0]["members"]] == [None, None]


def test_a_declined_or_withdrawn_invitation_leaves_nothing_and_answers_are_all_or_none(alice, bob, carol):
    family, work = alice.new_collection("Family"), alice.new_collection("Work")
    alice.invite(family, bob="read", carol="read")
    alice.invite(work, bob="read")
    family_invite, work_invite = (row["id"] for row in invitations(bob)["invitations"])
    # One id that is not bob's refuses the whole answer (carol's, a made-up one, a bad one).
    (carols,) = invitations(carol)["invitations"]
    for bad in (carols["id"], 999, "x"):
        refused = answer(bob, accept=[work_invite], decline=[bad], status=404)
        assert refused["error"] == "Not Found" and json.dumps(bad) in refused["description"]
    assert len(invitations(bob)["invitations"]) == 2
    assert answer(bob, status=400)["error"] == "Missing payload!"
    assert answer(bob, nothing=[1], status=400)["error"] == "Bad Request"

    assert answer(bob, decline=[family_invite], accept=[work_invite])["invitations"] == []
    assert [c["id"] for c in bob.get("collections")["collections"]] == [work]
    members = alice.get("collections")["collections"][0]["members"]
    assert members == [{"username": "alice", "role": "manage"}, {"username": "carol", "role": "read", "pending": True}]
    # A manager withdraws carol's invitation: gone from both sides, and no key rotation (carol never had it).
    assert alice.remove(family, "carol")["collection"]["members"] == [{"username": "alice", "role": "manage"}]
    assert invitations(carol)["invitations"] == []
    assert answer(carol, accept=[carols["id"]], status=404)["error"] == "Not Found"
    assert everything_seen(carol)["collections"] == []


def test_a_rotation_while_invited_keeps_the_invitation_opening_the_new_key(alice, bob, carol):
    family = alice.new_collection()
    alice.add_items({"name": "tv", "collection_id": family})
    alice.add(family, carol="read")
    alice.invite(family, bob="read")
    alice.remove(family, "carol")  # a rotation while bob's invitation is pending
    accept_invitations(bob.client, bob.headers)
    assert bob.names() == ["tv"]


def test_an_unknown_name_is_answered_like_a_known_one_and_counted_as_a_guess(config, clock, alice, bob):
    def masked(view, name):
        return json.dumps({**view, "collection": {**view["collection"], "id": 0}}).replace(f'"{name}"', '"NAME"')

    one, two = alice.new_collection("Same"), alice.new_collection("Same")
    known, unknown = alice.invite(one, bob="read"), alice.invite(two, nobody="read")
    assert masked(known, "bob") == masked(unknown, "nobody")
    assert '"pending": true' in masked(unknown, "nobody")
    assert masked(alice.remove(one, "bob"), "bob") == masked(alice.remove(two, "nobody"), "nobody")
    family = one

    # Each invitation counts against the address's guess budget (two so far): the next is 429 past it.
    budget = config.replace(max_failures_per_address=5)
    limited = webtest.TestApp(make_app(budget, clock=clock))
    put = f"/v1/collections/{family}/members"
    for name in ("bob", "nobody", "carol"):
        limited.put_json(put, {"members": [{"username": name, "role": "read"}]}, headers=alice.headers)
    refused = limited.put_json(
        put, {"members": [{"username": "dave", "role": "read"}]}, headers=alice.headers, status=429
    ).json
    assert refused["error"] == "Too many attempts"

    hinting = webtest.TestApp(make_app(config.replace(invite_unknown_names=False), clock=clock))
    refused = hinting.put_json(
        put, {"members": [{"username": "someone", "role": "read"}]}, headers=alice.headers, status=400
    ).json
    assert refused["error"] == "Unknown user!" and '"someone"' in refused["description"]


def test_at_most_max_collections_per_user_memberships_and_invitations(config, clock, alice, bob):
    bounded = webtest.TestApp(make_app(config.replace(max_collections_per_user=2), clock=clock))
    made = [alice.new_collection(name) for name in ("One", "Two")]
    third = bounded.put_json("/v1/collections", {"names": ["Three"]}, headers=alice.headers, status=400).json
    assert third["error"] == "Too many collections!"
    bob_own = bob.new_collection("Bob's")
    bounded.put_json(
        f"/v1/collections/{made[0]}/members", {"members": [{"username": "bob", "role": "read"}]}, headers=alice.headers
    )
    refused = bounded.put_json(
        f"/v1/collections/{made[1]}/members",
        {"members": [{"username": "bob", "role": "read"}]},
        headers=alice.headers,
        status=400,
    )
    assert refused.json["error"] == "Too many collections!"
    assert refused.json["description"] == (
        '"bob" is in or invited to 2 collections, the most one user may be: they must leave or decline some first.'
    )
    assert [m["username"] for m in alice.get("collections")["collections"][1]["members"]] == ["alice"]
    # Once bob declines or leaves one, the invitation goes through.
    bob.delete_collections(bob_own)
    bounded.put_json(
        f"/v1/collections/{made[1]}/members", {"members": [{"username": "bob", "role": "read"}]}, headers=alice.headers
    )
    assert len(invitations(bob)["invitations"]) == 2
