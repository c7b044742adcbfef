"""Handlers of /v1/collections and /v1/collections/{id}/members (extensions.md section 3)."""

import json

from .. import errors, trash
from ..errors import ApiError, bad_request
from ..payload import is_text, list_field
from ..records import open_collection_name, seal_collection_name
from ..rows import as_id, cap_rows, is_blank, row_id
from ..sharing import events, keys, rekey
from ..sharing.access import ROLES, Place, allows, collection_summaries, not_allowed, not_found, shares
from . import SUCCESS

MAX_NAME_LENGTH = 255
FIRST_VERSION = 1


def list_collections(call):
    """GET: every collection of the caller, with its name, the caller's role and the members."""
    members = {}
    for row in call.conn.run("list_members_of_user", user_id=call.user_id):
        members.setdefault(row["collection_id"], []).append({"username": row["username"], "role": row["role"]})
    views = [{**summary, "members": members.get(summary["id"], [])} for summary in collection_summaries(call)]
    return {**SUCCESS, "collections": views}


def create_collections(call):
    """PUT {"names"}: new collections in request order, the caller their manager."""
    names = list_field(call.payload(), "names")
    cap_rows(call, "names", names)
    for position, name in enumerate(names, 1):
        _check_name(name, position)
    created = []
    for name in names:
        key = keys.new_collection_key()
        collection_id = call.conn.run("insert_collection", sealed_name=b"", key_version=FIRST_VERSION,
                                      created_at=trash.now(call))
        owner = keys.collection_owner(collection_id)
        call.conn.run("update_collection_name", collection_id=collection_id,
                      sealed_name=seal_collection_name(key, owner, collection_id, name))
        _add_member(call, Place(key, owner, collection_id), FIRST_VERSION, call.user, "manage")
        events.created(call, collection_id)
        created.append({"id": collection_id, "name": name, "role": "manage",
                        "members": [{"username": call.user["username"], "role": "manage"}]})
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
        call.conn.run("update_collection_name", collection_id=place.collection_id,
                      sealed_name=seal_collection_name(place.key, place.owner, place.collection_id, name))
        renamed.append({"id": place.collection_id, "name": name, "role": membership["role"]})
    return {**SUCCESS, "collections": renamed}


def delete_collections(call):
    """Deletes the collections and every item in them (DELETE {"ids"}; role manage); all or none."""
    ids = list_field(call.payload(), "ids")
    cap_rows(call, "ids", ids)
    collections = shares(call)
    found = [collections.require(_path_id(value), "manage", lock=True)["collection_id"] for value in ids]
    for collection_id in found:
        call.conn.run("delete_collection", collection_id=collection_id)
    return SUCCESS


def put_members(call):
    """PUT {"members": [{"username", "role"}]}: adds members (sealing them a copy of the key) or changes
    roles (role manage); the last manager cannot be demoted."""
    collections = shares(call)
    membership = collections.require(_path_id(call.path["collection_id"]), "manage", lock=True)
    rows = list_field(call.payload(), "members")
    cap_rows(call, "members", rows)
    place = collections.place(membership)
    for position, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise bad_request(errors.BAD_REQUEST, f"Row {position} must be an object with 'username' and 'role'.")
        role = _role(row.get("role"), position)
        user = _user(call, row.get("username"))
        current = call.conn.run("get_member", collection_id=place.collection_id, user_id=user["user_id"])
        if current is None:
            if user["public_key"] is None:
                raise bad_request(errors.NO_KEY_PAIR, f"{json.dumps(user['username'])} must sign in and unlock "
                                  "their vault once before they can be added.")
            _add_member(call, place, membership["key_version"], user, role)
            events.member_changed(call, "member_added", place.collection_id, user, role=role)
        elif current["role"] != role:
            call.conn.run("update_member_role", collection_id=place.collection_id, user_id=user["user_id"],
                          role=role)
            events.member_changed(call, "member_role_changed", place.collection_id, user, role=role)
    _check_manager(call, place.collection_id)
    call.shares = None  # the caller's own role may have changed: read again
    return {**SUCCESS, "collection": _view(call, place.collection_id)}


def delete_members(call):
    """Removes members (DELETE {"usernames"}; role manage; anyone may remove themself) and rotates the key."""
    collections = shares(call)
    membership = collections.require(_path_id(call.path["collection_id"]), "read", lock=True)
    usernames = list_field(call.payload(), "usernames")
    cap_rows(call, "usernames", usernames)
    collection_id = membership["collection_id"]
    leaving = []
    for username in usernames:
        user = _user(call, username)
        if call.conn.run("get_member", collection_id=collection_id, user_id=user["user_id"]) is None:
            raise bad_request(errors.UNKNOWN_USER, f"{json.dumps(user['username'])} is not a member of "
                              f"collection {collection_id}.")
        if user["user_id"] != call.user_id and not allows(membership["role"], "manage"):
            raise not_allowed(collection_id, "manage")
        leaving.append(user["user_id"])
        events.member_changed(call, "member_left" if user["user_id"] == call.user_id else "member_removed",
                              collection_id, user)
    if not leaving:
        return {**SUCCESS, "collection": _view(call, collection_id)}
    old = collections.place(membership)
    for user_id in leaving:
        call.conn.run("delete_member", collection_id=collection_id, user_id=user_id)
    _check_manager(call, collection_id)
    events.rotated(call, collection_id, rekey.rotate(call.conn, membership, old))
    call.shares = None  # the caller's copy and version changed: read again if needed
    if call.user_id in leaving:
        return {**SUCCESS, "collection": None}
    return {**SUCCESS, "collection": _view(call, collection_id)}


def _add_member(call, place, version, user, role):
    copy = keys.seal_to_member(user["public_key"], place.key, place.collection_id, user["user_id"], version)
    call.conn.run("insert_member", collection_id=place.collection_id, user_id=user["user_id"], role=role,
                  key_version=version, sealed_key=copy, added_at=trash.now(call))


def _check_manager(call, collection_id):
    if not call.conn.run("count_managers", collection_id=collection_id):
        raise bad_request(errors.NEEDS_MANAGER, "Give another member the role 'manage' first, "
                          "or delete the collection.")


def _view(call, collection_id):
    collections = shares(call)
    row = collections.membership(collection_id)
    members = [{"username": member["username"], "role": member["role"]}
               for member in call.conn.run("list_members", collection_id=collection_id)]
    place = collections.place(row)
    name = open_collection_name(place.key, place.owner, collection_id, row["sealed_name"])
    return {"id": collection_id, "name": name, "role": row["role"],
            "members": sorted(members, key=lambda member: member["username"])}


def _path_id(sent):
    """A collection id as sent (path or body); 404 naming it when it cannot name one."""
    collection_id = as_id(sent)
    if collection_id is None:
        raise not_found(sent)
    return collection_id


def _user(call, username):
    if not isinstance(username, str) or not username:
        raise bad_request(errors.UNKNOWN_USER, "Each member is named by a non-empty 'username'.")
    user = call.conn.run("get_user_public_key", username=username)
    if user is None:
        raise bad_request(errors.UNKNOWN_USER, f"No user is named {json.dumps(username)}.")
    return user


def _role(value, position):
    if value not in ROLES:
        raise bad_request(errors.BAD_REQUEST, f"Row {position}: 'role' must be one of {', '.join(ROLES)}.")
    return value


def _check_name(name, position):
    if is_blank(name) or not isinstance(name, str) or not is_text(name) or len(name) > MAX_NAME_LENGTH:
        raise bad_request(errors.BAD_REQUEST, f"Row {position}: a collection name is text of 1 to "
                          f"{MAX_NAME_LENGTH} characters.")
