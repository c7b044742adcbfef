-- Activity (oppmini/security/activity.py): each user's events, newest first.

-- name: insert_event
INSERT INTO activity (user_id, at, event, address, agent, detail)
VALUES (:user_id, :at, :event, :address, :agent, :detail);

-- name: list_events
SELECT event_id, at, event, address, agent, detail
FROM activity WHERE user_id = :user_id AND event_id < :before
ORDER BY event_id DESC LIMIT :limit;

-- name: delete_old_events
-- By the time index: only the rows that go are visited.
DELETE FROM activity WHERE at < :cutoff;
