-- Backup and restore (oppmini/backup.py): every column of every table, read in
-- id order one page at a time inside one read transaction, and written back
-- with the same ids.

-- name: list_backup_settings
SELECT name, value FROM settings ORDER BY name;

-- name: list_backup_users
SELECT user_id, username, password_hash, security_stamp, key_salt, key_params, sealed_key,
       failed_attempts, last_failure_at, created_at
FROM users WHERE user_id > :after_id ORDER BY user_id LIMIT :page_size;

-- name: list_backup_categories
SELECT category_id, user_id, sort_id, sealed_name
FROM categories WHERE category_id > :after_id ORDER BY category_id LIMIT :page_size;

-- name: list_backup_items
SELECT item_id, user_id, category_id, sort_id, sealed_fields, created_at, updated_at, deleted_at
FROM items WHERE item_id > :after_id ORDER BY item_id LIMIT :page_size;

-- name: list_backup_first_items
-- A database of schema 1 or 2, not yet upgraded: its items have no times or trash.
SELECT item_id, user_id, category_id, sort_id, sealed_fields
FROM items WHERE item_id > :after_id ORDER BY item_id LIMIT :page_size;

-- name: list_backup_item_history
SELECT history_id, item_id, user_id, replaced_at, sealed_password
FROM item_history WHERE history_id > :after_id ORDER BY history_id LIMIT :page_size;

-- name: count_stored_rows
SELECT (SELECT COUNT(*) FROM users)
     + (SELECT COUNT(*) FROM categories)
     + (SELECT COUNT(*) FROM items) AS row_count;

-- name: update_restored_setting
UPDATE settings SET value = :value WHERE name = :name;

-- name: insert_restored_user
INSERT INTO users (user_id, username, password_hash, security_stamp, key_salt, key_params, sealed_key,
                   failed_attempts, last_failure_at, created_at)
VALUES (:user_id, :username, :password_hash, :security_stamp, :key_salt, :key_params, :sealed_key,
        :failed_attempts, :last_failure_at, :created_at);

-- name: insert_restored_category
INSERT INTO categories (category_id, user_id, sort_id, sealed_name)
VALUES (:category_id, :user_id, :sort_id, :sealed_name);

-- name: insert_restored_item
INSERT INTO items (item_id, user_id, category_id, sort_id, sealed_fields, created_at, updated_at, deleted_at)
VALUES (:item_id, :user_id, :category_id, :sort_id, :sealed_fields, :created_at, :updated_at, :deleted_at);

-- name: insert_restored_history_entry
INSERT INTO item_history (history_id, item_id, user_id, replaced_at, sealed_password)
VALUES (:history_id, :item_id, :user_id, :replaced_at, :sealed_password);
