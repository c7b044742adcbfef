-- The collection reads a write takes its lock with. On SQLite every write
-- transaction is BEGIN IMMEDIATE: the database's one write lock already keeps
-- a rotation and an item write apart, so these are plain reads (and
-- update_collection_claim, run before them, only flips a value here: it is
-- for a Galera cluster, see migration 0013).

-- name: get_membership_locked
SELECT c.collection_id, c.sealed_name, c.key_version, m.role, m.key_version AS member_version, m.sealed_key
FROM collection_members m JOIN collections c ON c.collection_id = m.collection_id
WHERE m.collection_id = :collection_id AND m.user_id = :user_id;

-- name: list_collection_records_locked
-- Every item of a collection, live or in the trash, for a rotation.
SELECT item_id, sealed_fields FROM items WHERE collection_id = :collection_id ORDER BY item_id;

-- name: list_collection_history_locked
SELECT h.history_id, h.item_id, h.sealed_password
FROM item_history h JOIN items i ON i.item_id = h.item_id
WHERE i.collection_id = :collection_id
ORDER BY h.history_id;

-- name: get_item_locked
-- An item read again under a row lock (a collection item once its collection is
-- locked): its record as the last write or rotation left it.
SELECT item_id, user_id, collection_id, category_id, sort_id, created_at, updated_at, revision, sealed_fields
FROM items WHERE item_id = :item_id AND deleted_at IS NULL;

-- name: get_trashed_item_locked
-- A collection's item in the trash read again under a row lock, once its
-- collection is locked, for a restore: its record as the last rotation left it.
SELECT item_id, user_id, collection_id, category_id, sort_id, created_at, updated_at, revision, deleted_at, sealed_fields
FROM items WHERE item_id = :item_id AND deleted_at IS NOT NULL;

-- name: list_item_history_locked
-- Every entry of an item, whoever's row it is, for moving the item (the
-- caller's right to it was checked in the same transaction).
SELECT history_id, sealed_password FROM item_history WHERE item_id = :item_id ORDER BY history_id;

-- name: get_collection_locked
-- An invitation accepted: the collection's lock first, so that a rotation
-- goes wholly before or after (on SQLite, the write transaction is the lock).
SELECT collection_id, key_version FROM collections WHERE collection_id = :collection_id;
