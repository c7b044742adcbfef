-- Invitations to collections (extensions.md section 3): made by a manager,
-- accepted or declined by the invitee, withdrawn by a manager. An accepted
-- invitation becomes a collection_members row and goes; a declined or
-- withdrawn one just goes.

-- name: insert_invitation
INSERT INTO collection_invitations (collection_id, user_id, username, role, key_version, sealed_key, invited_by,
                                    invited_at)
VALUES (:collection_id, :user_id, :username, :role, :key_version, :sealed_key, :invited_by, :invited_at);

-- name: get_invitation_of_user
SELECT invitation_id, role, sealed_key FROM collection_invitations
WHERE collection_id = :collection_id AND user_id = :user_id;

-- name: get_invitation_of_unknown_name
SELECT invitation_id, role, sealed_key FROM collection_invitations
WHERE collection_id = :collection_id AND user_id IS NULL AND username = :username;

-- name: get_invitation_by_name
-- A pending invitation as the member list names it: by the invitee's
-- username now, or by the name as invited when it named no user.
SELECT i.invitation_id FROM collection_invitations i LEFT JOIN users u ON u.user_id = i.user_id
WHERE i.collection_id = :collection_id AND COALESCE(u.username, i.username) = :username;

-- name: update_invitation
-- An invitation sent again: its role, and its copy of the key when it had none.
UPDATE collection_invitations SET role = :role, key_version = :key_version, sealed_key = :sealed_key
WHERE invitation_id = :invitation_id;

-- name: delete_invitation
DELETE FROM collection_invitations WHERE invitation_id = :invitation_id;

-- name: count_collections_of_user
-- Memberships plus pending invitations: what max_collections_per_user bounds.
SELECT (SELECT COUNT(*) FROM collection_members WHERE user_id = :user_id)
     + (SELECT COUNT(*) FROM collection_invitations WHERE user_id = :user_id) AS collections;

-- name: list_invitations_of_user
-- The invitee's own list: no collection name (it is chosen by the inviter and
-- may be made to mislead), the inviter's current username.
SELECT i.invitation_id, i.collection_id, i.role, i.invited_at, u.username AS invited_by
FROM collection_invitations i LEFT JOIN users u ON u.user_id = i.invited_by
WHERE i.user_id = :user_id
ORDER BY i.invitation_id;

-- name: get_invitation_for_invitee
SELECT invitation_id, collection_id, role, key_version, sealed_key FROM collection_invitations
WHERE invitation_id = :invitation_id AND user_id = :user_id;

-- name: list_pending_of_collection
-- A collection's pending invitations, for its managers' member list.
SELECT i.collection_id, COALESCE(u.username, i.username) AS username, i.role
FROM collection_invitations i LEFT JOIN users u ON u.user_id = i.user_id
WHERE i.collection_id = :collection_id
ORDER BY i.invitation_id;

-- name: list_pending_of_managed
-- The pending invitations of every collection the caller manages.
SELECT i.collection_id, COALESCE(u.username, i.username) AS username, i.role
FROM collection_invitations i LEFT JOIN users u ON u.user_id = i.user_id
WHERE i.collection_id IN (SELECT mine.collection_id FROM collection_members mine
                          WHERE mine.user_id = :user_id AND mine.role = 'manage')
ORDER BY i.collection_id, i.invitation_id;

-- name: list_invitation_copies
-- A rotation's invitations to re-seal the key for: those that hold a copy.
SELECT i.invitation_id, i.user_id, u.public_key
FROM collection_invitations i JOIN users u ON u.user_id = i.user_id
WHERE i.collection_id = :collection_id AND i.sealed_key IS NOT NULL
ORDER BY i.invitation_id;

-- name: update_invitation_key
UPDATE collection_invitations SET key_version = :key_version, sealed_key = :sealed_key
WHERE invitation_id = :invitation_id;
