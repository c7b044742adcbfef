-- Richer items (extensions.md section 1), as ../sqlite/0003_richer_items.sql:
-- times in clear, a trash (deleted_at, indexed for the listing and the
-- occasional purge), password history. The new text fields live in the
-- item's one sealed record, so items gains no sealed column.
-- One ALTER, so the columns and the index come together or not at all; the
-- /*M! */ clauses (run by MariaDB, a comment to MySQL) make it re-runnable there.
ALTER TABLE items
    ADD COLUMN /*M! IF NOT EXISTS */ created_at BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN /*M! IF NOT EXISTS */ updated_at BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN /*M! IF NOT EXISTS */ deleted_at BIGINT NULL,
    ADD KEY /*M! IF NOT EXISTS */ items_by_deleted (deleted_at);

CREATE TABLE IF NOT EXISTS item_history (
    history_id      BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    item_id         BIGINT NOT NULL,
    user_id         BIGINT NOT NULL,
    replaced_at     BIGINT NOT NULL,
    sealed_password BLOB   NOT NULL,
    KEY item_history_by_item (item_id, history_id),
    CONSTRAINT item_history_item FOREIGN KEY (item_id) REFERENCES items (item_id) ON DELETE CASCADE,
    CONSTRAINT item_history_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
