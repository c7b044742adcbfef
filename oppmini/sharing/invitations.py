"""Invitations (extensions.md section 3): nothing of a collection reaches anyone who has not accepted it.

A manager adding someone makes an invitation, with the invitee's copy of the
key sealed at once (they may be offline) and kept current by every rotation
(rekey.py). Until the invitee accepts, every query that reads a collection
for a user reads collection_members, which does not hold them. Accepting
turns the invitation into a membership; declining or withdrawing deletes it.

A name that names no user gets an invitation like any other (user_id NULL,
no copy), which is never accepted: the manager's answer, the member list and
the work done (a copy sealed to a throwaway key) are the same, so inviting
cannot list usernames; each invitation also counts against the inviting
address's guess budget (Throttle.reserve_invitations). The config switch
`invite_unknown_names = false` answers 400 `Unknown user!` instead.
"""

import functools
import json

from Crypto.PublicKey import ECC

from ..accounts.accounts import new_username
from ..contract import errors
from ..contract.errors import ApiError, bad_request
from ..seal import keys
from ..vault import trash
from ..vault.access import claim
from . import events

TOO_MANY_MESSAGE = (
    "{name} is in or invited to {limit} collections, the most one user may be: they must leave or decline some first."
)


def invite(call, place, version, username, role):
    """Invite `username` to the collection at `place` (key `version`) as `role`, or change the role of their
    pending invitation; a member's role is changed in place (no new consent)."""
    collection_id = place.collection_id
    user = call.conn.run("get_user_public_key", username=username)
    if user is not None:
        member = call.conn.run("get_member", collection_id=collection_id, user_id=user["user_id"])
        if member is not None:
            if member["role"] != role:
                call.conn.run("update_member_role", collection_id=collection_id, user_id=user["user_id"], role=role)
                events.member_changed(call, "member_role_changed", collection_id, user, role=role)
            return
    elif not call.config.invite_unknown_names:
        raise bad_request(errors.UNKNOWN_USER, f"No user is named {json.dumps(username)}.")
    public_key = None if user is None else user["public_key"]
    if public_key is None and not call.config.invite_unknown_names:
        raise bad_request(
            errors.NO_KEY_PAIR,
            f"{json.dumps(username)} must sign in and unlock their vault once before they can be invited.",
        )
    copy = _copy(public_key, place, user, version)
    if user is None:
        pending = call.conn.run("get_invitation_of_unknown_name", collection_id=collection_id, username=username)
    else:
        pending = call.conn.run("get_invitation_of_user", collection_id=collection_id, user_id=user["user_id"])
    if pending is not None:
        if pending["role"] != role or (pending["sealed_key"] is None and copy is not None):
            call.conn.run(
                "update_invitation",
                invitation_id=pending["invitation_id"],
                role=role,
                key_version=version,
                sealed_key=copy,
            )
        if pending["role"] != role:
            # The managers are told; the invitee hears nothing more until they accept.
            events.member_changed(
                call, "member_role_changed", collection_id, {"user_id": None, "username": username}, role=role
            )
        return
    if user is not None:
        check_bound(call, user["user_id"], username)
    call.conn.run(
        "insert_invitation",
        collection_id=collection_id,
        user_id=None if user is None else user["user_id"],
        username=username,
        role=role,
        key_version=version,
        sealed_key=copy,
        invited_by=call.user_id,
        invited_at=trash.now(call),
    )
    events.invited(call, collection_id, username, None if user is None else user["user_id"], role)


def check_bound(call, user_id, name, adding=1):
    """400 `Too many collections!` when `user_id` (named `name`) may not join or be invited to `adding` more."""
    limit = call.config.max_collections_per_user
    if call.conn.run("count_collections_of_user", user_id=user_id) + adding > limit:
        raise bad_request(errors.TOO_MANY_COLLECTIONS, TOO_MANY_MESSAGE.format(name=json.dumps(name), limit=limit))


def _copy(public_key, place, user, version):
    """The invitee's copy of the key; for a name without a key pair, the same sealing done for nothing."""
    if public_key is not None:
        return keys.seal_to_member(public_key, place.key, place.collection_id, user["user_id"], version)
    keys.seal_to_member(_throwaway_key(), place.key, place.collection_id, 0, version)
    return None


@functools.cache
def _throwaway_key():
    """A public key whose private half is dropped at once: what an unknown name's invitation seals to."""
    return ECC.generate(curve=keys.CURVE).public_key().export_key(format="raw")


def withdraw(call, collection_id, username):
    """Withdraw the pending invitation the member list names `username`; False when there is none."""
    pending = call.conn.run("get_invitation_by_name", collection_id=collection_id, username=username)
    if pending is None:
        return False
    call.conn.run("delete_invitation", invitation_id=pending["invitation_id"])
    events.member_changed(call, "invitation_withdrawn", collection_id, {"user_id": None, "username": username})
    return True


def check_name(username, position):
    """400 for a row whose username could name no account (so refusing it tells nothing)."""
    if not isinstance(username, str) or not username:
        raise bad_request(errors.BAD_REQUEST, f"Row {position}: each member is named by a non-empty 'username'.")
    # The rule a new name meets: an account from before it whose name breaks it cannot be invited by that name.
    _, fault = new_username(username)
    if fault is not None:
        raise bad_request(errors.BAD_REQUEST, f"Row {position}: 'username' {fault}.")


def mine(call):
    """GET /v1/invitations' list: the caller's pending invitations, without the collections' names."""
    return [
        {
            "id": row["invitation_id"],
            "collection": row["collection_id"],
            "invited_by": row["invited_by"],
            "role": row["role"],
            "at": row["invited_at"],
        }
        for row in call.conn.run("list_invitations_of_user", user_id=call.user_id)
    ]


def answer(call, invitation_id, accept):
    """Accept (a membership, the collection's lock held against a rotation) or decline one of the caller's
    invitations; 404 naming it when it is not theirs."""
    found = call.conn.run("get_invitation_for_invitee", invitation_id=invitation_id, user_id=call.user_id)
    if found is None:
        raise not_found(invitation_id)
    collection_id = found["collection_id"]
    if accept:
        claim(call.conn, collection_id)
        call.conn.run("get_collection_locked", collection_id=collection_id)
        found = call.conn.run("get_invitation_for_invitee", invitation_id=invitation_id, user_id=call.user_id)
        if found["sealed_key"] is None:
            raise bad_request(
                errors.NO_KEY_PAIR,
                f"Invitation {invitation_id} was made before your vault had a "
                "key pair: ask a manager of the collection to invite you again.",
            )
        call.conn.run(
            "insert_member",
            collection_id=collection_id,
            user_id=call.user_id,
            role=found["role"],
            key_version=found["key_version"],
            sealed_key=found["sealed_key"],
            added_at=trash.now(call),
        )
    call.conn.run("delete_invitation", invitation_id=invitation_id)
    event = "member_joined" if accept else "invitation_declined"
    detail = {"role": found["role"]} if accept else {}
    events.member_changed(call, event, collection_id, call.user, **detail)


def not_found(sent):
    return ApiError(404, errors.NOT_FOUND, f"Invitation {json.dumps(sent)} does not exist or is not yours.")
