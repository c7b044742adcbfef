-- Security keys and passkeys (WebAuthn) as the second factor (README
-- "Security keys and passkeys"). Everything here belongs to one user and goes
-- with it (ON DELETE CASCADE).

-- One row per registered key: its credential id and COSE public key as the
-- authenticator gave them (public values: the private key never leaves the
-- key), the signature counter last seen (a counter that goes back is a cloned
-- key), the owner's name for it and the transports the browser reported
-- (comma separated, a hint for the next sign-in).
CREATE TABLE IF NOT EXISTS webauthn_credentials (
    key_id        INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    credential_id BLOB    NOT NULL UNIQUE,
    public_key    BLOB    NOT NULL,
    sign_count    INTEGER NOT NULL DEFAULT 0,
    name          TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    transports    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS webauthn_credentials_by_user ON webauthn_credentials (user_id, key_id);

-- Challenges handed out and not yet answered: single-use (answering deletes
-- the row), short-lived (expires_at), and bound to what asked, by
-- `bound_to`: a hash of the session that registers a key, or of the login
-- attempt that was told to touch one. Never in a backup.
CREATE TABLE IF NOT EXISTS webauthn_challenges (
    bound_to   TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    challenge  BLOB    NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS webauthn_challenges_by_expiry ON webauthn_challenges (expires_at);
