-- Accounts: login hash, security stamp and the sealed data key.

-- name: get_user_by_name
SELECT user_id, username, password_hash, security_stamp, key_salt, key_params, sealed_key,
       failed_attempts, last_failure_at, public_key, sealed_private_key
FROM users WHERE username = :username;

-- name: get_user_by_token
-- A token's user and, in the same indexed read, its session (NULL columns when
-- the session was revoked or expired, or the token names none).
SELECT u.user_id, u.username, u.password_hash, u.security_stamp, u.key_salt, u.key_params, u.sealed_key,
       u.failed_attempts, u.last_failure_at, u.public_key, u.sealed_private_key,
       s.session_id, s.last_seen_at AS session_seen_at
FROM users u
LEFT JOIN sessions s ON s.session_id = :session_id AND s.user_id = u.user_id AND s.expires_at > :now
WHERE u.user_id = :user_id;

-- name: insert_user
INSERT INTO users (username, password_hash, security_stamp, key_salt, key_params, sealed_key, created_at)
VALUES (:username, :password_hash, :security_stamp, :key_salt, :key_params, :sealed_key, :created_at);

-- name: update_user_key
UPDATE users SET key_salt = :key_salt, key_params = :key_params, sealed_key = :sealed_key
WHERE user_id = :user_id;

-- name: update_user_key_pair
-- Sharing's key pair, made once: a second unlock racing the first keeps the first pair.
UPDATE users SET public_key = :public_key, sealed_private_key = :sealed_private_key
WHERE user_id = :user_id AND public_key IS NULL;

-- name: get_user_public_key
-- Whom a member added by name is, and the key their copy is sealed to (NULL: no pair yet).
SELECT user_id, username, public_key FROM users WHERE username = :username;

-- name: update_user_password
UPDATE users SET password_hash = :password_hash, security_stamp = :security_stamp
WHERE user_id = :user_id;

-- name: update_user_hash
UPDATE users SET password_hash = :password_hash WHERE user_id = :user_id;

-- name: update_user_name
UPDATE users SET username = :username WHERE user_id = :user_id;

-- name: update_user_stamp
UPDATE users SET security_stamp = :security_stamp WHERE user_id = :user_id;

-- name: delete_user
DELETE FROM users WHERE user_id = :user_id;

-- name: count_user_rows
SELECT (SELECT COUNT(*) FROM categories WHERE user_id = :user_id)
     + (SELECT COUNT(*) FROM items WHERE user_id = :user_id) AS row_count;

-- name: update_user_failure
-- A wrong passphrase. Counts older than the window start again from one; the
-- count is assigned before last_failure_at, which MySQL evaluates in order.
UPDATE users
SET failed_attempts = CASE WHEN last_failure_at < :window_start THEN 1 ELSE failed_attempts + 1 END,
    last_failure_at = :now
WHERE user_id = :user_id;

-- name: update_user_failures_cleared
UPDATE users SET failed_attempts = 0 WHERE user_id = :user_id AND failed_attempts <> 0;
