-- name: update_item_health
-- Kept or replaced, only while the item has the record it was made from, as health.sqlite.sql.
INSERT INTO item_health (item_id, sealed_health)
SELECT item_id, :sealed_health FROM items WHERE item_id = :item_id AND sealed_fields = :sealed_fields
ON DUPLICATE KEY UPDATE sealed_health = :sealed_health;
