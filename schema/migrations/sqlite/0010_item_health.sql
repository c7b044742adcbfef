-- Vault health (extensions.md section 10): what the report derives from each
-- item's record and is slow to derive again, kept so that later reports read
-- it: the password's strength estimate and the one-time-code seed in the form
-- seeds are compared in. One sealed record per item
-- (oppmini/vault/health/kept.py), under the key the item's record is sealed
-- under and bound to that record, so that it opens only beside the record it
-- was made from. Nothing is in clear: no password, seed, hash or score. The
-- first report that needs one makes it.
CREATE TABLE IF NOT EXISTS item_health (
    item_id       INTEGER PRIMARY KEY REFERENCES items (item_id) ON DELETE CASCADE,
    sealed_health BLOB    NOT NULL
);
