"""Sharing's entries in the activity log (oppmini/security/activity.py): who is told what.

A change of membership is written to the logs of whoever made it, of the
member it concerns and of the collection's managers, once each, so a
manager sees every arrival and departure. A key rotation is written to the
logs of whoever caused it and of the managers. Details are ids, usernames,
roles and key versions: never a key, and never a collection's name (it is
sealed like the items).
"""


def _managers(call, collection_id):
    return {member["user_id"] for member in call.conn.run("list_members", collection_id=collection_id)
            if member["role"] == "manage"}


def _tell(call, event, user_ids, **detail):
    for user_id in sorted(user_ids):
        call.record(event, user_id, **detail)


def created(call, collection_id):
    call.record("collection_created", collection_id=collection_id)


def member_changed(call, event, collection_id, member, **detail):
    """`event` (member_added, member_role_changed, member_removed, member_left) about `member` (a users row)."""
    if event != "member_left":
        detail["by"] = call.user["username"]
    _tell(call, event, {call.user_id, member["user_id"]} | _managers(call, collection_id),
          collection_id=collection_id, username=member["username"], **detail)


def rotated(call, collection_id, version):
    _tell(call, "key_rotated", {call.user_id} | _managers(call, collection_id), collection_id=collection_id,
          key_version=version)
