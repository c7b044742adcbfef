-- The trash: items whose deleted_at is set. Only items deleted at or after
-- :cutoff (now - trash_days) are in it; older ones wait, unseen, for the
-- occasional purge (delete_expired_trash), a range of the deleted_at index.
-- A collection's trash is its items with deleted_at set, seen and handled by
-- its members with write (the *_shared_* queries); the others are personal.

-- name: update_item_to_trash
UPDATE items SET deleted_at = :now
WHERE item_id = :item_id AND user_id = :user_id AND collection_id IS NULL AND deleted_at IS NULL;

-- name: update_shared_item_to_trash
UPDATE items SET deleted_at = :now WHERE item_id = :item_id AND collection_id = :collection_id AND deleted_at IS NULL;

-- name: delete_shared_item
DELETE FROM items WHERE item_id = :item_id AND collection_id = :collection_id AND deleted_at IS NULL;

-- name: update_items_in_category_to_trash
UPDATE items SET deleted_at = :now
WHERE category_id = :category_id AND user_id = :user_id AND deleted_at IS NULL;

-- name: list_trash
SELECT item_id, user_id, collection_id, category_id, sort_id, created_at, updated_at, revision, deleted_at, sealed_fields
FROM items WHERE user_id = :user_id AND collection_id IS NULL AND deleted_at >= :cutoff
ORDER BY item_id;

-- name: get_trashed_item
-- An item in the caller's trash or in that of a collection where they may write.
SELECT item_id, user_id, collection_id, category_id, sort_id, created_at, updated_at, revision, deleted_at, sealed_fields
FROM items
WHERE item_id = :item_id AND deleted_at >= :cutoff
  AND ((collection_id IS NULL AND user_id = :user_id)
       OR collection_id IN (SELECT m.collection_id FROM collection_members m
                            WHERE m.user_id = :user_id AND m.role IN ('write', 'manage')));

-- name: update_item_restore
-- The item was found by get_trashed_item in the same transaction; its tag written
-- again, as by any item write (a row from before tags gets one here).
UPDATE items SET deleted_at = NULL, domain_tag = :domain_tag WHERE item_id = :item_id AND deleted_at IS NOT NULL;

-- name: delete_trashed_item
DELETE FROM items
WHERE item_id = :item_id AND deleted_at IS NOT NULL
  AND ((collection_id IS NULL AND user_id = :user_id)
       OR collection_id IN (SELECT m.collection_id FROM collection_members m
                            WHERE m.user_id = :user_id AND m.role IN ('write', 'manage')));

-- name: delete_trash_of_user
-- Everything the caller's GET /v1/trash can show: their own trash and that of
-- every collection where they may write.
DELETE FROM items
WHERE deleted_at IS NOT NULL
  AND ((collection_id IS NULL AND user_id = :user_id)
       OR collection_id IN (SELECT m.collection_id FROM collection_members m
                            WHERE m.user_id = :user_id AND m.role IN ('write', 'manage')));

-- name: delete_expired_trash
DELETE FROM items WHERE deleted_at < :cutoff;
