"""Password history: an item's earlier passwords, sealed one by one, at most `password_history` kept.

Entries are sealed where their item is (its Place: the owner's data key, or
its collection's key) and carry the item row's user_id; moving the item
moves them (`move`).
"""

from ..seal.records import open_old_password, seal_old_password


def keep_replaced(call, place, row_user_id, item_id, password, replaced_at):
    """Keep `password`, just replaced on item `item_id`; drop the oldest beyond the configured count."""
    most = call.config.password_history
    if most:
        history_id = call.conn.run(
            "insert_history_entry", item_id=item_id, user_id=row_user_id, replaced_at=replaced_at, sealed_password=b""
        )
        sealed = seal_old_password(place.key, place.owner, item_id, history_id, password)
        call.conn.run("update_history_entry", history_id=history_id, user_id=row_user_id, sealed_password=sealed)
    # A handful of ids of one item, so they are dropped one by one: MySQL
    # takes no LIMIT inside an IN subquery.
    for row in call.conn.run("list_history_ids", item_id=item_id, user_id=row_user_id)[most:]:
        call.conn.run("delete_history_entry", history_id=row["history_id"], user_id=row_user_id)


def read(call, place, row):
    """[{"password", "replaced_at"}] of an item row, newest first."""
    rows = call.conn.run(
        "list_history", item_id=row["item_id"], user_id=row["user_id"], most=call.config.password_history
    )
    return [
        {
            "password": open_old_password(
                place.key, place.owner, row["item_id"], entry["history_id"], entry["sealed_password"]
            ),
            "replaced_at": entry["replaced_at"],
        }
        for entry in rows
    ]


def move(call, item_id, source, target, target_user_id):
    """Re-seal every entry of an item that moves from `source` to `target` (Places), owned by `target_user_id`."""
    for entry in call.conn.run("list_item_history_locked", item_id=item_id):
        password = open_old_password(source.key, source.owner, item_id, entry["history_id"], entry["sealed_password"])
        call.conn.run(
            "update_history_moved",
            history_id=entry["history_id"],
            user_id=target_user_id,
            sealed_password=seal_old_password(target.key, target.owner, item_id, entry["history_id"], password),
        )
