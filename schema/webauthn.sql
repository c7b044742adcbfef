-- Security keys and passkeys (oppmini/accounts/webauthn/): each account's
-- registered keys, and the challenges handed out and not yet answered.

-- name: list_webauthn_keys
SELECT key_id, credential_id, public_key, sign_count, name, created_at, last_used_at, transports
FROM webauthn_credentials WHERE user_id = :user_id ORDER BY key_id;

-- name: count_webauthn_keys
SELECT COUNT(*) AS keys_held FROM webauthn_credentials WHERE user_id = :user_id;

-- name: get_webauthn_key
SELECT key_id, public_key, sign_count, name
FROM webauthn_credentials WHERE user_id = :user_id AND credential_id = :credential_id;

-- name: insert_webauthn_key
INSERT INTO webauthn_credentials (user_id, credential_id, public_key, sign_count, name, created_at, transports)
VALUES (:user_id, :credential_id, :public_key, :sign_count, :name, :now, :transports);

-- name: update_webauthn_key_used
-- Taking the new counter is the clone check made atomic: a counter at or
-- below the one stored matches no row, whichever request got there first.
-- Keys that keep no counter (zero on both sides) match every time.
UPDATE webauthn_credentials SET sign_count = :sign_count, last_used_at = :now
WHERE key_id = :key_id AND (sign_count < :sign_count OR (sign_count = 0 AND :sign_count = 0));

-- name: delete_webauthn_key
DELETE FROM webauthn_credentials WHERE user_id = :user_id AND key_id = :key_id;

-- name: delete_webauthn_keys
DELETE FROM webauthn_credentials WHERE user_id = :user_id;

-- name: insert_webauthn_challenge
INSERT INTO webauthn_challenges (bound_to, user_id, challenge, expires_at)
VALUES (:bound_to, :user_id, :challenge, :expires_at);

-- name: get_webauthn_challenge
SELECT user_id, challenge, expires_at FROM webauthn_challenges WHERE bound_to = :bound_to;

-- name: delete_webauthn_challenge
-- Answering takes the row: a second answer to one challenge finds none.
DELETE FROM webauthn_challenges WHERE bound_to = :bound_to;

-- name: delete_stale_webauthn_challenges
DELETE FROM webauthn_challenges WHERE expires_at < :now;
