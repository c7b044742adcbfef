-- Two-factor login (oppmini/security/two_factor.py): the sealed TOTP secret,
-- the last step accepted, and the hashes of unused recovery codes.

-- name: get_two_factor
SELECT sealed_secret, enabled, last_step FROM two_factor WHERE user_id = :user_id;

-- name: insert_two_factor
INSERT INTO two_factor (user_id, sealed_secret, enabled, last_step, changed_at)
VALUES (:user_id, :sealed_secret, 0, 0, :now);

-- name: update_two_factor_pending
-- A new enrolment replaces one not yet confirmed, never a confirmed one.
UPDATE two_factor SET sealed_secret = :sealed_secret, last_step = 0, changed_at = :now
WHERE user_id = :user_id AND enabled = 0;

-- name: update_two_factor_enabled
UPDATE two_factor SET enabled = 1, last_step = :step, changed_at = :now
WHERE user_id = :user_id AND enabled = 0;

-- name: update_two_factor_step
-- Taking a step is the replay check: a step at or before the last one taken
-- matches no row, whichever process or thread took it first.
UPDATE two_factor SET last_step = :step WHERE user_id = :user_id AND last_step < :step;

-- name: delete_two_factor
DELETE FROM two_factor WHERE user_id = :user_id;

-- name: insert_recovery_code
INSERT INTO recovery_codes (user_id, code_hash) VALUES (:user_id, :code_hash);

-- name: delete_recovery_code
-- Spending a code: one row deleted when it was unused, none otherwise.
DELETE FROM recovery_codes WHERE user_id = :user_id AND code_hash = :code_hash;

-- name: delete_recovery_codes
DELETE FROM recovery_codes WHERE user_id = :user_id;

-- name: count_recovery_codes
SELECT COUNT(*) AS left_over FROM recovery_codes WHERE user_id = :user_id;

-- name: list_two_factor_secrets
-- After a restore (opp-db restore): whose secret the configured signing key opens.
SELECT t.user_id, u.username, t.sealed_secret
FROM two_factor t JOIN users u ON u.user_id = t.user_id
WHERE t.enabled = 1 ORDER BY t.user_id;
