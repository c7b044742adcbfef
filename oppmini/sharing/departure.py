"""A user leaving the server while in shared collections: what becomes of each, before the user row goes.

- The last manager of a collection with other members is refused (400 `A
  collection needs a manager!`) until they give `manage` to another member
  or delete the collection: a collection must never be left unmanaged.
- A collection whose only member the user is goes with them, items and all.
- From every other collection the user is removed as a manager would remove
  them: the key rotates (every item and the name re-sealed for the members
  who stay), which needs the user's own copy of the key, so their passphrase.
- Items the user created in a collection pass to a member who stays
  (Accounts.delete), so nothing shared goes with the user row.
"""

from ..contract import errors
from ..contract.errors import bad_request
from ..vault.access import shares
from . import events, rekey


def plan(conn, user_id):
    """(collections to delete, collections to leave) of the user, by id; 400 when one would lose its manager."""
    rows = conn.run("list_departing_memberships", user_id=user_id)
    stuck = [
        row["collection_id"] for row in rows if row["members"] > 1 and row["role"] == "manage" and row["managers"] == 1
    ]
    if stuck:
        ids = ", ".join(map(str, stuck))
        raise bad_request(
            errors.NEEDS_MANAGER,
            f"You are the last manager of collection {ids}, which other members share: give one of "
            "them the role 'manage', or delete the collection, before deleting your account.",
        )
    alone = [row["collection_id"] for row in rows if row["members"] == 1]
    shared = [row["collection_id"] for row in rows if row["members"] > 1]
    return alone, shared


def phrase_needed(shared):
    ids = ", ".join(map(str, shared))
    return bad_request(
        errors.PHRASE_NEEDED_TO_LEAVE,
        f"You share collection {ids} with others: send 'phrase' too, so that its key can be changed as you leave.",
    )


def depart(call, alone, shared):
    """In the caller's transaction, for the departing `call.user` (its data key opened when `shared`): delete
    the collections `alone` and leave those `shared` with a rotation; Accounts.delete does the rest."""
    user_id = call.user_id
    for collection_id in alone:
        call.conn.run("delete_collection", collection_id=collection_id)
    collections = shares(call)
    for collection_id in shared:
        membership = collections.require(collection_id, "read", lock=True)
        old = collections.place(membership)
        call.conn.run("delete_member", collection_id=collection_id, user_id=user_id)
        events.member_changed(call, "member_left", collection_id, call.user)
        events.rotated(call, collection_id, rekey.rotate(call.conn, membership, old))
    events.notes(call).write()
