"""A collection deleted by a manager (extensions.md section 3): its live items go to the manager's trash.

Nothing shared is destroyed by one member's token alone: deleting needs the
passphrase, and every live item of the collection is opened under the
collection key and sealed again under the deleting manager's data key, with
its password history and what vault health kept of it, into their personal
trash (kept `trash_days`, from where it can be restored like any item they
deleted). Items already in the collection's trash, and the collection's key
copies and pending invitations, go with the collection. Every member is
told, in the same transaction.
"""

from ..seal.records import open_items, seal_item
from ..vault import attachments, history, trash
from ..vault.access import personal
from ..vault.health import kept
from ..vault.sites import item_tag
from . import events


def delete(call, membership, place):
    """Delete the collection of `membership` (its lock held; `place` its opened key): the count of items moved."""
    collection_id = membership["collection_id"]
    members = [member["user_id"] for member in call.conn.run("list_members", collection_id=collection_id)]
    mine, now = personal(call), trash.now(call)
    rows = call.conn.run("list_collection_live_items", collection_id=collection_id)
    kept_before = kept.of_collection(call.conn, collection_id)
    opened = open_items(place.key, place.owner, [(row["item_id"], row["sealed_fields"]) for row in rows])
    moved = []
    for row, fields in zip(rows, opened, strict=True):
        history.move(call, row["item_id"], place, mine, call.user_id)
        record = seal_item(mine.key, mine.owner, row["item_id"], fields)
        attachments.move(call.conn, row["item_id"], place, mine, call.user_id)
        call.conn.run(
            "update_item_into_trash",
            item_id=row["item_id"],
            collection_id=collection_id,
            user_id=call.user_id,
            sealed_fields=record,
            domain_tag=item_tag(mine.key, fields["url"]),
            now=now,
        )
        moved.append((row["item_id"], row["sealed_fields"], record))
    kept.carry(call.conn, kept_before, place, mine, moved)
    call.conn.run("delete_collection", collection_id=collection_id)
    events.deleted(call, collection_id, members, len(rows))
    return len(rows)
