"""Password history: an item's earlier passwords, sealed one by one, at most `password_history` kept."""

from .records import open_old_password, seal_old_password


def keep_replaced(call, item_id, password, replaced_at):
    """Keep `password`, just replaced on item `item_id`; drop the oldest beyond the configured count."""
    most = call.config.password_history
    if most:
        history_id = call.conn.run("insert_history_entry", item_id=item_id, user_id=call.user_id,
                                   replaced_at=replaced_at, sealed_password=b"")
        sealed = seal_old_password(call.data_key, call.user_id, item_id, history_id, password)
        call.conn.run("update_history_entry", history_id=history_id, user_id=call.user_id, sealed_password=sealed)
    # A handful of ids of one item, so they are dropped one by one: MySQL
    # takes no LIMIT inside an IN subquery.
    for row in call.conn.run("list_history_ids", item_id=item_id, user_id=call.user_id)[most:]:
        call.conn.run("delete_history_entry", history_id=row["history_id"], user_id=call.user_id)


def read(call, item_id):
    """[{"password", "replaced_at"}], newest first."""
    rows = call.conn.run("list_history", item_id=item_id, user_id=call.user_id, most=call.config.password_history)
    return [
        {
            "password": open_old_password(call.data_key, call.user_id, item_id, row["history_id"],
                                          row["sealed_password"]),
            "replaced_at": row["replaced_at"],
        }
        for row in rows
    ]
