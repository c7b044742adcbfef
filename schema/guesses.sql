-- Guessing limits (oppmini/throttle.py): a count per HMAC key in guess_counts,
-- and each account's passphrase count on its users row. A guess is reserved
-- (counted) in one short transaction before its Argon2 check: the row is
-- locked first (an UPDATE that changes nothing), then read, then counted.

-- name: insert_guess_count
-- Made outside the reservation's transaction, so that concurrent first
-- guesses never wait on each other's gap locks (MySQL).
INSERT INTO guess_counts (guess_key, attempts, last_attempt_at) VALUES (:guess_key, 0, :now);

-- name: update_guess_count_locked
UPDATE guess_counts SET attempts = attempts WHERE guess_key = :guess_key;

-- name: get_guess_count
SELECT attempts, last_attempt_at FROM guess_counts WHERE guess_key = :guess_key;

-- name: update_guess_count
-- Counts older than the window start again from one; the count is assigned
-- before last_attempt_at, which MySQL evaluates in order.
UPDATE guess_counts
SET attempts = CASE WHEN last_attempt_at < :window_start THEN 1 ELSE attempts + 1 END,
    last_attempt_at = :now
WHERE guess_key = :guess_key;

-- name: update_guess_count_returned
-- A guess that proved right gives its reservation back.
UPDATE guess_counts SET attempts = attempts - 1 WHERE guess_key = :guess_key AND attempts > 0;

-- name: delete_guess_count
DELETE FROM guess_counts WHERE guess_key = :guess_key;

-- name: delete_stale_guess_counts
DELETE FROM guess_counts WHERE last_attempt_at < :window_start;

-- name: update_user_failures_locked
UPDATE users SET failed_attempts = failed_attempts WHERE user_id = :user_id;

-- name: update_user_guesses_settled
-- A right passphrase: the account's count starts again as if no guess had
-- been made (its reservation had set last_failure_at too).
UPDATE users SET failed_attempts = 0, last_failure_at = 0 WHERE user_id = :user_id;

-- name: get_user_failures
SELECT failed_attempts AS attempts, last_failure_at AS last_attempt_at FROM users WHERE user_id = :user_id;
