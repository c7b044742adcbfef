-- Attachments (extensions.md section 8): files kept with an item.
-- An attachment's own random file key, its name and its media type are one
-- record sealed under the item's key (the owner's data key, or the
-- collection's), bound to (item, attachment): a key rotation or a move of the
-- item re-seals that record only. user_id is who uploaded it, whose quota the
-- size counts against. The file goes with its item: to the trash and back,
-- and away when the item is purged.
CREATE TABLE IF NOT EXISTS attachments (
    attachment_id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id       INTEGER NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    size          INTEGER NOT NULL,
    sealed_header BLOB    NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS attachments_by_item ON attachments (item_id, attachment_id);
CREATE INDEX IF NOT EXISTS attachments_by_user ON attachments (user_id);

-- The file in chunks of 64 KiB, each sealed under the file key with AES-EAX,
-- bound to (attachment, chunk index, whether it is the last): never re-sealed.
CREATE TABLE IF NOT EXISTS attachment_chunks (
    attachment_id INTEGER NOT NULL REFERENCES attachments (attachment_id) ON DELETE CASCADE,
    chunk_index   INTEGER NOT NULL,
    sealed_chunk  BLOB    NOT NULL,
    PRIMARY KEY (attachment_id, chunk_index)
);
