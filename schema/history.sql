-- Password history: an item's earlier passwords, each one sealed record.

-- name: insert_history_entry
-- Sealed bound to the new entry's id, so the record is written by
-- update_history_entry right after, in the same transaction.
INSERT INTO item_history (item_id, user_id, replaced_at, sealed_password)
VALUES (:item_id, :user_id, :replaced_at, :sealed_password);

-- name: update_history_entry
UPDATE item_history SET sealed_password = :sealed_password
WHERE history_id = :history_id AND user_id = :user_id;

-- name: list_history
SELECT history_id, replaced_at, sealed_password FROM item_history
WHERE item_id = :item_id AND user_id = :user_id
ORDER BY history_id DESC LIMIT :most;

-- name: list_history_ids
SELECT history_id FROM item_history WHERE item_id = :item_id AND user_id = :user_id
ORDER BY history_id DESC;

-- name: delete_history_entry
DELETE FROM item_history WHERE history_id = :history_id AND user_id = :user_id;

-- name: update_history_moved
UPDATE item_history SET user_id = :user_id, sealed_password = :sealed_password WHERE history_id = :history_id;

-- name: list_password_changes
-- The newest password change kept for each live item of the caller and of
-- their collections (GET /v1/vault/health's old check).
SELECT h.item_id, MAX(h.replaced_at) AS changed_at
FROM items i JOIN item_history h ON h.item_id = i.item_id
WHERE i.user_id = :user_id AND i.collection_id IS NULL AND i.deleted_at IS NULL
GROUP BY h.item_id
UNION ALL
SELECT h.item_id, MAX(h.replaced_at) AS changed_at
FROM collection_members m JOIN items i ON i.collection_id = m.collection_id JOIN item_history h ON h.item_id = i.item_id
WHERE m.user_id = :user_id AND i.deleted_at IS NULL
GROUP BY h.item_id;
