-- Guessing limits counted in the database, so that every process and node
-- shares them: one row per thing counted (a name, a name at one address, an
-- address). `guess_key` is an HMAC of it, so neither a name (a password may be
-- typed there) nor an address is stored. A guess is counted before its Argon2
-- check, which is what keeps parallel guesses within the limit.
-- It replaces login_failures, whose counts were short-lived: they start afresh.
CREATE TABLE IF NOT EXISTS guess_counts (
    guess_key       TEXT    PRIMARY KEY,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_attempt_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS guess_counts_by_time ON guess_counts (last_attempt_at);
DROP TABLE IF EXISTS login_failures;
