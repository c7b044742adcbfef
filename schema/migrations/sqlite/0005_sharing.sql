-- Sharing (extensions.md section 3): key pairs, collections, members.
-- Each user's X25519 key pair: the public key in clear (32 bytes, raw), the
-- private key sealed under the user's data key, bound to the user row. Both
-- NULL for a user who has not unlocked a vault since this release: the pair
-- is made at their next unlock (oppmini/sharing/keys.py).
ALTER TABLE users ADD COLUMN public_key BLOB;
ALTER TABLE users ADD COLUMN sealed_private_key BLOB;

-- A collection: its name sealed under the collection key; key_version counts
-- rotations (every removal or leave draws a new key and adds one).
CREATE TABLE IF NOT EXISTS collections (
    collection_id INTEGER PRIMARY KEY AUTOINCREMENT,
    sealed_name   BLOB    NOT NULL,
    key_version   INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
);

-- A member: role read / write / manage and the member's copy of the
-- collection key of version key_version, sealed to the member's public key
-- with HPKE (enc || ciphertext). Goes with the collection or the user.
CREATE TABLE IF NOT EXISTS collection_members (
    collection_id INTEGER NOT NULL REFERENCES collections (collection_id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    role          TEXT    NOT NULL,
    key_version   INTEGER NOT NULL,
    sealed_key    BLOB    NOT NULL,
    added_at      INTEGER NOT NULL,
    PRIMARY KEY (collection_id, user_id)
);
CREATE INDEX IF NOT EXISTS collection_members_by_user ON collection_members (user_id, collection_id);

-- A collection item: collection_id set, sealed under the collection key, no
-- category; user_id is the member who created it. NULL for a personal item.
-- Its trash and password history are the item's own rows, as for personal ones.
ALTER TABLE items ADD COLUMN collection_id INTEGER REFERENCES collections (collection_id) ON DELETE CASCADE;
CREATE INDEX IF NOT EXISTS items_by_collection ON items (collection_id, item_id);
