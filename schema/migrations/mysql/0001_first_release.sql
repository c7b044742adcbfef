-- oppmini schema for MySQL/MariaDB (InnoDB, utf8mb4). Safe to run again: it
-- only creates what is missing. Sealed columns hold AES-EAX records (see
-- oppmini/crypto.py) as bytes; all else is clear. Same tables, constraints,
-- cascades and schema version as ../sqlite/0001_first_release.sql.

CREATE TABLE IF NOT EXISTS settings (
    name  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    value TEXT        NOT NULL
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- AUTO_INCREMENT never hands out an id twice (InnoDB keeps the counter across
-- restarts since MariaDB 10.2 and MySQL 8.0), as AUTOINCREMENT does on SQLite.
-- Usernames compare exactly, as on SQLite: utf8mb4_bin tells 'Alice' from
-- 'alice', and on MariaDB its NO PAD variant (the /*M! */ clause, which MySQL
-- reads as a comment) also tells 'alice ' from 'alice'. MySQL's utf8mb4_bin
-- ignores trailing spaces, so there such a second name is refused as taken.
CREATE TABLE IF NOT EXISTS users (
    user_id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username        VARCHAR(255) /*M! COLLATE utf8mb4_nopad_bin */ NOT NULL,
    password_hash   TEXT         NOT NULL,
    security_stamp  VARCHAR(64)  NOT NULL,
    key_salt        VARBINARY(255)  NOT NULL,
    key_params      VARCHAR(255) NOT NULL,
    sealed_key      VARBINARY(1024) NOT NULL,
    failed_attempts INT          NOT NULL DEFAULT 0,
    last_failure_at BIGINT       NOT NULL DEFAULT 0,
    created_at      BIGINT       NOT NULL,
    UNIQUE KEY users_by_name (username)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- Failed logins counted per name (HMAC of the name, hex, so a password typed
-- into the name field is never stored), known user or not: both cost the same.
-- Passphrase failures are counted on the users row itself.
CREATE TABLE IF NOT EXISTS login_failures (
    name_key        CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    failed_attempts INT      NOT NULL DEFAULT 0,
    last_failure_at BIGINT   NOT NULL DEFAULT 0,
    KEY login_failures_by_time (last_failure_at)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

CREATE TABLE IF NOT EXISTS categories (
    category_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id     BIGINT NOT NULL,
    sort_id     BIGINT NOT NULL DEFAULT 0,
    sealed_name BLOB   NOT NULL,
    KEY categories_by_user (user_id, category_id),
    CONSTRAINT categories_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- MEDIUMBLOB: an item's six fields sealed together can pass BLOB's 64 KiB
-- once the longest fields are escaped as JSON.
CREATE TABLE IF NOT EXISTS items (
    item_id       BIGINT     NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id       BIGINT     NOT NULL,
    category_id   BIGINT     NULL,
    sort_id       BIGINT     NOT NULL DEFAULT 0,
    sealed_fields MEDIUMBLOB NOT NULL,
    KEY items_by_user (user_id, item_id),
    KEY items_by_category (category_id),
    CONSTRAINT items_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE,
    CONSTRAINT items_category FOREIGN KEY (category_id) REFERENCES categories (category_id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

INSERT IGNORE INTO settings (name, value) VALUES ('schema_version', '1');
