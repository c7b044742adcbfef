-- Items by site (GET /v1/match): domain_tag is a keyed tag of the site of an
-- item's url (oppmini/seal/tags.py), NULL for a row written before tags. A
-- personal item's tag is under its owner's key, a collection item's under the
-- collection's, so the two halves are looked up apart, each an index range.

-- name: list_site_items
SELECT item_id, user_id, collection_id, category_id, sort_id, created_at, updated_at, revision, sealed_fields
FROM items
WHERE user_id = :user_id AND domain_tag = :domain_tag AND collection_id IS NULL AND deleted_at IS NULL
ORDER BY item_id;

-- name: list_collection_site_items
SELECT item_id, user_id, collection_id, category_id, sort_id, created_at, updated_at, revision, sealed_fields
FROM items
WHERE collection_id = :collection_id AND domain_tag = :domain_tag AND deleted_at IS NULL
ORDER BY item_id;

-- name: list_untagged_items
-- The caller's rows written before tags, in the trash too (so that a restore
-- finds them tagged), and those of every collection they belong to.
SELECT item_id, collection_id, sealed_fields
FROM items WHERE user_id = :user_id AND domain_tag IS NULL AND collection_id IS NULL
UNION ALL
SELECT i.item_id, i.collection_id, i.sealed_fields
FROM collection_members m CROSS JOIN items i ON i.collection_id = m.collection_id AND i.domain_tag IS NULL
WHERE m.user_id = :user_id
ORDER BY item_id;

-- name: update_item_tag
-- Only a row still untagged: one written (and tagged) meanwhile keeps its tag.
UPDATE items SET domain_tag = :domain_tag WHERE item_id = :item_id AND domain_tag IS NULL;
