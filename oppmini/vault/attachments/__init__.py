"""Attachments (extensions.md section 8): files kept with an item, sealed in chunks under their own key.

`storing` writes a file from pieces of any size (attach_file, also for
importers) within the size limit and the uploader's quota; `reading` lists an
item's files and checks and streams one back; `resealing` follows the item's
key: a move of the item or a rotation of its collection re-seals each file's
header (key, name, media type), never its chunks. The trash needs nothing of
its own: a file stays with its item row, and goes with it when it is purged.
"""

from .reading import (
    FileOpened,
    attachment_lists,
    check_file,
    checked_chunks,
    chunks_of,
    item_attachments,
    no_attachment,
    open_file,
)
from .resealing import move, rotate
from .storing import Limits, attach_file, check_declared, claimed_bytes, delete_file, used_bytes

__all__ = [
    "FileOpened",
    "Limits",
    "attach_file",
    "attachment_lists",
    "check_file",
    "checked_chunks",
    "check_declared",
    "claimed_bytes",
    "chunks_of",
    "delete_file",
    "item_attachments",
    "move",
    "no_attachment",
    "open_file",
    "rotate",
    "used_bytes",
]
