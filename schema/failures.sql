-- Failed logins per name (`name_key` is an HMAC of the name), for throttling.

-- name: get_login_failures
SELECT failed_attempts, last_failure_at FROM login_failures WHERE name_key = :name_key;

-- name: update_login_failure
-- Counts older than the window start again from one; the count is assigned
-- before last_failure_at, which MySQL evaluates in order.
UPDATE login_failures
SET failed_attempts = CASE WHEN last_failure_at < :window_start THEN 1 ELSE failed_attempts + 1 END,
    last_failure_at = :now
WHERE name_key = :name_key;

-- name: insert_login_failure
INSERT INTO login_failures (name_key, failed_attempts, last_failure_at) VALUES (:name_key, 1, :now);

-- name: delete_login_failures
DELETE FROM login_failures WHERE name_key = :name_key;

-- name: delete_stale_login_failures
DELETE FROM login_failures WHERE last_failure_at < :window_start;
