"""Key rotation: when a member leaves or is removed, the collection gets a new key in the same transaction.

Every item (live and in the trash), every password-history entry, every
attachment's header (its file key; the chunks under that key stay as they
are) and the name are opened under the old key and sealed under a new one
(the items' domain tags made again under it, what vault health kept of them
sealed again beside their new records); the remaining
members, and the invitees still pending, get new copies; the version moves
on. The caller holds the collection's lock (get_membership_locked), and the
records are read with theirs (the *_locked queries), so no item write can
land in between with the old key. A removed member's old copy, kept from a
backup, opens nothing written afterwards.
"""

from ..seal import keys
from ..seal.records import (
    open_collection_name,
    open_items,
    open_old_password,
    seal_collection_name,
    seal_item,
    seal_old_password,
)
from ..vault import attachments
from ..vault.access import Place
from ..vault.health import kept
from ..vault.sites import item_tag


def rotate(conn, membership, old):
    """Re-key collection `membership["collection_id"]` (old: its current Place); the new version."""
    collection_id = membership["collection_id"]
    new = Place(keys.new_collection_key(), old.owner, collection_id)
    version = membership["key_version"] + 1
    records = conn.run("list_collection_records_locked", collection_id=collection_id)
    kept_before = kept.of_collection(conn, collection_id)
    opened = open_items(old.key, old.owner, [(row["item_id"], row["sealed_fields"]) for row in records])
    moved = []
    for row, fields in zip(records, opened, strict=True):
        record = seal_item(new.key, new.owner, row["item_id"], fields)
        conn.run(
            "update_collection_item_record",
            item_id=row["item_id"],
            collection_id=collection_id,
            sealed_fields=record,
            domain_tag=item_tag(new.key, fields["url"]),
        )
        moved.append((row["item_id"], row["sealed_fields"], record))
    kept.carry(conn, kept_before, old, new, moved)
    for entry in conn.run("list_collection_history_locked", collection_id=collection_id):
        password = open_old_password(
            old.key, old.owner, entry["item_id"], entry["history_id"], entry["sealed_password"]
        )
        conn.run(
            "update_collection_history_record",
            history_id=entry["history_id"],
            sealed_password=seal_old_password(new.key, new.owner, entry["item_id"], entry["history_id"], password),
        )
    attachments.rotate(conn, collection_id, old, new)
    name = open_collection_name(old.key, old.owner, collection_id, membership["sealed_name"])
    conn.run(
        "update_collection_key",
        collection_id=collection_id,
        key_version=version,
        sealed_name=seal_collection_name(new.key, new.owner, collection_id, name),
    )
    for member in conn.run("list_members", collection_id=collection_id):
        conn.run(
            "update_member_key",
            collection_id=collection_id,
            user_id=member["user_id"],
            key_version=version,
            sealed_key=keys.seal_to_member(member["public_key"], new.key, collection_id, member["user_id"], version),
        )
    # Pending invitations hold copies too, so that accepting one later opens the key then current.
    for invitation in conn.run("list_invitation_copies", collection_id=collection_id):
        conn.run(
            "update_invitation_key",
            invitation_id=invitation["invitation_id"],
            key_version=version,
            sealed_key=keys.seal_to_member(
                invitation["public_key"], new.key, collection_id, invitation["user_id"], version
            ),
        )
    return version
