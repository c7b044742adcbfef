-- oppmini schema for SQLite. Safe to run again: it only creates what is missing.
-- Sealed columns hold AES-EAX records (see oppmini/crypto.py); all else is clear.

CREATE TABLE IF NOT EXISTS settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- AUTOINCREMENT: ids are never reused, so nothing of a deleted user can ever
-- be mistaken for a later user's.
CREATE TABLE IF NOT EXISTS users (
    user_id         INTEGER PRIMARY KEY AUTOINCREMENT,
    username        TEXT    NOT NULL UNIQUE,
    password_hash   TEXT    NOT NULL,
    security_stamp  TEXT    NOT NULL,
    key_salt        BLOB    NOT NULL,
    key_params      TEXT    NOT NULL,
    sealed_key      BLOB    NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    last_failure_at INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);

-- Failed logins counted per name (HMAC of the name, so a password typed into
-- the name field is never stored), known user or not: both cost the same.
-- Passphrase failures are counted on the users row itself.
CREATE TABLE IF NOT EXISTS login_failures (
    name_key        TEXT    PRIMARY KEY,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    last_failure_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS login_failures_by_time ON login_failures (last_failure_at);

CREATE TABLE IF NOT EXISTS categories (
    category_id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    sort_id     INTEGER NOT NULL DEFAULT 0,
    sealed_name BLOB    NOT NULL
);
CREATE INDEX IF NOT EXISTS categories_by_user ON categories (user_id, category_id);

CREATE TABLE IF NOT EXISTS items (
    item_id       INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    category_id   INTEGER REFERENCES categories (category_id) ON DELETE SET NULL,
    sort_id       INTEGER NOT NULL DEFAULT 0,
    sealed_fields BLOB    NOT NULL
);
CREATE INDEX IF NOT EXISTS items_by_user ON items (user_id, item_id);
CREATE INDEX IF NOT EXISTS items_by_category ON items (category_id);

INSERT OR IGNORE INTO settings (name, value) VALUES ('schema_version', '1');
