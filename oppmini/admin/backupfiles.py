"""A backup's attachments checked as they are read: every file has the chunks its size calls for.

The chunks are sealed under keys the backup cannot open, so what can be
checked without them is checked: each file's chunks come in order from index
0 without a gap, each sealed chunk has the length its place calls for (a full
chunk but the last, which holds the rest), and none is missing at the end.
What only the key can tell (that a chunk is this file's, at this place) the
server checks at every download.
"""

from ..seal.files import CHUNK_BYTES, CHUNK_OVERHEAD, chunk_count


class FileTally:
    """The attachments of one backup file as its rows go by; `count` each row, then `finish`."""

    def __init__(self):
        self._sizes = {}  # attachment_id: size, for files whose chunks are not all seen yet
        self._next = {}  # attachment_id: the chunk index expected next

    def count(self, table, row):
        """What is wrong with this row of the file's attachments, or None."""
        if table == "attachments":
            self._sizes[row["attachment_id"]] = row["size"]
            self._next[row["attachment_id"]] = 0
        elif table == "attachment_chunks":
            return self._chunk(row)
        return None

    def _chunk(self, row):
        attachment_id, index = row["attachment_id"], row["chunk_index"]
        expected = self._next.get(attachment_id)
        if expected is None:
            return f"attachment {attachment_id} has a chunk {index} past its last"
        if index != expected:
            return f"attachment {attachment_id} has chunk {index} where chunk {expected} belongs"
        size = self._sizes[attachment_id]
        count = chunk_count(size)
        length = CHUNK_BYTES if index < count - 1 else size - CHUNK_BYTES * (count - 1)
        if len(row["sealed_chunk"]) != length + CHUNK_OVERHEAD:
            return f"attachment {attachment_id}'s chunk {index} is not of the length its place calls for"
        if index == count - 1:
            del self._next[attachment_id], self._sizes[attachment_id]
        else:
            self._next[attachment_id] = index + 1
        return None

    def finish(self):
        """What is missing once every row was read, or None."""
        for attachment_id, expected in self._next.items():
            return f"attachment {attachment_id} ends at chunk {expected} of {chunk_count(self._sizes[attachment_id])}"
        return None
