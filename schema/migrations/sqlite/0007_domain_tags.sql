-- Matching logins to a page (browser.md section 1): each item carries a keyed
-- tag of its url's site (oppmini/seal/tags.py), an HMAC under a key derived
-- from its owner's data key or its collection's key, so GET /v1/match finds
-- the candidates by index and opens only those. NULL: written before this
-- step; the owner's first match request tags such rows. The indexes serve the
-- personal and the collection halves of that lookup.
ALTER TABLE items ADD COLUMN domain_tag BLOB;
CREATE INDEX IF NOT EXISTS items_by_user_tag ON items (user_id, domain_tag);
CREATE INDEX IF NOT EXISTS items_by_collection_tag ON items (collection_id, domain_tag);
