"""The trash: deleted items kept `trash_days`, restorable until then, and purged now and then.

An item in the trash keeps its row, with `deleted_at` set, so its id is never
handed out again and its history stays with it. Whether an item is still in
the trash is decided by the time alone (deleted_at within trash_days), so no
request waits for a purge: items past it are left out of every answer and
deleted later by `TrashPurge`, one indexed range delete at most every
PURGE_EVERY seconds per process.
"""

import logging

log = logging.getLogger(__name__)

DAY = 24 * 3600
PURGE_EVERY = 600


def now(call):
    return int(call.services.clock())


def cutoff(call):
    """The oldest deletion time still in the trash."""
    return now(call) - call.config.trash_days * DAY


def discard_item(call, item_id):
    """Delete one live item of the caller: to the trash, or gone at once with trash_days 0."""
    if call.config.trash_days:
        call.conn.run("update_item_to_trash", item_id=item_id, user_id=call.user_id, now=now(call))
    else:
        call.conn.run("delete_item", item_id=item_id, user_id=call.user_id)
    call.services.trash_purge.now_and_then(call)


def discard_shared_item(call, item_id, collection_id):
    """Delete one live item of a collection (the caller's role checked): to the collection's trash, likewise."""
    if call.config.trash_days:
        call.conn.run("update_shared_item_to_trash", item_id=item_id, collection_id=collection_id, now=now(call))
    else:
        call.conn.run("delete_shared_item", item_id=item_id, collection_id=collection_id)
    call.services.trash_purge.now_and_then(call)


def discard_category_items(call, category_id):
    """The live items of a category deleted with cascade, likewise."""
    if call.config.trash_days:
        call.conn.run("update_items_in_category_to_trash", category_id=category_id, user_id=call.user_id, now=now(call))
    else:
        call.conn.run("delete_items_in_category", category_id=category_id, user_id=call.user_id)
    call.services.trash_purge.now_and_then(call)


class TrashPurge:
    """When this process last purged expired trash; runs the purge in a write transaction now and then."""

    def __init__(self):
        self.next_at = 0

    def now_and_then(self, call):
        moment = now(call)
        if moment < self.next_at:
            return
        self.next_at = moment + PURGE_EVERY
        purged = call.conn.run("delete_expired_trash", cutoff=cutoff(call))
        if purged:
            log.info("purged %d items older than %d days from the trash", purged, call.config.trash_days)
