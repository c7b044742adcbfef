-- Account security (README "Account security"): two-factor login, sessions
-- and each user's activity log. Everything here belongs to one user and goes
-- with it (ON DELETE CASCADE).

-- One row per user who has started enrolment; `enabled` once a code confirmed
-- it. The TOTP secret is sealed under a key derived from the token signing key
-- (it is read at login, before any passphrase is known). `last_step` is the
-- 30-second step of the last code accepted: a code is good once.
CREATE TABLE IF NOT EXISTS two_factor (
    user_id       INTEGER PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    sealed_secret BLOB    NOT NULL,
    enabled       INTEGER NOT NULL DEFAULT 0,
    last_step     INTEGER NOT NULL DEFAULT 0,
    changed_at    INTEGER NOT NULL
);

-- Unused recovery codes, as SHA-256 hashes only; spending one deletes its row.
CREATE TABLE IF NOT EXISTS recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

-- One row per login; tokens name theirs (claim "sid"), and deleting the row
-- revokes them in every process. AUTOINCREMENT: a revoked id never comes back.
CREATE TABLE IF NOT EXISTS sessions (
    session_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    address      TEXT    NOT NULL,
    agent        TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id, session_id);
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires_at);

-- What happened to an account, newest first by id; `detail` is JSON that never
-- holds a secret. Rows older than config activity_days go by the `at` index.
CREATE TABLE IF NOT EXISTS activity (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id  INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    at       INTEGER NOT NULL,
    event    TEXT    NOT NULL,
    address  TEXT    NOT NULL,
    agent    TEXT    NOT NULL,
    detail   TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS activity_by_user ON activity (user_id, event_id);
CREATE INDEX IF NOT EXISTS activity_by_time ON activity (at);
