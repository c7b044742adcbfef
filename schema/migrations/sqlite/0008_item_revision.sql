-- Items' revision (extensions: "if_revision" on POST /v1/items): a counter
-- raised by every write of an item's fields, category or order. A client that
-- read revision N sends it back; the write is refused when the item moved on,
-- so a page left open never overwrites a change made elsewhere. A counter,
-- not updated_at: two changes within one second have the same time.
ALTER TABLE items ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
