-- Account security (README "Account security"): two-factor login, sessions
-- and each user's activity log; the same tables as
-- ../sqlite/0003_account_security.sql. Everything here belongs to one user
-- and goes with it (ON DELETE CASCADE).

-- One row per user who has started enrolment; `enabled` once a code confirmed
-- it. The TOTP secret is sealed under a key derived from the token signing key
-- (it is read at login, before any passphrase is known). `last_step` is the
-- 30-second step of the last code accepted: a code is good once.
CREATE TABLE IF NOT EXISTS two_factor (
    user_id       BIGINT          NOT NULL PRIMARY KEY,
    sealed_secret VARBINARY(255)  NOT NULL,
    enabled       TINYINT         NOT NULL DEFAULT 0,
    last_step     BIGINT          NOT NULL DEFAULT 0,
    changed_at    BIGINT          NOT NULL,
    CONSTRAINT two_factor_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- Unused recovery codes, as SHA-256 hashes only; spending one deletes its row.
CREATE TABLE IF NOT EXISTS recovery_codes (
    user_id   BIGINT   NOT NULL,
    code_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (user_id, code_hash),
    CONSTRAINT recovery_codes_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- One row per login; tokens name theirs (claim "sid"), and deleting the row
-- revokes them in every process. AUTO_INCREMENT: a revoked id never comes back.
CREATE TABLE IF NOT EXISTS sessions (
    session_id   BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id      BIGINT       NOT NULL,
    created_at   BIGINT       NOT NULL,
    last_seen_at BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL,
    address      VARCHAR(64)  NOT NULL,
    agent        VARCHAR(255) NOT NULL,
    KEY sessions_by_user (user_id, session_id),
    KEY sessions_by_expiry (expires_at),
    CONSTRAINT sessions_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- What happened to an account, newest first by id; `detail` is JSON that never
-- holds a secret. Rows older than config activity_days go by the `at` index.
CREATE TABLE IF NOT EXISTS activity (
    event_id BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id  BIGINT       NOT NULL,
    at       BIGINT       NOT NULL,
    event    VARCHAR(64)  NOT NULL,
    address  VARCHAR(64)  NOT NULL,
    agent    VARCHAR(255) NOT NULL,
    detail   TEXT         NOT NULL,
    KEY activity_by_user (user_id, event_id),
    KEY activity_by_time (at),
    CONSTRAINT activity_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
