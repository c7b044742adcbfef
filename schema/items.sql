-- Items: clear id, owner, category link, sort order and times; the text
-- fields are one sealed record. An item with deleted_at set is in the trash:
-- every query of live items leaves it out. An item with collection_id set
-- belongs to that collection (schema/collections.sql reads those); user_id is
-- then the member who created it, and the personal queries here leave it out.

-- name: list_items
-- The caller's live items and those of every collection they belong to, by
-- id: one statement, each half an index range (items_by_user, items_by_collection).
-- CROSS JOIN keeps the memberships as SQLite's outer loop: left to choose, it
-- read items_by_deleted instead, every live item of every user, for the
-- deleted_at IS NULL (MySQL reads CROSS JOIN ... ON as an inner join).
SELECT item_id, user_id, collection_id, category_id, sort_id, created_at, updated_at, revision, sealed_fields
FROM items WHERE user_id = :user_id AND collection_id IS NULL AND deleted_at IS NULL
UNION ALL
SELECT i.item_id, i.user_id, i.collection_id, i.category_id, i.sort_id, i.created_at, i.updated_at, i.revision, i.sealed_fields
FROM collection_members m CROSS JOIN items i ON i.collection_id = m.collection_id
WHERE m.user_id = :user_id AND i.deleted_at IS NULL
ORDER BY item_id;

-- name: list_personal_items
SELECT item_id, user_id, collection_id, category_id, sort_id, created_at, updated_at, revision, sealed_fields
FROM items WHERE user_id = :user_id AND collection_id IS NULL AND deleted_at IS NULL
ORDER BY item_id;

-- name: get_item
-- A live item the caller may read: theirs, or in a collection they belong to.
SELECT item_id, user_id, collection_id, category_id, sort_id, created_at, updated_at, revision, sealed_fields
FROM items
WHERE item_id = :item_id AND deleted_at IS NULL
  AND ((collection_id IS NULL AND user_id = :user_id)
       OR collection_id IN (SELECT m.collection_id FROM collection_members m WHERE m.user_id = :user_id));

-- name: list_vault_versions
-- What GET /v1/fetchall's answer is made of, as stored, for its ETag (oppmini/vault/versions.py): the
-- caller's categories (a rename changes the sealed name), items (each write raises the revision),
-- memberships (role, key version, the collection's sealed name) and the live items' files (part 4: each
-- one's id and item; a file is never changed, only added or deleted), in one statement and no record opened.
SELECT 1 AS part, category_id AS row_id, NULL AS collection_id, NULL AS category_id, sort_id,
       NULL AS revision, NULL AS role, sealed_name AS sealed
FROM categories WHERE user_id = :user_id
UNION ALL
SELECT 2, item_id, NULL, category_id, sort_id, revision, NULL, NULL
FROM items WHERE user_id = :user_id AND collection_id IS NULL AND deleted_at IS NULL
UNION ALL
SELECT 2, i.item_id, i.collection_id, i.category_id, i.sort_id, i.revision, NULL, NULL
FROM collection_members m CROSS JOIN items i ON i.collection_id = m.collection_id
WHERE m.user_id = :user_id AND i.deleted_at IS NULL
UNION ALL
SELECT 3, c.collection_id, NULL, NULL, NULL, m.key_version, m.role, c.sealed_name
FROM collection_members m JOIN collections c ON c.collection_id = m.collection_id
WHERE m.user_id = :user_id
UNION ALL
SELECT 4, a.attachment_id, i.collection_id, NULL, NULL, a.item_id, NULL, NULL
FROM attachments a JOIN items i ON i.item_id = a.item_id
WHERE i.user_id = :user_id AND i.collection_id IS NULL AND i.deleted_at IS NULL
UNION ALL
SELECT 4, a.attachment_id, i.collection_id, NULL, NULL, a.item_id, NULL, NULL
FROM collection_members m CROSS JOIN items i ON i.collection_id = m.collection_id
JOIN attachments a ON a.item_id = i.item_id
WHERE m.user_id = :user_id AND i.deleted_at IS NULL
ORDER BY part, row_id;

-- name: insert_item
-- The fields are sealed bound to the new row's id, so they are written by
-- update_item right after, in the same transaction: that write makes it revision 1.
INSERT INTO items (user_id, category_id, sort_id, sealed_fields, created_at, updated_at, revision)
VALUES (:user_id, :category_id, :sort_id, :sealed_fields, :now, :now, 0);

-- name: update_item
UPDATE items SET category_id = :category_id, sort_id = :sort_id, sealed_fields = :sealed_fields,
                 domain_tag = :domain_tag, updated_at = :now, revision = revision + 1
WHERE item_id = :item_id AND user_id = :user_id AND collection_id IS NULL;

-- name: update_item_placed
-- An item written where it now lives: personal (collection_id NULL, user_id
-- the caller) or a collection. The caller's right to it was checked before,
-- in the same transaction. With :revision set, only while the item is still at
-- that revision (a POST row's if_revision): 0 rows when another write went
-- first, even one that committed after this request read the item.
UPDATE items SET user_id = :user_id, collection_id = :collection_id, category_id = :category_id,
                 sort_id = :sort_id, sealed_fields = :sealed_fields, domain_tag = :domain_tag, updated_at = :now,
                 revision = revision + 1
WHERE item_id = :item_id AND (:revision IS NULL OR revision = :revision);

-- name: delete_item
DELETE FROM items WHERE item_id = :item_id AND user_id = :user_id AND collection_id IS NULL AND deleted_at IS NULL;

-- name: delete_items_in_category
DELETE FROM items WHERE category_id = :category_id AND user_id = :user_id AND deleted_at IS NULL;

-- name: update_items_uncategorise
-- Done explicitly, not left to ON DELETE SET NULL, so it holds whatever the
-- dialect's foreign-key settings are. Items in the trash lose the category
-- too: restored, they come back uncategorised.
UPDATE items SET category_id = NULL WHERE category_id = :category_id AND user_id = :user_id;
