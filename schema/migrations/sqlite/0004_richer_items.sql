-- Richer items (extensions.md section 1): times kept in clear, a trash, and
-- password history. The new text fields (totp, custom fields, favourite) live
-- in the item's one sealed record (layout 2 in oppmini/records.py), so the
-- items table gains no sealed column.
-- created_at/updated_at: Unix seconds; 0 for items written before this
-- release, whose times were never kept. deleted_at: NULL for a live item, the
-- time it went to the trash otherwise; the index serves the trash listing and
-- the occasional purge of old trash, a range read instead of a scan.
ALTER TABLE items ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN deleted_at INTEGER;
CREATE INDEX IF NOT EXISTS items_by_deleted ON items (deleted_at);

-- Passwords an item had before, each sealed bound to its item and entry.
CREATE TABLE IF NOT EXISTS item_history (
    history_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id         INTEGER NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    replaced_at     INTEGER NOT NULL,
    sealed_password BLOB    NOT NULL
);
CREATE INDEX IF NOT EXISTS item_history_by_item ON item_history (item_id, history_id);
