-- The trash: items whose deleted_at is set. Only items deleted at or after
-- :cutoff (now - trash_days) are in it; older ones wait, unseen, for the
-- occasional purge (delete_expired_trash), a range of the deleted_at index.

-- name: update_item_to_trash
UPDATE items SET deleted_at = :now WHERE item_id = :item_id AND user_id = :user_id AND deleted_at IS NULL;

-- name: update_items_in_category_to_trash
UPDATE items SET deleted_at = :now
WHERE category_id = :category_id AND user_id = :user_id AND deleted_at IS NULL;

-- name: list_trash
SELECT item_id, category_id, sort_id, created_at, updated_at, deleted_at, sealed_fields
FROM items WHERE user_id = :user_id AND deleted_at >= :cutoff
ORDER BY item_id;

-- name: get_trashed_item
SELECT item_id, category_id, sort_id, created_at, updated_at, deleted_at, sealed_fields
FROM items WHERE item_id = :item_id AND user_id = :user_id AND deleted_at >= :cutoff;

-- name: update_item_restore
UPDATE items SET deleted_at = NULL WHERE item_id = :item_id AND user_id = :user_id AND deleted_at IS NOT NULL;

-- name: delete_trashed_item
DELETE FROM items WHERE item_id = :item_id AND user_id = :user_id AND deleted_at IS NOT NULL;

-- name: delete_trash_of_user
DELETE FROM items WHERE user_id = :user_id AND deleted_at IS NOT NULL;

-- name: delete_expired_trash
DELETE FROM items WHERE deleted_at < :cutoff;
