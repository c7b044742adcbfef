-- Security keys and passkeys (WebAuthn) as the second factor; the same tables
-- as ../sqlite/0008_webauthn.sql. Everything here belongs to one user and goes
-- with it (ON DELETE CASCADE).

-- One row per registered key: its credential id and COSE public key as the
-- authenticator gave them (public values), the signature counter last seen
-- (a counter that goes back is a cloned key), the owner's name for it and the
-- transports the browser reported (comma separated). A credential id is at
-- most 1023 bytes (WebAuthn Level 3).
CREATE TABLE IF NOT EXISTS webauthn_credentials (
    key_id        BIGINT          NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id       BIGINT          NOT NULL,
    credential_id VARBINARY(1023) NOT NULL,
    public_key    BLOB            NOT NULL,
    sign_count    BIGINT          NOT NULL DEFAULT 0,
    name          VARCHAR(100)    NOT NULL,
    created_at    BIGINT          NOT NULL,
    last_used_at  BIGINT          NULL,
    transports    VARCHAR(255)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
    UNIQUE KEY webauthn_credentials_id (credential_id),
    KEY webauthn_credentials_by_user (user_id, key_id),
    CONSTRAINT webauthn_credentials_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- Challenges handed out and not yet answered: single-use, short-lived, bound
-- to the session or login attempt that asked (`bound_to`, a hash). Never in a
-- backup.
CREATE TABLE IF NOT EXISTS webauthn_challenges (
    bound_to   CHAR(64)        CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    user_id    BIGINT          NOT NULL,
    challenge  VARBINARY(64)   NOT NULL,
    expires_at BIGINT          NOT NULL,
    KEY webauthn_challenges_by_expiry (expires_at),
    CONSTRAINT webauthn_challenges_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
