"""Handlers of /v1/items/{id}/attachments (extensions.md section 8): upload, download, delete."""

from ...contract import errors
from ...contract.errors import ApiError
from ...vault import attachments, trash
from ...vault.rows import as_id
from ...vault.vault import path_item, place_of
from ..call import FileStream
from . import SUCCESS


def quota(call):
    """GET /v1/attachments: what the caller's files take of their quota, and the largest file allowed."""
    limits = attachments.Limits.from_config(call.config)
    return {
        **SUCCESS,
        "used": attachments.used_bytes(call.conn, call.user_id),
        "quota": limits.quota_bytes,
        "max_file": limits.max_bytes,
    }


def upload_attachment(call):
    """POST ?name=FILE: the body, of any Content-Type, as a new file of the item, read and sealed piece
    by piece; the limits checked on the declared length first, then on what arrives."""
    row = path_item(call)
    place = _writable_place(call, row)
    limits = attachments.Limits.from_config(call.config)
    used = attachments.claimed_bytes(call.conn, call.user_id)
    if call.upload.length is not None:
        attachments.check_declared(limits, used, call.upload.length)
    attachment = attachments.attach_file(
        call.conn,
        place,
        row["item_id"],
        call.user_id,
        call.query.get("name"),
        call.upload.media_type,
        call.upload.pieces(),
        used=used,
        now=trash.now(call),
        limits=limits,
    )
    return {**SUCCESS, "attachment": attachment}


def download_attachment(call):
    """GET: the file as it was uploaded, every chunk checked before the first is sent."""
    row = path_item(call)
    opened = attachments.open_file(call, row["item_id"], place_of(call, row), call.path["attachment_id"])
    return FileStream(attachments.chunks_of(call.services.db, opened), opened.size, opened.media_type, opened.name)


def delete_attachment(call):
    """DELETE: the file gone for good (its item stays where it is)."""
    row = path_item(call)
    if row["collection_id"] is not None:
        place_of(call, row, "write")
    sent = call.path["attachment_id"]
    attachment_id = as_id(sent)
    if attachment_id is None or not attachments.delete_file(call.conn, row["item_id"], attachment_id):
        raise attachments.no_attachment(sent)
    return {**SUCCESS}


def _writable_place(call, row):
    """The item's Place for a write: a collection item's collection locked (role write), so that a
    rotation waits for this upload or went before it; 404 should the item have moved meanwhile."""
    if row["collection_id"] is None:
        return place_of(call, row)
    place = place_of(call, row, "write", lock=True)
    again = call.conn.run("get_item_locked", item_id=row["item_id"])
    if again is None or again["collection_id"] != row["collection_id"]:
        raise ApiError(404, errors.NOT_FOUND, f"Item {row['item_id']} does not exist or is not yours.")
    return place
