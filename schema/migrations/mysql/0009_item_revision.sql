-- Items' revision, as ../sqlite/0008_item_revision.sql: a counter raised by
-- every write of an item, compared with a POST row's "if_revision", and the
-- indexes GET /v1/fetchall's ETag reads the items' versions from, without the rows.
-- One ALTER, so the column and its indexes come together or not at all; the
-- /*M! */ clauses (run by MariaDB, a comment to MySQL) make it re-runnable there.
ALTER TABLE items
    ADD COLUMN /*M! IF NOT EXISTS */ revision BIGINT NOT NULL DEFAULT 1,
    ADD KEY /*M! IF NOT EXISTS */ items_versions_by_user
        (user_id, collection_id, deleted_at, item_id, category_id, sort_id, revision),
    ADD KEY /*M! IF NOT EXISTS */ items_versions_by_collection
        (collection_id, deleted_at, item_id, category_id, sort_id, revision);
