"""Reading attachments back: the lists in item answers, and one file checked whole, then streamed.

A file is streamed in chunks, so the server's memory does not grow with its
size; but an answer's status goes out before its body, so the whole file is
checked first, in the read snapshot the stream then reads again: a file
damaged anywhere (a chunk swapped, moved, dropped, or the file cut short) is a
500 naming the attachment before a byte of it is sent. The check is the file's
tag, kept in its sealed header (seal/files.py), over every sealed chunk; files
sealed before that tag existed have each chunk's EAX tag checked instead. The
stream then only decrypts what was checked.
"""

import json
import logging
from dataclasses import dataclass

from ...contract import errors
from ...contract.errors import ApiError
from ...seal.crypto import SealError
from ...seal.files import CHUNK_BYTES, CHUNK_OVERHEAD, ChunkCipher, FileTag, chunk_count, open_header
from ...seal.workers import batched, in_order
from ..rows import as_id

log = logging.getLogger(__name__)

# Chunks read per query while checking and streaming.
CHUNKS_PER_READ = 8
# Chunks a worker thread checks at a time: with the batches under way
# (seal/workers.py), at most 1 MiB of the file in memory.
CHUNKS_PER_BATCH = 4
# Up to this many items, their files are found by an index probe each (a few µs); more, by one query
# over every file the caller can read, which walks the caller's whole vault to find them: 1.2 ms at
# 20,000 items, where a match answers 3 (W13).
PROBED_ITEMS = 16


@dataclass(frozen=True)
class FileOpened:
    attachment_id: int
    size: int
    key: bytes
    name: str
    media_type: str
    tag: bytes | None  # None: sealed before file tags, checked chunk by chunk


def attachment_lists(call, places):
    """{item_id: [{"id", "name", "size", "content_type"}]} of the caller's readable items, live or in
    the trash, for those of `places` ({item_id: Place}): a query each for a few, one for all else."""
    if len(places) <= PROBED_ITEMS:
        return {item_id: item_attachments(call.conn, item_id, place) for item_id, place in places.items()}
    lists = {item_id: [] for item_id in places}
    for row in call.conn.run("list_readable_attachments", user_id=call.user_id):
        place = places.get(row["item_id"])
        if place is None:
            continue
        lists[row["item_id"]].append(_listed(place, row))
    return lists


def _listed(place, row):
    header = opened_header(place, row)
    return {"id": row["attachment_id"], "name": header.name, "size": row["size"], "content_type": header.media_type}


def item_attachments(conn, item_id, place):
    """[{"id", "name", "size", "content_type"}] of one item sealed at `place`."""
    return [_listed(place, row) for row in conn.run("list_item_attachments", item_id=item_id)]


def open_file(call, item_id, place, sent):
    """The attachment `sent` (as the URL names it) of item `item_id` (sealed at `place`), its header
    opened; 404 naming the id when the item has none such, 500 when the header does not open."""
    attachment_id = as_id(sent)
    row = call.conn.run("get_attachment", attachment_id=attachment_id, item_id=item_id) if attachment_id else None
    if row is None:
        raise no_attachment(sent)
    header = opened_header(place, row)
    return FileOpened(attachment_id, row["size"], header.key, header.name, header.media_type, header.tag)


def chunks_of(db, opened):
    """The file's bytes chunk by chunk, through a connection of its own (the request's is closed by
    then), in one read snapshot: the whole file is checked first, and only then is the first chunk
    sent, so a damaged file is a 500 naming it before its answer begins (the caller takes the first
    chunk before it answers). The second pass reads the same bytes, so it decrypts without checking
    again."""
    with db.connect() as conn, conn.transaction(write=False):
        check_file(conn, opened)
        yield from checked_chunks(conn, opened)


def check_file(conn, opened):
    """The file read whole through `conn`, within its transaction, and checked: a 500 naming it when
    it is damaged. Its file tag when it has one; else each chunk's own EAX tag."""
    if opened.tag is None:
        _check_each(conn, opened, ChunkCipher(opened.key))
        return
    tag = FileTag(opened.key, opened.attachment_id)
    for _, record, _ in _sealed_chunks(conn, opened):
        tag.update(record)
    if not tag.matches(opened.size, opened.tag):
        _check_each(conn, opened, ChunkCipher(opened.key))  # only to say which chunk in the log
        raise damaged(opened.attachment_id, "its chunks are not those its tag was made of")


def checked_chunks(conn, opened):
    """The bytes of a file that check_file passed, chunk by chunk, read again through `conn` in the
    same transaction: decrypted alone, not checked again. They are decrypted on this thread, which
    sends them too: handing chunks to the worker threads and back cost more than the AES-CTR of a
    chunk takes (W15: 310-360 MiB/s that way, 390-430 this way)."""
    cipher = ChunkCipher(opened.key)
    for batch in batched(_sealed_chunks(conn, opened), CHUNKS_PER_READ):
        # A query's chunks at a time, their plaintexts one by one, each held only until it is sent.
        yield from cipher.open_checked_many([record for _, record, _ in batch])


def _check_each(conn, opened, cipher):
    """Check every chunk's own EAX tag, on the worker threads a batch each (a file without a file tag:
    the CBC pass of each is the work, and two cores halve it); the first that fails is damage."""

    def first_damaged(batch):
        for index, record, last in batch:
            if not cipher.check(opened.attachment_id, index, last, record):
                return index
        return None

    for index in in_order(first_damaged, batched(_sealed_chunks(conn, opened), CHUNKS_PER_BATCH)):
        if index is not None:
            raise damaged(opened.attachment_id, f"chunk {index} does not open")


def _sealed_chunks(conn, opened):
    """(index, sealed chunk, last) of every chunk the file's size calls for, in order; a chunk missing
    or one too many is damage."""
    count = chunk_count(opened.size)
    index = 0
    while index < count:
        rows = conn.run("list_chunks", attachment_id=opened.attachment_id, first=index, count=CHUNKS_PER_READ)
        if not rows:
            raise damaged(opened.attachment_id, f"chunk {index} of {count} is missing")
        for row in rows:
            if row["chunk_index"] != index or index >= count:
                raise damaged(opened.attachment_id, f"chunk {row['chunk_index']} where {index} of {count} belongs")
            last = index == count - 1
            # The file tag reads the chunks as one run of bytes: each must have its place's length.
            length = opened.size - CHUNK_BYTES * index if last else CHUNK_BYTES
            if len(row["sealed_chunk"]) != length + CHUNK_OVERHEAD:
                raise damaged(opened.attachment_id, f"chunk {index} is not of the length its place calls for")
            yield index, row["sealed_chunk"], last
            index += 1
    if conn.run("list_chunks", attachment_id=opened.attachment_id, first=count, count=1):
        raise damaged(opened.attachment_id, f"more chunks than the {count} of its size")


def opened_header(place, row):
    try:
        return open_header(place.key, row["item_id"], row["attachment_id"], row["sealed_header"])
    except SealError as why:
        raise damaged(row["attachment_id"], f"its key does not open: {why}") from None


def no_attachment(sent):
    return ApiError(404, errors.NOT_FOUND, f"Attachment {json.dumps(sent)} does not exist or is not yours.")


def damaged(attachment_id, why):
    # Ids and the kind of damage only: the file and its key are secret.
    log.error("attachment %s is damaged: %s", attachment_id, why)
    return ApiError(500, errors.DECRYPT_FAILED, f"Attachment {attachment_id} failed its integrity check.")
