-- Vault health's kept records: one sealed record per item
-- (oppmini/vault/health/kept.py). Writing one is per dialect
-- (health.sqlite.sql, health.mysql.sql).

-- name: list_items_for_health
-- list_items (schema/items.sql), each row with its item's kept record
-- (NULL for none): the report's one read of the vault. (The alias names
-- the column that ORDER BY sorts the union by.)
SELECT i.item_id AS item_id, i.user_id, i.collection_id, i.category_id, i.sort_id, i.created_at, i.updated_at, i.sealed_fields,
       h.sealed_health
FROM items i LEFT JOIN item_health h ON h.item_id = i.item_id
WHERE i.user_id = :user_id AND i.collection_id IS NULL AND i.deleted_at IS NULL
UNION ALL
SELECT i.item_id, i.user_id, i.collection_id, i.category_id, i.sort_id, i.created_at, i.updated_at, i.sealed_fields,
       h.sealed_health
FROM collection_members m CROSS JOIN items i ON i.collection_id = m.collection_id
LEFT JOIN item_health h ON h.item_id = i.item_id
WHERE m.user_id = :user_id AND i.deleted_at IS NULL
ORDER BY item_id;

-- name: delete_item_health
-- A kept record that did not open when its collection's key was rotated.
DELETE FROM item_health WHERE item_id = :item_id;

-- name: delete_item_health_of_record
-- The kept record of an item that has neither a password nor a seed any
-- more, while it still has the record the report read.
DELETE FROM item_health
WHERE item_id = :item_id
  AND item_id IN (SELECT i.item_id FROM items i WHERE i.item_id = :item_id AND i.sealed_fields = :sealed_fields);

-- name: list_collection_item_health
-- The kept records of every item of a collection, live or in the trash, for a
-- rotation or a deletion of the collection (its lock held).
SELECT h.item_id, h.sealed_health
FROM items i JOIN item_health h ON h.item_id = i.item_id
WHERE i.collection_id = :collection_id;
