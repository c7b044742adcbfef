"""The exposed check: a binary search of a local Pwned Passwords SHA-1 file, never loaded whole.

The file is the publisher's: lines `HASH:COUNT` (40 hex digits, upper case),
sorted by hash, CRLF or LF. A lookup seeks to the middle of the byte range
still in question, reads at most READ_BYTES there, takes the first whole line
after the seek point and halves the range: about log2(file size) reads of
bounded size per password, whatever the file's size (30 for 1 GiB).
"""

import hashlib
import os

# Longer than any line: 40 hex digits, a colon, a count, a line break.
READ_BYTES = 128
HASH_LENGTH = 40


class PwnedFileError(ValueError):
    """The file does not hold lines of the publisher's form where the search looked."""


class PwnedFile:
    """An open Pwned Passwords file; `reads` counts the reads made so far (each at most READ_BYTES)."""

    def __init__(self, path):
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close(), used across many lookups
        self.size = os.fstat(self._file.fileno()).st_size
        self.reads = 0

    def close(self):
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def count(self, password):
        """How often the list has seen `password`; 0 when it is not in the file."""
        return self.count_sha1(hashlib.sha1(password.encode("utf-8")).hexdigest())

    def count_sha1(self, digest):
        """How often the list has seen the password of SHA-1 `digest` (40 hex digits); 0 when not in the file."""
        wanted = digest.upper().encode("ascii")
        low, high = 0, self.size  # the wanted line, if present, starts in [low, high)
        while low < high:
            middle = (low + high) // 2
            line, after = self._line_from(middle)
            if line is None or line[:HASH_LENGTH].upper() > wanted:
                high = middle
            elif line[:HASH_LENGTH].upper() < wanted:
                low = after
            else:
                return _seen(line)
        return 0

    def _line_from(self, offset):
        """(the first whole line starting at or after `offset`, the offset after it); (None, size) past the end."""
        start = max(offset - 1, 0)
        self._file.seek(start)
        chunk = self._file.read(READ_BYTES)
        self.reads += 1
        skip = 0
        if offset > 0:
            # The byte before `offset` tells whether a line starts at `offset`.
            skip = chunk.find(b"\n") + 1
            if skip == 0:
                return self._no_line(len(chunk))
        end = chunk.find(b"\n", skip)
        if end == -1:
            if start + len(chunk) < self.size:
                raise PwnedFileError("a line is longer than a Pwned Passwords line can be")
            end = len(chunk)  # the last line, without a line break
        line = chunk[skip:end].rstrip(b"\r")
        if not line:
            return None, self.size
        return line, start + end + 1

    def _no_line(self, length):
        if length < READ_BYTES:
            return None, self.size
        raise PwnedFileError("a line is longer than a Pwned Passwords line can be")


def _seen(line):
    _, _, count = line.partition(b":")
    return int(count) if count.strip().isdigit() else 1
