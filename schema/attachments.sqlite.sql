-- The quota's count as an upload takes it. On SQLite every write transaction
-- is BEGIN IMMEDIATE: the database's one write lock already keeps two uploads
-- apart, so this is the plain count.

-- name: count_attachment_bytes_locked
SELECT COALESCE(SUM(size), 0) AS used FROM attachments WHERE user_id = :user_id;
