-- The quota's count as an upload takes it. A locking read: FOR UPDATE holds
-- the uploader's users row (and their files' rows) until commit, so a second
-- upload of theirs waits here until the first is in or rolled back; and a
-- locking read sees the newest committed rows, not the transaction's
-- snapshot, so the one that waited counts the file the first one stored.
-- (update_user_file_claims, run just before, already holds that row here; on
-- a Galera cluster it is what makes two uploads on two nodes conflict.)

-- name: count_attachment_bytes_locked
SELECT COALESCE(SUM(a.size), 0) AS used
FROM users u LEFT JOIN attachments a ON a.user_id = u.user_id
WHERE u.user_id = :user_id
FOR UPDATE;
