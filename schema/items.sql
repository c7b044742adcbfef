-- Items: clear id, owner, category link and sort order; the six text fields
-- are one sealed record.

-- name: list_items
SELECT item_id, category_id, sort_id, sealed_fields
FROM items WHERE user_id = :user_id
ORDER BY item_id;

-- name: get_item
SELECT item_id, category_id, sort_id, sealed_fields
FROM items WHERE item_id = :item_id AND user_id = :user_id;

-- name: insert_item
-- The fields are sealed bound to the new row's id, so they are written by
-- update_item right after, in the same transaction.
INSERT INTO items (user_id, category_id, sort_id, sealed_fields)
VALUES (:user_id, :category_id, :sort_id, :sealed_fields);

-- name: update_item
UPDATE items SET category_id = :category_id, sort_id = :sort_id, sealed_fields = :sealed_fields
WHERE item_id = :item_id AND user_id = :user_id;

-- name: delete_item
DELETE FROM items WHERE item_id = :item_id AND user_id = :user_id;

-- name: delete_items_in_category
DELETE FROM items WHERE category_id = :category_id AND user_id = :user_id;

-- name: update_items_uncategorise
-- Done explicitly, not left to ON DELETE SET NULL, so it holds whatever the
-- dialect's foreign-key settings are.
UPDATE items SET category_id = NULL WHERE category_id = :category_id AND user_id = :user_id;
