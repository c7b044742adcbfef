-- Collections (extensions.md section 3): the collection rows, their members,
-- and the items a member reads. Every collection query names the caller as a
-- member, so a collection that is not theirs is never read for them.

-- name: insert_collection
-- The name is sealed under the collection key bound to the new row's id, so
-- it is written by update_collection_name right after, in the same transaction.
INSERT INTO collections (sealed_name, key_version, created_at)
VALUES (:sealed_name, :key_version, :created_at);

-- name: update_collection_name
UPDATE collections SET sealed_name = :sealed_name WHERE collection_id = :collection_id;

-- name: update_collection_claim
-- Before a write of the collection takes its lock and reads its key (and so
-- in a rotation too): see migration 0013. On one MariaDB the row lock this
-- write takes is the one get_membership_locked takes; on SQLite the write
-- transaction already holds the database. On a Galera cluster it is what
-- makes a write on one node and a rotation on another conflict.
UPDATE collections SET write_claim = 1 - write_claim WHERE collection_id = :collection_id;

-- name: update_collection_key
-- A rotation: the name re-sealed under the new key, the version moved on.
UPDATE collections SET sealed_name = :sealed_name, key_version = :key_version
WHERE collection_id = :collection_id;

-- name: delete_collection
DELETE FROM collections WHERE collection_id = :collection_id;

-- name: list_memberships
-- Every collection of the caller, with the caller's role and key copy.
SELECT c.collection_id, c.sealed_name, c.key_version, m.role, m.key_version AS member_version, m.sealed_key
FROM collection_members m JOIN collections c ON c.collection_id = m.collection_id
WHERE m.user_id = :user_id
ORDER BY c.collection_id;

-- name: get_membership
SELECT c.collection_id, c.sealed_name, c.key_version, m.role, m.key_version AS member_version, m.sealed_key
FROM collection_members m JOIN collections c ON c.collection_id = m.collection_id
WHERE m.collection_id = :collection_id AND m.user_id = :user_id;

-- name: list_members_of_user
-- The members of every collection of the caller, for GET /v1/collections.
SELECT m.collection_id, u.username, m.role
FROM collection_members m JOIN users u ON u.user_id = m.user_id
WHERE m.collection_id IN (SELECT mine.collection_id FROM collection_members mine WHERE mine.user_id = :user_id)
ORDER BY m.collection_id, u.username;

-- name: list_members
SELECT m.user_id, u.username, m.role, u.public_key
FROM collection_members m JOIN users u ON u.user_id = m.user_id
WHERE m.collection_id = :collection_id
ORDER BY m.user_id;

-- name: get_member
SELECT user_id, role FROM collection_members WHERE collection_id = :collection_id AND user_id = :user_id;

-- name: insert_member
INSERT INTO collection_members (collection_id, user_id, role, key_version, sealed_key, added_at)
VALUES (:collection_id, :user_id, :role, :key_version, :sealed_key, :added_at);

-- name: update_member_role
UPDATE collection_members SET role = :role WHERE collection_id = :collection_id AND user_id = :user_id;

-- name: update_member_key
UPDATE collection_members SET key_version = :key_version, sealed_key = :sealed_key
WHERE collection_id = :collection_id AND user_id = :user_id;

-- name: delete_member
DELETE FROM collection_members WHERE collection_id = :collection_id AND user_id = :user_id;

-- name: count_managers
SELECT COUNT(*) AS managers FROM collection_members WHERE collection_id = :collection_id AND role = 'manage';

-- name: list_shared_trash
-- The trash of every collection where the caller may write.
SELECT i.item_id, i.user_id, i.collection_id, i.category_id, i.sort_id, i.created_at, i.updated_at, i.revision,
       i.deleted_at, i.sealed_fields
FROM items i JOIN collection_members m ON m.collection_id = i.collection_id
WHERE m.user_id = :user_id AND m.role IN ('write', 'manage') AND i.deleted_at >= :cutoff
ORDER BY i.item_id;

-- name: update_collection_item_record
-- A rotation's re-sealed and re-tagged item (the collection's lock is held).
UPDATE items SET sealed_fields = :sealed_fields, domain_tag = :domain_tag
WHERE item_id = :item_id AND collection_id = :collection_id;

-- name: update_collection_history_record
UPDATE item_history SET sealed_password = :sealed_password WHERE history_id = :history_id;

-- name: update_items_handed_over
-- Before a user is deleted: the collection items they created pass to
-- another member (the lowest id), so they stay in the collection instead of
-- going with the user's rows. Items of a collection with no other member stay
-- theirs and go with them.
UPDATE items
SET user_id = (SELECT MIN(m.user_id) FROM collection_members m
               WHERE m.collection_id = items.collection_id AND m.user_id <> :user_id)
WHERE user_id = :user_id AND collection_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM collection_members o WHERE o.collection_id = items.collection_id AND o.user_id <> :user_id);

-- name: update_history_handed_over
-- Their history entries follow the items (item_history.user_id is the item row's).
UPDATE item_history
SET user_id = (SELECT i.user_id FROM items i WHERE i.item_id = item_history.item_id)
WHERE user_id = :user_id
  AND item_id IN (SELECT i.item_id FROM items i WHERE i.collection_id IS NOT NULL AND i.user_id <> :user_id);

-- name: get_member_by_name
-- A member as a manager names them to remove them.
SELECT m.user_id, u.username, m.role
FROM collection_members m JOIN users u ON u.user_id = m.user_id
WHERE m.collection_id = :collection_id AND u.username = :username;

-- name: list_collection_live_items
-- A deleted collection's live items, to move into its deleting manager's
-- trash (the collection's lock is held).
SELECT item_id, sort_id, created_at, sealed_fields FROM items
WHERE collection_id = :collection_id AND deleted_at IS NULL
ORDER BY item_id;

-- name: update_item_into_trash
-- A deleted collection's item, re-sealed, now in the trash of :user_id.
UPDATE items SET user_id = :user_id, collection_id = NULL, category_id = NULL, sealed_fields = :sealed_fields,
                 domain_tag = :domain_tag, deleted_at = :now
WHERE item_id = :item_id AND collection_id = :collection_id;
