-- Categories: clear id, owner and sort order; the name is one sealed record.

-- name: list_categories
SELECT category_id, sort_id, sealed_name
FROM categories WHERE user_id = :user_id
ORDER BY category_id;

-- name: insert_category
-- The name is sealed bound to the new row's id, so it is written by
-- update_category right after, in the same transaction.
INSERT INTO categories (user_id, sort_id, sealed_name)
VALUES (:user_id, :sort_id, :sealed_name);

-- name: update_category
-- A null sort_id keeps the stored one.
UPDATE categories SET sealed_name = :sealed_name, sort_id = COALESCE(:sort_id, sort_id)
WHERE category_id = :category_id AND user_id = :user_id;

-- name: delete_category
DELETE FROM categories WHERE category_id = :category_id AND user_id = :user_id;
