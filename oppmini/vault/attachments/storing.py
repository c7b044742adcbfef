"""Writing a file as an item's attachment: its key, its chunks, the size limit and the quota."""

from dataclasses import dataclass

from ...contract import errors
from ...contract.errors import ApiError, bad_request
from ...contract.payload import is_text
from ...seal.files import CHUNK_BYTES, CHUNK_OVERHEAD, ChunkCipher, FileHeader, FileTag, new_file_key, seal_header
from ...seal.workers import batched, in_order

NAME_LIMIT = 255
MEDIA_TYPE_LIMIT = 255
DEFAULT_MEDIA_TYPE = "application/octet-stream"
# Chunks sealed by one worker thread at a time: 8 measured 15 % faster than 4
# (W15); with the batches under way (seal/workers.py), about 4 MiB of the file
# is in memory at most.
CHUNKS_PER_WRITE = 8


@dataclass(frozen=True)
class Limits:
    max_bytes: int  # one file
    quota_bytes: int  # every file a user's quota counts

    @classmethod
    def from_config(cls, config):
        return cls(config.max_attachment_bytes, config.attachment_quota_bytes)


def used_bytes(conn, user_id):
    """What `user_id`'s quota counts: the files they uploaded and those of their personal items."""
    # int(): MySQL sums an integer column as a DECIMAL.
    return int(conn.run("count_attachment_bytes", user_id=user_id))


def claimed_bytes(conn, user_id):
    """What `user_id`'s quota counts, read for a write: until the transaction ends, no other upload or
    import of theirs gets past this count, so two at once cannot both fit in what is left. The write
    to their row first is what a Galera cluster sees of it (migration 0012): row locks hold on one
    node only, but two transactions writing one row conflict, and one of them fails."""
    conn.run("update_user_file_claims", user_id=user_id)
    return int(conn.run("count_attachment_bytes_locked", user_id=user_id))


def check_declared(limits, used, size):
    """Refuse, before anything is read, a file whose declared `size` passes a limit: 413 past the
    largest file, 400 `Quota exceeded!` past what is left of the quota, of which `used` is taken."""
    if size > limits.max_bytes:
        raise too_large(limits.max_bytes)
    if used + size > limits.quota_bytes:
        raise quota_exceeded(used, size, limits.quota_bytes)


def attach_file(conn, place, item_id, user_id, name, media_type, source, *, used, now, limits):
    """Store `source` (bytes, or an iterable of byte strings of any sizes) as a new attachment of
    item `item_id`, sealed at `place` (the item's Place), counted against `user_id`'s quota, of which
    `used` bytes are taken: claimed_bytes's count, read by the caller in this transaction (an import
    adds the files it stored before this one).

    The caller has checked that the item is theirs to write, in the same
    transaction; a limit passed midway raises, and the transaction's rollback
    takes back the chunks written so far. Answers the attachment as item
    answers list it, with its created_at.
    """
    name, media_type = checked_name(name), checked_media_type(media_type)
    pieces = (source,) if isinstance(source, bytes | bytearray) else source
    file_key = new_file_key()
    cipher = ChunkCipher(file_key)
    conn.writes_much()
    attachment_id = conn.run("insert_attachment", item_id=item_id, user_id=user_id, sealed_header=b"", now=now)
    tag = FileTag(file_key, attachment_id)
    size = 0

    def within_limits(chunks):
        nonlocal size
        for index, data, last in chunks:
            size += len(data)
            if size > limits.max_bytes:
                raise too_large(limits.max_bytes)
            if used + size > limits.quota_bytes:
                raise quota_exceeded(used, size, limits.quota_bytes)
            yield index, data, last

    def with_records(batches):
        # Each sealed chunk's buffer is made here, on the thread that frees it once written: made
        # on the worker threads, what each thread's malloc arena kept of them raised the peak of a
        # 25 MiB upload and download by 1.5 MiB more (tests/test_attachments_live.py).
        for batch in batches:
            yield batch, [bytearray(CHUNK_OVERHEAD + len(data)) for _, data, _ in batch]

    def sealed(work):
        batch, records = work
        cipher.seal_into(attachment_id, batch, records)
        return [(index, record) for (index, _, _), record in zip(batch, records, strict=True)]

    # The chunks sealed on the worker threads while this one writes those before them.
    for rows in in_order(sealed, with_records(batched(within_limits(chunked(pieces)), CHUNKS_PER_WRITE))):
        for index, record in rows:
            tag.update(record)
            conn.run("insert_chunk", attachment_id=attachment_id, chunk_index=index, sealed_chunk=record)
    header = seal_header(place.key, item_id, attachment_id, FileHeader(file_key, name, media_type, tag.digest(size)))
    conn.run("update_attachment_finished", attachment_id=attachment_id, size=size, sealed_header=header)
    return {"id": attachment_id, "name": name, "size": size, "content_type": media_type, "created_at": now}


def delete_file(conn, item_id, attachment_id):
    """Delete one attachment of item `item_id` (the caller's right checked); whether there was one."""
    return conn.run("delete_attachment", attachment_id=attachment_id, item_id=item_id) == 1


def chunked(pieces):
    """(index, bytes, last) for every CHUNK_BYTES of the concatenated `pieces`, the last one possibly
    shorter (and empty for an empty file): a chunk is held back until the next byte, or the end, says
    whether it is the last. At most a chunk and a piece are held at once; the chunks that lie whole
    within a piece are views of it, not copies."""
    buffer = bytearray()
    index = 0
    for piece in pieces:
        view = memoryview(piece)
        if not buffer:
            while len(view) > CHUNK_BYTES:
                yield index, view[:CHUNK_BYTES], False
                view = view[CHUNK_BYTES:]
                index += 1
        buffer += view
        while len(buffer) > CHUNK_BYTES:
            yield index, bytes(buffer[:CHUNK_BYTES]), False
            del buffer[:CHUNK_BYTES]
            index += 1
    yield index, bytes(buffer), True


def checked_name(name):
    """A file name to keep: 1 to NAME_LIMIT characters of text, no control characters."""
    if not isinstance(name, str) or not name.strip():
        raise bad_request(errors.BAD_REQUEST, "The query parameter 'name' must name the file.")
    if len(name) > NAME_LIMIT:
        raise bad_request(errors.BAD_REQUEST, f"The file's name is longer than {NAME_LIMIT} characters.")
    if not is_text(name) or any(ord(char) < 32 or ord(char) == 127 for char in name):
        raise bad_request(errors.BAD_REQUEST, "The file's name holds control characters or is not valid Unicode.")
    return name


def checked_media_type(media_type):
    """The Content-Type the file came with, kept as given: one line of printable ASCII."""
    if not media_type:
        return DEFAULT_MEDIA_TYPE
    if len(media_type) > MEDIA_TYPE_LIMIT or not all(" " <= char <= "~" for char in media_type):
        raise bad_request(
            errors.BAD_REQUEST, f"Content-Type must be printable ASCII of at most {MEDIA_TYPE_LIMIT} characters."
        )
    return media_type


def too_large(limit):
    return ApiError(413, errors.PAYLOAD_TOO_LARGE, f"A file may hold at most {limit} bytes.")


def quota_exceeded(used, size, quota):
    return bad_request(
        errors.QUOTA_EXCEEDED,
        f"Your files take {used} bytes of your quota of {quota} bytes; this one of {size} bytes or more does not fit.",
    )
