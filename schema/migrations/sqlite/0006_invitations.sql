-- Invitations (extensions.md section 3, "Invitations and deletion"): adding
-- someone to a collection makes an invitation, which becomes a membership
-- only when they accept it. Until then nothing of the collection reaches
-- them: every other query reads collection_members, never this table.
-- user_id is NULL when the invited name named no user: the manager sees it
-- pending like any other, and it is never accepted. The copy of the key is
-- sealed at once (the invitee may be offline) and kept current by every
-- rotation; it is NULL for an unknown name, and for a user who had no key
-- pair yet (invited again once they have one, they get it then).
-- Memberships made before this release stay accepted members.
CREATE TABLE IF NOT EXISTS collection_invitations (
    invitation_id INTEGER PRIMARY KEY AUTOINCREMENT,
    collection_id INTEGER NOT NULL REFERENCES collections (collection_id) ON DELETE CASCADE,
    user_id       INTEGER REFERENCES users (user_id) ON DELETE CASCADE,
    username      TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    key_version   INTEGER NOT NULL,
    sealed_key    BLOB,
    invited_by    INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    invited_at    INTEGER NOT NULL,
    UNIQUE (collection_id, user_id)
);
CREATE INDEX IF NOT EXISTS collection_invitations_by_user ON collection_invitations (user_id, invitation_id);
