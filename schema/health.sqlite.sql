-- name: update_item_health
-- Kept or replaced, only while the item has the record it was made from:
-- nothing when a report that made it finds the item written or gone since
-- its reads (it keeps what it made after them, in a transaction of its own).
INSERT INTO item_health (item_id, sealed_health)
SELECT item_id, :sealed_health FROM items WHERE item_id = :item_id AND sealed_fields = :sealed_fields
ON CONFLICT (item_id) DO UPDATE SET sealed_health = excluded.sealed_health;
