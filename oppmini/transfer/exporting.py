"""What an export holds, read from the caller's vault; and oppmini-json with the files, streamed.

An export with its files (GET /v1/export?include_attachments=true) can hold
the whole attachment quota, 500 MiB by default: built in memory, with its
base64 and the JSON around it, that was several times as much. So its
outline (everything but the files' bytes) is written first, with a random
stand-in where each file's data goes, and the files are streamed into those
places a chunk at a time, as base64: memory holds the outline and one chunk.
The vault and its files are read in one read snapshot, on a connection of the
stream's own (the request's is closed while the answer is sent), and every
file is checked whole before the first byte goes out, as a download is: a
damaged file is a 500 naming it, never a cut-short export.
"""

import binascii
import dataclasses
import secrets
from dataclasses import dataclass

from ..vault import attachments
from ..vault.access import collection_summaries
from ..vault.vault import Categories, all_items, place_of
from .exporters import native


@dataclass(frozen=True)
class Exported:
    categories: list
    items: list
    collections: list | None  # with include_collections: the shared collections the items name

    def counts(self):
        """What the export's answer and its activity event count."""
        counts = {"categories": len(self.categories), "items": len(self.items)}
        if self.collections is not None:
            counts["collections"] = len(self.collections)
        return counts


def read_vault(call, shared):
    """What an export of the caller's vault holds, read through call.conn (in the caller's transaction:
    one consistent view); with `shared`, the items of every collection the caller can read too."""
    collections = collection_summaries(call) if shared else None
    return Exported(Categories(call).all(), all_items(call, shared=shared), collections)


def native_with_files(call, shared):
    """oppmini-json with every item's files, as a generator: first (the file's length in bytes, its
    counts), once the vault is read and every file checked; then the file's bytes, in pieces."""
    with call.services.db.connect() as conn, conn.transaction(write=False):
        # The same caller, reading through the stream's connection; its collections opened there.
        own = dataclasses.replace(call, conn=conn, shares=None)
        exported = read_vault(own, shared)
        # The stand-in for a file's data: random, so no text of the vault can hold it.
        stand_in = secrets.token_hex(16)
        files = []
        for item in exported.items:
            place = place_of(own, item)
            opened = [attachments.open_file(own, item["id"], place, listed["id"]) for listed in item["attachments"]]
            for one in opened:
                attachments.check_file(conn, one)
            item["attachments"] = [{"name": f.name, "content_type": f.media_type, "data": stand_in} for f in opened]
            files += opened
        outline = native.write(exported.categories, exported.items, exported.collections).split(stand_in.encode())
        yield sum(map(len, outline)) + sum(base64_length(one.size) for one in files), exported.counts()
        yield outline[0]
        for one, after in zip(files, outline[1:], strict=True):
            yield from base64_pieces(attachments.checked_chunks(conn, one))
            yield after


def base64_length(size):
    return 4 * ((size + 2) // 3)


def base64_pieces(chunks):
    """The base64 of the bytes of `chunks` together, a piece per chunk: every piece but the last
    encodes a whole number of 3-byte groups, so the pieces join to the base64 of the whole."""
    rest = b""
    for chunk in chunks:
        data = rest + chunk if rest else chunk
        whole = len(data) - len(data) % 3
        if whole:
            yield binascii.b2a_base64(memoryview(data)[:whole], newline=False)
        rest = bytes(data[whole:])
    if rest:
        yield binascii.b2a_base64(rest, newline=False)
