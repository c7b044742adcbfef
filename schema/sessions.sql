-- Sessions (oppmini/security/sessions.py): one row per login, named by its
-- tokens; a token's own session is read with its user (users.sql,
-- get_user_by_token).

-- name: insert_session
INSERT INTO sessions (user_id, created_at, last_seen_at, expires_at, address, agent)
VALUES (:user_id, :now, :now, :expires_at, :address, :agent);

-- name: list_sessions
SELECT session_id, created_at, last_seen_at, address, agent
FROM sessions WHERE user_id = :user_id AND expires_at > :now ORDER BY session_id DESC;

-- name: update_session_seen
UPDATE sessions SET last_seen_at = :now WHERE session_id = :session_id AND last_seen_at < :now;

-- name: delete_session
DELETE FROM sessions WHERE session_id = :session_id AND user_id = :user_id;

-- name: delete_user_sessions
DELETE FROM sessions WHERE user_id = :user_id;

-- name: delete_other_sessions
DELETE FROM sessions WHERE user_id = :user_id AND session_id <> :session_id;

-- name: delete_expired_sessions
-- By the expiry index: only the rows that go are visited.
DELETE FROM sessions WHERE expires_at <= :now;
