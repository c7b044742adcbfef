"""Files follow their item's key: a move or a rotation re-seals each file's header, never its chunks."""

from ...seal.files import seal_header
from .reading import opened_header


def move(conn, item_id, source, target, target_user_id):
    """Re-seal the headers of item `item_id`'s files from `source` to `target` (Places). Into the
    personal vault of `target_user_id`, the files count against their quota from then on; into a
    collection, against their uploader's as before."""
    for row in conn.run("list_item_attachments", item_id=item_id):
        owner = target_user_id if target.collection_id is None else row["user_id"]
        _reseal(conn, row, source, target, owner)


def rotate(conn, collection_id, old, new):
    """Re-seal the headers of every file of the collection's items (live or in the trash) from the
    `old` key's Place to the `new` one's; the caller holds the collection's lock."""
    for row in conn.run("list_collection_attachments", collection_id=collection_id):
        _reseal(conn, row, old, new, row["user_id"])


def _reseal(conn, row, source, target, owner):
    header = opened_header(source, row)
    conn.run(
        "update_attachment_resealed",
        attachment_id=row["attachment_id"],
        user_id=owner,
        sealed_header=seal_header(target.key, row["item_id"], row["attachment_id"], header),
    )
