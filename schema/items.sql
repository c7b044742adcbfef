-- Items: clear id, owner, category link, sort order and times; the text
-- fields are one sealed record. An item with deleted_at set is in the trash:
-- every query of live items leaves it out.

-- name: list_items
SELECT item_id, category_id, sort_id, created_at, updated_at, sealed_fields
FROM items WHERE user_id = :user_id AND deleted_at IS NULL
ORDER BY item_id;

-- name: get_item
SELECT item_id, category_id, sort_id, created_at, updated_at, sealed_fields
FROM items WHERE item_id = :item_id AND user_id = :user_id AND deleted_at IS NULL;

-- name: insert_item
-- The fields are sealed bound to the new row's id, so they are written by
-- update_item right after, in the same transaction.
INSERT INTO items (user_id, category_id, sort_id, sealed_fields, created_at, updated_at)
VALUES (:user_id, :category_id, :sort_id, :sealed_fields, :now, :now);

-- name: update_item
UPDATE items SET category_id = :category_id, sort_id = :sort_id, sealed_fields = :sealed_fields, updated_at = :now
WHERE item_id = :item_id AND user_id = :user_id;

-- name: delete_item
DELETE FROM items WHERE item_id = :item_id AND user_id = :user_id AND deleted_at IS NULL;

-- name: delete_items_in_category
DELETE FROM items WHERE category_id = :category_id AND user_id = :user_id AND deleted_at IS NULL;

-- name: update_items_uncategorise
-- Done explicitly, not left to ON DELETE SET NULL, so it holds whatever the
-- dialect's foreign-key settings are. Items in the trash lose the category
-- too: restored, they come back uncategorised.
UPDATE items SET category_id = NULL WHERE category_id = :category_id AND user_id = :user_id;
