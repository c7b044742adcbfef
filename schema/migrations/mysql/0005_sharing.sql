-- Sharing (extensions.md section 3), as ../sqlite/0005_sharing.sql: each
-- user's X25519 key pair (public key in clear, private key sealed under the
-- data key; NULL until the user's next unlock), collections, their members
-- with role and HPKE-sealed key copy, and items.collection_id.
-- The /*M! */ clauses (run by MariaDB, a comment to MySQL) make it re-runnable there.
ALTER TABLE users
    ADD COLUMN /*M! IF NOT EXISTS */ public_key VARBINARY(64) NULL,
    ADD COLUMN /*M! IF NOT EXISTS */ sealed_private_key VARBINARY(255) NULL;

CREATE TABLE IF NOT EXISTS collections (
    collection_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    sealed_name   BLOB   NOT NULL,
    key_version   BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

CREATE TABLE IF NOT EXISTS collection_members (
    collection_id BIGINT         NOT NULL,
    user_id       BIGINT         NOT NULL,
    role          VARCHAR(16)    NOT NULL,
    key_version   BIGINT         NOT NULL,
    sealed_key    VARBINARY(255) NOT NULL,
    added_at      BIGINT         NOT NULL,
    PRIMARY KEY (collection_id, user_id),
    KEY collection_members_by_user (user_id, collection_id),
    CONSTRAINT collection_members_collection FOREIGN KEY (collection_id)
        REFERENCES collections (collection_id) ON DELETE CASCADE,
    CONSTRAINT collection_members_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- A collection item: collection_id set, sealed under the collection key, no
-- category; user_id is the member who created it. NULL for a personal item.
ALTER TABLE items
    ADD COLUMN /*M! IF NOT EXISTS */ collection_id BIGINT NULL,
    ADD KEY /*M! IF NOT EXISTS */ items_by_collection (collection_id, item_id),
    ADD CONSTRAINT items_collection FOREIGN KEY /*M! IF NOT EXISTS */ (collection_id)
        REFERENCES collections (collection_id) ON DELETE CASCADE;
