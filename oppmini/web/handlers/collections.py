"""Handlers of /v1/collections and /v1/collections/{id}/members (extensions.md section 3)."""

import json

from ...contract import errors
from ...contract.errors import bad_request
from ...contract.payload import is_text, list_field
from ...seal import keys
from ...seal.records import open_collection_name, seal_collection_name
from ...sharing import deletion, events, invitations, rekey
from ...vault import trash
from ...vault.access import ROLES, Place, allows, collection_summaries, not_allowed, not_found, shares
from ...vault.rows import as_id, cap_rows, is_blank, row_id
from . import SUCCESS

MAX_NAME_LENGTH = 255
FIRST_VERSION = 1


def list_collections(call):
    """GET: every collection of the caller, with its name, the caller's role and the members (and, for its
    managers, the pending invitations, `"pending": true`)."""
    members = {}
    for row in call.conn.run("list_members_of_user", user_id=call.user_id):
        members.setdefault(row["collection_id"], []).append({"username": row["username"], "role": row["role"]})
    for row in call.conn.run("list_pending_of_managed", user_id=call.user_id):
        members.setdefault(row["collection_id"], []).append(_pending(row))
    views = [{**summary, "members": members.get(summary["id"], [])} for summary in collection_summaries(call)]
    return {**SUCCESS, "collections": views}


def create_collections(call):
    """PUT {"names"}: new collections in request order, the caller their manager."""
    names = list_field(call.payload(), "names")
    cap_rows(call, "names", names)
    for position, name in enumerate(names, 1):
        _check_name(name, position)
    if names:
        # A collection made counts toward the bound like one joined: it bounds what one user holds.
        invitations.check_bound(call, call.user_id, call.user["username"], len(names))
    created = []
    for name in names:
        key = keys.new_collection_key()
        collection_id = call.conn.run(
            "insert_collection", sealed_name=b"", key_version=FIRST_VERSION, created_at=trash.now(call)
        )
        owner = keys.collection_owner(collection_id)
        call.conn.run(
            "update_collection_name",
            collection_id=collection_id,
            sealed_name=seal_collection_name(key, owner, collection_id, name),
        )
        _add_member(call, Place(key, owner, collection_id), FIRST_VERSION, call.user, "manage")
        events.created(call, collection_id)
        created.append(
            {
                "id": collection_id,
                "name": name,
                "role": "manage",
                "members": [{"username": call.user["username"], "role": "manage"}],
            }
        )
    events.notes(call).write()
    return {**SUCCESS, "collections": created}


def rename_collections(call):
    """POST {"collections": [{"id", "name"}]}: new names (role manage); all or none."""
    rows = list_field(call.payload(), "collections")
    cap_rows(call, "collections", rows)
    collections = shares(call)
    renamed = []
    for position, row in enumerate(rows, 1):
        sent = row_id(row, position, errors.BAD_REQUEST, errors.BAD_REQUEST)
        name = row.get("name")
        _check_name(name, position)
        membership = collections.require(_path_id(sent), "manage", lock=True)
        place = collections.place(membership)
        call.conn.run(
            "update_collection_name",
            collection_id=place.collection_id,
            sealed_name=seal_collection_name(place.key, place.owner, place.collection_id, name),
        )
        renamed.append({"id": place.collection_id, "name": name, "role": membership["role"]})
    return {**SUCCESS, "collections": renamed}


def delete_collections(call):
    """DELETE {"ids"} (role manage, passphrase): deletes the collections, their live items moved re-sealed
    into the caller's trash; all or none. Every member is told."""
    ids = list_field(call.payload(), "ids")
    cap_rows(call, "ids", ids)
    collections = shares(call)
    found = [collections.require(_path_id(value), "manage", lock=True) for value in ids]
    moved = 0
    for membership in {row["collection_id"]: row for row in found}.values():
        moved += deletion.delete(call, membership, collections.place(membership))
    events.notes(call).write()
    call.shares = None  # the caller's memberships changed
    return {**SUCCESS, "trashed": moved}


def count_invitations(call):
    """Before PUT members' transaction: each row counts against the caller's address's guess budget, so that
    inviting cannot list usernames (429 past it)."""
    members = call.payload().get("members")
    if isinstance(members, list) and 0 < len(members) <= call.config.max_rows:  # more: refused before any look-up
        call.services.throttle.reserve_invitations(call.conn, call.client, len(members))


def put_members(call):
    """PUT {"members": [{"username", "role"}]}: invites (sealing the invitee a copy of the key) or changes
    roles of members and invitations (role manage); the last manager cannot be demoted."""
    collections = shares(call)
    membership = collections.require(_path_id(call.path["collection_id"]), "manage", lock=True)
    rows = list_field(call.payload(), "members")
    cap_rows(call, "members", rows)
    place = collections.place(membership)
    for position, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise bad_request(errors.BAD_REQUEST, f"Row {position} must be an object with 'username' and 'role'.")
        role = _role(row.get("role"), position)
        username = row.get("username")
        invitations.check_name(username, position)
        invitations.invite(call, place, membership["key_version"], username, role)
    _check_manager(call, place.collection_id)
    events.notes(call).write()
    call.shares = None  # the caller's own role may have changed: read again
    return {**SUCCESS, "collection": _view(call, place.collection_id)}


def delete_members(call):
    """Removes members (DELETE {"usernames"}; role manage; anyone may remove themself) and rotates the key;
    withdraws pending invitations (role manage; no rotation: the invitee never had the key)."""
    collections = shares(call)
    membership = collections.require(_path_id(call.path["collection_id"]), "read", lock=True)
    usernames = list_field(call.payload(), "usernames")
    cap_rows(call, "usernames", usernames)
    collection_id = membership["collection_id"]
    leaving = []
    for username in usernames:
        if not isinstance(username, str) or not username:
            raise bad_request(errors.UNKNOWN_USER, "Each member is named by a non-empty 'username'.")
        user = call.conn.run("get_member_by_name", collection_id=collection_id, username=username)
        if user is not None and user["user_id"] == call.user_id:
            leaving.append(user["user_id"])
            events.member_changed(call, "member_left", collection_id, user)
            continue
        if not allows(membership["role"], "manage"):
            raise not_allowed(collection_id, "manage")
        if user is not None:
            leaving.append(user["user_id"])
            events.member_changed(call, "member_removed", collection_id, user)
        elif not invitations.withdraw(call, collection_id, username):
            # The same words for a name that is no user and one that is no member: they list nothing.
            raise bad_request(
                errors.UNKNOWN_USER, f"{json.dumps(username)} is not a member of collection {collection_id}."
            )
    if leaving:
        old = collections.place(membership)
        for user_id in leaving:
            call.conn.run("delete_member", collection_id=collection_id, user_id=user_id)
        _check_manager(call, collection_id)
        events.rotated(call, collection_id, rekey.rotate(call.conn, membership, old))
    events.notes(call).write()
    call.shares = None  # the caller's copy and version changed: read again if needed
    if call.user_id in leaving:
        return {**SUCCESS, "collection": None}
    return {**SUCCESS, "collection": _view(call, collection_id)}


def _add_member(call, place, version, user, role):
    copy = keys.seal_to_member(user["public_key"], place.key, place.collection_id, user["user_id"], version)
    call.conn.run(
        "insert_member",
        collection_id=place.collection_id,
        user_id=user["user_id"],
        role=role,
        key_version=version,
        sealed_key=copy,
        added_at=trash.now(call),
    )


def _check_manager(call, collection_id):
    if not call.conn.run("count_managers", collection_id=collection_id):
        raise bad_request(
            errors.NEEDS_MANAGER, "Give another member the role 'manage' first, or delete the collection."
        )


def _view(call, collection_id):
    collections = shares(call)
    row = collections.membership(collection_id)
    members = [
        {"username": member["username"], "role": member["role"]}
        for member in call.conn.run("list_members", collection_id=collection_id)
    ]
    if allows(row["role"], "manage"):
        members += [
            _pending(pending) for pending in call.conn.run("list_pending_of_collection", collection_id=collection_id)
        ]
    place = collections.place(row)
    name = open_collection_name(place.key, place.owner, collection_id, row["sealed_name"])
    return {
        "id": collection_id,
        "name": name,
        "role": row["role"],
        "members": sorted(members, key=lambda member: member["username"]),
    }


def _pending(row):
    return {"username": row["username"], "role": row["role"], "pending": True}


def _path_id(sent):
    """A collection id as sent (path or body); 404 naming it when it cannot name one."""
    collection_id = as_id(sent)
    if collection_id is None:
        raise not_found(sent)
    return collection_id


def _role(value, position):
    if value not in ROLES:
        raise bad_request(errors.BAD_REQUEST, f"Row {position}: 'role' must be one of {', '.join(ROLES)}.")
    return value


def _check_name(name, position):
    if is_blank(name) or not isinstance(name, str) or not is_text(name) or len(name) > MAX_NAME_LENGTH:
        raise bad_request(
            errors.BAD_REQUEST, f"Row {position}: a collection name is text of 1 to {MAX_NAME_LENGTH} characters."
        )
