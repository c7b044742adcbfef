-- The collection reads a write takes its lock with. FOR UPDATE locks the
-- collection row and the caller's member row until commit, so an item write
-- and a rotation of the same collection run one after the other; a locking
-- read also sees the newest committed rows, not the transaction's snapshot,
-- so a write that waited seals under the key the rotation left. (Every such
-- write runs update_collection_claim just before, which takes the same row
-- lock; on a Galera cluster, where a row lock holds on its own node only, that
-- write is what keeps a rotation on another node from passing it.)

-- name: get_membership_locked
SELECT c.collection_id, c.sealed_name, c.key_version, m.role, m.key_version AS member_version, m.sealed_key
FROM collection_members m JOIN collections c ON c.collection_id = m.collection_id
WHERE m.collection_id = :collection_id AND m.user_id = :user_id
FOR UPDATE;

-- name: list_collection_records_locked
SELECT item_id, sealed_fields FROM items WHERE collection_id = :collection_id ORDER BY item_id FOR UPDATE;

-- name: list_collection_history_locked
SELECT h.history_id, h.item_id, h.sealed_password
FROM item_history h JOIN items i ON i.item_id = h.item_id
WHERE i.collection_id = :collection_id
ORDER BY h.history_id
FOR UPDATE;

-- name: get_item_locked
-- An item read again under a row lock (a collection item once its collection is
-- locked): its record as the last write or rotation left it.
SELECT item_id, user_id, collection_id, category_id, sort_id, created_at, updated_at, revision, sealed_fields
FROM items WHERE item_id = :item_id AND deleted_at IS NULL
FOR UPDATE;

-- name: get_trashed_item_locked
-- A collection's item in the trash read again under a row lock, once its
-- collection is locked, for a restore: its record as the last rotation left it.
SELECT item_id, user_id, collection_id, category_id, sort_id, created_at, updated_at, revision, deleted_at, sealed_fields
FROM items WHERE item_id = :item_id AND deleted_at IS NOT NULL
FOR UPDATE;

-- name: list_item_history_locked
-- Every entry of an item, whoever's row it is, for moving the item (the
-- caller's right to it was checked in the same transaction).
SELECT history_id, sealed_password FROM item_history WHERE item_id = :item_id ORDER BY history_id
FOR UPDATE;

-- name: get_collection_locked
-- An invitation accepted: the collection's lock first, so that a rotation
-- (which holds it through get_membership_locked) goes wholly before or after.
SELECT collection_id, key_version FROM collections WHERE collection_id = :collection_id FOR UPDATE;
