-- Attachments (extensions.md section 8), as ../sqlite/0011_attachments.sql:
-- a row per file (its key, name and media type sealed under the item's key,
-- its size in clear for the quota) and its chunks of 64 KiB, each sealed
-- under the file key (MEDIUMBLOB: a chunk and its seal pass 64 KiB).
CREATE TABLE IF NOT EXISTS attachments (
    attachment_id BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
    item_id       BIGINT         NOT NULL,
    user_id       BIGINT         NOT NULL,
    size          BIGINT         NOT NULL,
    sealed_header VARBINARY(2048) NOT NULL,
    created_at    BIGINT         NOT NULL,
    KEY attachments_by_item (item_id, attachment_id),
    KEY attachments_by_user (user_id),
    CONSTRAINT attachments_item FOREIGN KEY (item_id) REFERENCES items (item_id) ON DELETE CASCADE,
    CONSTRAINT attachments_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

CREATE TABLE IF NOT EXISTS attachment_chunks (
    attachment_id BIGINT     NOT NULL,
    chunk_index   BIGINT     NOT NULL,
    sealed_chunk  MEDIUMBLOB NOT NULL,
    PRIMARY KEY (attachment_id, chunk_index),
    CONSTRAINT attachment_chunks_attachment FOREIGN KEY (attachment_id)
        REFERENCES attachments (attachment_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
