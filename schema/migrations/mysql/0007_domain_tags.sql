-- Matching logins to a page, as ../sqlite/0007_domain_tags.sql: a keyed tag of
-- each item's site (32 bytes, NULL until tagged) and the indexes that find an
-- owner's or a collection's items of one site.
-- One ALTER, so the column and its indexes come together or not at all; the
-- /*M! */ clauses (run by MariaDB, a comment to MySQL) make it re-runnable there.
ALTER TABLE items
    ADD COLUMN /*M! IF NOT EXISTS */ domain_tag VARBINARY(32) NULL,
    ADD KEY /*M! IF NOT EXISTS */ items_by_user_tag (user_id, domain_tag),
    ADD KEY /*M! IF NOT EXISTS */ items_by_collection_tag (collection_id, domain_tag);
