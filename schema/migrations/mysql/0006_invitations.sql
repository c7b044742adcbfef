-- Invitations (extensions.md section 3), as ../sqlite/0006_invitations.sql: an
-- invitation becomes a membership only when its invitee accepts; user_id NULL
-- for a name that named no user; the copy of the key sealed at once, NULL for
-- an unknown name or a user without a key pair yet. Existing memberships stay.
CREATE TABLE IF NOT EXISTS collection_invitations (
    invitation_id BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
    collection_id BIGINT         NOT NULL,
    user_id       BIGINT         NULL,
    username      VARCHAR(255) /*M! COLLATE utf8mb4_nopad_bin */ NOT NULL,
    role          VARCHAR(16)    NOT NULL,
    key_version   BIGINT         NOT NULL,
    sealed_key    VARBINARY(255) NULL,
    invited_by    BIGINT         NULL,
    invited_at    BIGINT         NOT NULL,
    UNIQUE KEY collection_invitations_one_per_user (collection_id, user_id),
    KEY collection_invitations_by_user (user_id, invitation_id),
    CONSTRAINT collection_invitations_collection FOREIGN KEY (collection_id)
        REFERENCES collections (collection_id) ON DELETE CASCADE,
    CONSTRAINT collection_invitations_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE,
    CONSTRAINT collection_invitations_inviter FOREIGN KEY (invited_by)
        REFERENCES users (user_id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
