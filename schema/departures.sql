-- A user leaving the server (DELETE /v1/user, opp-db del-user) while in
-- shared collections (oppmini/sharing/departure.py): what each collection
-- becomes. The items they made pass to a member who stays in
-- Accounts.delete (update_items_handed_over).

-- name: list_departing_memberships
-- Every collection of the user, with how many members and managers it has.
SELECT m.collection_id, m.role,
       (SELECT COUNT(*) FROM collection_members o WHERE o.collection_id = m.collection_id) AS members,
       (SELECT COUNT(*) FROM collection_members o
        WHERE o.collection_id = m.collection_id AND o.role = 'manage') AS managers
FROM collection_members m WHERE m.user_id = :user_id
ORDER BY m.collection_id;
