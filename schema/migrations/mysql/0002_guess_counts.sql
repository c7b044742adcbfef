-- Guessing limits counted in the database, so that every process and node
-- shares them: one row per thing counted (a name, a name at one address, an
-- address). `guess_key` is an HMAC of it (hex), so neither a name (a password
-- may be typed there) nor an address is stored. A guess is counted before its
-- Argon2 check, which is what keeps parallel guesses within the limit.
-- It replaces login_failures, whose counts were short-lived: they start afresh.
CREATE TABLE IF NOT EXISTS guess_counts (
    guess_key       CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    attempts        INT      NOT NULL DEFAULT 0,
    last_attempt_at BIGINT   NOT NULL DEFAULT 0,
    KEY guess_counts_by_time (last_attempt_at)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
DROP TABLE IF EXISTS login_failures;
