-- Items' revision, as ../sqlite/0008_item_revision.sql: a counter raised by
-- every write of an item, compared with a POST row's "if_revision".
-- The /*M! */ clause (run by MariaDB, a comment to MySQL) makes it re-runnable there.
ALTER TABLE items ADD COLUMN /*M! IF NOT EXISTS */ revision BIGINT NOT NULL DEFAULT 1;
