-- Items' revision (extensions: "if_revision" on POST /v1/items): a counter
-- raised by every write of an item's fields, category or order. A client that
-- read revision N sends it back; the write is refused when the item moved on,
-- so a page left open never overwrites a change made elsewhere. A counter,
-- not updated_at: two changes within one second have the same time.
ALTER TABLE items ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
-- GET /v1/fetchall's ETag reads every item's place, order and revision
-- (list_vault_versions): from these indexes alone, never the rows, whose
-- sealed record comes before the revision and spills onto overflow pages.
CREATE INDEX IF NOT EXISTS items_versions_by_user
    ON items (user_id, collection_id, deleted_at, item_id, category_id, sort_id, revision);
CREATE INDEX IF NOT EXISTS items_versions_by_collection
    ON items (collection_id, deleted_at, item_id, category_id, sort_id, revision);
