-- Attachments (extensions.md section 8): a row per file and its sealed
-- chunks. The header record (file key, name, media type) is sealed under the
-- item's key, bound to (item, attachment); the chunks under the file key.
-- Whether the caller may reach the item is checked before any of these runs,
-- in the same transaction.

-- name: insert_attachment
-- The header is sealed bound to the new row's id, so it is written by
-- update_attachment_finished, in the same transaction, once the chunks are in.
INSERT INTO attachments (item_id, user_id, size, sealed_header, created_at)
VALUES (:item_id, :user_id, 0, :sealed_header, :now);

-- name: update_attachment_finished
UPDATE attachments SET size = :size, sealed_header = :sealed_header WHERE attachment_id = :attachment_id;

-- name: insert_chunk
INSERT INTO attachment_chunks (attachment_id, chunk_index, sealed_chunk)
VALUES (:attachment_id, :chunk_index, :sealed_chunk);

-- name: get_attachment
SELECT attachment_id, item_id, user_id, size, sealed_header, created_at
FROM attachments WHERE attachment_id = :attachment_id AND item_id = :item_id;

-- name: list_item_attachments
SELECT attachment_id, item_id, user_id, size, sealed_header, created_at
FROM attachments WHERE item_id = :item_id ORDER BY attachment_id;

-- name: list_readable_attachments
-- The files of every item the caller can read, live or in the trash: their
-- own personal items and those of their collections, as list_items reads them.
SELECT a.attachment_id, a.item_id, a.size, a.sealed_header, a.created_at
FROM attachments a JOIN items i ON i.item_id = a.item_id
WHERE i.user_id = :user_id AND i.collection_id IS NULL
UNION ALL
SELECT a.attachment_id, a.item_id, a.size, a.sealed_header, a.created_at
FROM collection_members m CROSS JOIN items i ON i.collection_id = m.collection_id
JOIN attachments a ON a.item_id = i.item_id
WHERE m.user_id = :user_id
ORDER BY attachment_id;

-- name: update_user_file_claims
-- Before the quota is read for a write: see migration 0012. The value flips
-- (a count would run past INT's range one day and refuse every upload after);
-- each claim still changes the row, which is what the cluster certifies.
UPDATE users SET file_claims = 1 - file_claims WHERE user_id = :user_id;

-- name: count_attachment_bytes
-- What a user's quota counts: the files they uploaded or whose personal item they own.
SELECT COALESCE(SUM(size), 0) AS used FROM attachments WHERE user_id = :user_id;

-- name: list_chunks
-- Up to :count chunks of a file from :first on, in order; a reader checks
-- that their indexes run on without a gap.
SELECT chunk_index, sealed_chunk FROM attachment_chunks
WHERE attachment_id = :attachment_id AND chunk_index >= :first
ORDER BY chunk_index LIMIT :count;

-- name: delete_attachment
-- Its chunks go with it (ON DELETE CASCADE).
DELETE FROM attachments WHERE attachment_id = :attachment_id AND item_id = :item_id;

-- name: update_attachment_resealed
-- A file key re-sealed for a key rotation or a move of its item; the chunks stay as they are.
-- user_id: whose quota it counts against from now on.
UPDATE attachments SET sealed_header = :sealed_header, user_id = :user_id WHERE attachment_id = :attachment_id;

-- name: list_collection_attachments
-- Every file of a collection's items, live or in the trash, for a rotation
-- (the caller holds the collection's lock).
SELECT a.attachment_id, a.item_id, a.user_id, a.sealed_header
FROM items i JOIN attachments a ON a.item_id = i.item_id
WHERE i.collection_id = :collection_id
ORDER BY a.attachment_id;

-- name: update_attachments_handed_over
-- Before a user is deleted: the files they uploaded to items that stay in a
-- collection (update_items_handed_over ran first) pass to the item's new owner.
UPDATE attachments
SET user_id = (SELECT i.user_id FROM items i WHERE i.item_id = attachments.item_id)
WHERE user_id = :user_id
  AND item_id IN (SELECT i.item_id FROM items i WHERE i.collection_id IS NOT NULL AND i.user_id <> :user_id);
