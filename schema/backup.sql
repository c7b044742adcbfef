-- Backup and restore (oppmini/backup.py): every column of every table, read in
-- id order one page at a time inside one read transaction, and written back
-- with the same ids.

-- name: list_backup_settings
SELECT name, value FROM settings ORDER BY name;

-- name: list_backup_users
SELECT user_id, username, password_hash, security_stamp, key_salt, key_params, sealed_key,
       failed_attempts, last_failure_at, created_at, public_key, sealed_private_key
FROM users WHERE user_id > :after_id ORDER BY user_id LIMIT :page_size;

-- name: list_backup_users_schema1
-- A database of schema 1 to 4, not yet upgraded: its users have no key pair.
SELECT user_id, username, password_hash, security_stamp, key_salt, key_params, sealed_key,
       failed_attempts, last_failure_at, created_at
FROM users WHERE user_id > :after_id ORDER BY user_id LIMIT :page_size;

-- name: list_backup_categories
SELECT category_id, user_id, sort_id, sealed_name
FROM categories WHERE category_id > :after_id ORDER BY category_id LIMIT :page_size;

-- name: list_backup_collections
SELECT collection_id, sealed_name, key_version, created_at
FROM collections WHERE collection_id > :after_id ORDER BY collection_id LIMIT :page_size;

-- name: list_backup_items
SELECT item_id, user_id, category_id, sort_id, sealed_fields, created_at, updated_at, deleted_at, collection_id,
       domain_tag, revision
FROM items WHERE item_id > :after_id ORDER BY item_id LIMIT :page_size;

-- name: list_backup_items_schema7
-- A database of schema 7, not yet upgraded: no revisions.
SELECT item_id, user_id, category_id, sort_id, sealed_fields, created_at, updated_at, deleted_at, collection_id,
       domain_tag
FROM items WHERE item_id > :after_id ORDER BY item_id LIMIT :page_size;

-- name: list_backup_items_schema5
-- A database of schema 5 or 6, not yet upgraded: no domain tags.
SELECT item_id, user_id, category_id, sort_id, sealed_fields, created_at, updated_at, deleted_at, collection_id
FROM items WHERE item_id > :after_id ORDER BY item_id LIMIT :page_size;

-- name: list_backup_items_schema4
-- A database of schema 4, not yet upgraded: no collections.
SELECT item_id, user_id, category_id, sort_id, sealed_fields, created_at, updated_at, deleted_at
FROM items WHERE item_id > :after_id ORDER BY item_id LIMIT :page_size;

-- name: list_backup_items_schema1
-- A database of schema 1 to 3, not yet upgraded: its items have no times or trash.
SELECT item_id, user_id, category_id, sort_id, sealed_fields
FROM items WHERE item_id > :after_id ORDER BY item_id LIMIT :page_size;

-- name: list_backup_item_history
SELECT history_id, item_id, user_id, replaced_at, sealed_password
FROM item_history WHERE history_id > :after_id ORDER BY history_id LIMIT :page_size;

-- name: list_backup_collection_members
-- Keyed by (collection, user): pages go on after the last pair.
SELECT collection_id, user_id, role, key_version, sealed_key, added_at
FROM collection_members
WHERE collection_id > :after_id OR (collection_id = :after_id AND user_id > :after_second)
ORDER BY collection_id, user_id LIMIT :page_size;

-- name: list_backup_collection_invitations
SELECT invitation_id, collection_id, user_id, username, role, key_version, sealed_key, invited_by, invited_at
FROM collection_invitations WHERE invitation_id > :after_id ORDER BY invitation_id LIMIT :page_size;

-- name: count_stored_rows
SELECT (SELECT COUNT(*) FROM users)
     + (SELECT COUNT(*) FROM categories)
     + (SELECT COUNT(*) FROM items) AS row_count;

-- name: update_restored_setting
UPDATE settings SET value = :value WHERE name = :name;

-- name: insert_restored_user
INSERT INTO users (user_id, username, password_hash, security_stamp, key_salt, key_params, sealed_key,
                   failed_attempts, last_failure_at, created_at, public_key, sealed_private_key)
VALUES (:user_id, :username, :password_hash, :security_stamp, :key_salt, :key_params, :sealed_key,
        :failed_attempts, :last_failure_at, :created_at, :public_key, :sealed_private_key);

-- name: insert_restored_category
INSERT INTO categories (category_id, user_id, sort_id, sealed_name)
VALUES (:category_id, :user_id, :sort_id, :sealed_name);

-- name: insert_restored_collection
INSERT INTO collections (collection_id, sealed_name, key_version, created_at)
VALUES (:collection_id, :sealed_name, :key_version, :created_at);

-- name: insert_restored_item
INSERT INTO items (item_id, user_id, category_id, sort_id, sealed_fields, created_at, updated_at, deleted_at,
                   collection_id, domain_tag, revision)
VALUES (:item_id, :user_id, :category_id, :sort_id, :sealed_fields, :created_at, :updated_at, :deleted_at,
        :collection_id, :domain_tag, :revision);

-- name: insert_restored_history_entry
INSERT INTO item_history (history_id, item_id, user_id, replaced_at, sealed_password)
VALUES (:history_id, :item_id, :user_id, :replaced_at, :sealed_password);

-- name: insert_restored_member
INSERT INTO collection_members (collection_id, user_id, role, key_version, sealed_key, added_at)
VALUES (:collection_id, :user_id, :role, :key_version, :sealed_key, :added_at);

-- name: insert_restored_invitation
INSERT INTO collection_invitations (invitation_id, collection_id, user_id, username, role, key_version, sealed_key,
                                    invited_by, invited_at)
VALUES (:invitation_id, :collection_id, :user_id, :username, :role, :key_version, :sealed_key, :invited_by,
        :invited_at);

-- Account security (backup format 2): the second factor and the activity log; never the sessions.

-- name: list_backup_two_factor
SELECT user_id, sealed_secret, enabled, last_step, changed_at
FROM two_factor WHERE user_id > :after_id ORDER BY user_id LIMIT :page_size;

-- name: list_backup_recovery_codes
-- Keyed by (user, hash): pages go on after the last pair.
SELECT user_id, code_hash
FROM recovery_codes
WHERE user_id > :after_id OR (user_id = :after_id AND code_hash > :after_second)
ORDER BY user_id, code_hash LIMIT :page_size;

-- name: list_backup_activity
SELECT event_id, user_id, at, event, address, agent, detail
FROM activity WHERE event_id > :after_id ORDER BY event_id LIMIT :page_size;

-- name: insert_restored_two_factor
INSERT INTO two_factor (user_id, sealed_secret, enabled, last_step, changed_at)
VALUES (:user_id, :sealed_secret, :enabled, :last_step, :changed_at);

-- name: insert_restored_recovery_code
INSERT INTO recovery_codes (user_id, code_hash) VALUES (:user_id, :code_hash);

-- name: insert_restored_event
INSERT INTO activity (event_id, user_id, at, event, address, agent, detail)
VALUES (:event_id, :user_id, :at, :event, :address, :agent, :detail);

-- Security keys (backup format 3): public keys and counters, so that a restore keeps every key working.
-- Challenges are never held: one handed out before the backup is void after it.

-- name: list_backup_webauthn_credentials
SELECT key_id, user_id, credential_id, public_key, sign_count, name, created_at, last_used_at, transports
FROM webauthn_credentials WHERE key_id > :after_id ORDER BY key_id LIMIT :page_size;

-- name: insert_restored_webauthn_key
INSERT INTO webauthn_credentials (key_id, user_id, credential_id, public_key, sign_count, name, created_at,
                                  last_used_at, transports)
VALUES (:key_id, :user_id, :credential_id, :public_key, :sign_count, :name, :created_at, :last_used_at,
        :transports);

-- Attachments (backup format 4): each file's row and its sealed chunks, as they are; a restore opens none.

-- name: list_backup_attachments
SELECT attachment_id, item_id, user_id, size, sealed_header, created_at
FROM attachments WHERE attachment_id > :after_id ORDER BY attachment_id LIMIT :page_size;

-- name: list_backup_attachment_chunks
-- Keyed by (attachment, index): pages go on after the last pair.
SELECT attachment_id, chunk_index, sealed_chunk
FROM attachment_chunks
WHERE attachment_id > :after_id OR (attachment_id = :after_id AND chunk_index > :after_second)
ORDER BY attachment_id, chunk_index LIMIT :page_size;

-- name: insert_restored_attachment
INSERT INTO attachments (attachment_id, item_id, user_id, size, sealed_header, created_at)
VALUES (:attachment_id, :item_id, :user_id, :size, :sealed_header, :created_at);

-- name: insert_restored_chunk
INSERT INTO attachment_chunks (attachment_id, chunk_index, sealed_chunk)
VALUES (:attachment_id, :chunk_index, :sealed_chunk);
