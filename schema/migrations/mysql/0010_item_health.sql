-- What the vault health report derives from each item's record, sealed and
-- bound to that record, as ../sqlite/0008_item_health.sql: gone with its item.
CREATE TABLE IF NOT EXISTS item_health (
    item_id       BIGINT NOT NULL PRIMARY KEY,
    sealed_health BLOB   NOT NULL,
    CONSTRAINT item_health_item FOREIGN KEY (item_id) REFERENCES items (item_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
