"""The exposed check: an interpolation search of a local Pwned Passwords SHA-1 file, never loaded whole.

The file is the publisher's: lines `HASH:COUNT` (40 hex digits, upper case),
sorted by hash, CRLF or LF. SHA-1 values are spread evenly, so where a
hash's line lies is foretold by its value: a lookup reads WINDOW_BYTES
around the offset that the hashes at the ends of the range still in
question predict, and either finds the line there or narrows the range to
one side of what it read. That takes about two reads a password on a 1 GiB
file (bench W16), against 30 for a binary search, whose reads each cost
about as much as these. A file whose hashes are bunched cannot make it
slow: after INTERPOLATIONS guesses the search halves the range instead, so
a lookup never takes more than INTERPOLATIONS + log2(size / WINDOW_BYTES) + 1
reads of at most READ_BYTES.
"""

import hashlib
import os
import re

# Holds a few hundred lines: room for the error of a guess on the publisher's file.
WINDOW_BYTES = 8 * 1024
# Longer than any line: 40 hex digits, a colon, a count, a line break.
LINE_BYTES = 128
READ_BYTES = WINDOW_BYTES + 1 + LINE_BYTES
INTERPOLATIONS = 4
HASH_LENGTH = 40
HASH_END = 1 << 160
_HEX = re.compile(rb"[0-9A-Fa-f]{40}")


class PwnedFileError(ValueError):
    """The file does not hold lines of the publisher's form where the search looked."""


class PwnedFile:
    """An open Pwned Passwords file; `reads` counts the reads made so far (each at most READ_BYTES)."""

    def __init__(self, path):
        # Unbuffered: each read below is one read of the file, of the size asked.
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by close(), used across many lookups
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
        value = int(wanted, 16)
        # The wanted line, if present, starts in [low, high); low_hash and high_hash bound the hashes there.
        low, high, low_hash, high_hash = 0, self.size, 0, HASH_END
        guesses = 0
        while low < high:
            if high - low <= WINDOW_BYTES:
                lines = self._lines_starting_in(low, high - low)
                return lines.count(wanted) if lines else 0
            if guesses < INTERPOLATIONS:
                guesses += 1
                middle = low + (value - low_hash) * (high - low) // max(high_hash - low_hash, 1)
            else:
                middle = (low + high) // 2
            start = min(max(middle - WINDOW_BYTES // 2, low), high - WINDOW_BYTES)
            lines = self._lines_starting_in(start, WINDOW_BYTES)
            if lines is None:
                raise PwnedFileError("no line starts where one must")
            if wanted < lines.first_hash:
                high, high_hash = lines.first, int(lines.first_hash, 16)
            elif wanted > lines.last_hash:
                low, low_hash = lines.after, int(lines.last_hash, 16)
            else:
                return lines.count(wanted)
        return 0

    def _lines_starting_in(self, start, length):
        """The _Lines that start in [start, start + length), read whole in one read; None when no line does."""
        # The byte before `start` tells whether a line starts at `start`; the read runs on past the range
        # far enough to hold the whole of its last line.
        before = 1 if start > 0 else 0
        self._file.seek(start - before)
        chunk = self._file.read(before + length + LINE_BYTES)
        self.reads += 1
        at_end = start - before + len(chunk) >= self.size
        first = chunk.find(b"\n") + 1 if before else 0
        if before and first == 0:
            return None if at_end else _too_long()
        bound = before + length  # where the range ends in the chunk
        if first >= bound:
            return None
        last = chunk.rfind(b"\n", first, bound - 1) + 1 or first
        end = chunk.find(b"\n", last)
        if end == -1:
            end = len(chunk) if at_end else _too_long()
        return _Lines(chunk[first:end], start - before + first, last - first)


class _Lines:
    """Whole lines read together: the offset of the first in the file, the offset after the last, their hashes."""

    def __init__(self, text, first, last_start):
        self._text = text
        self.first = first
        self.after = first + len(text) + 1
        self.first_hash = _hash_of(text[:LINE_BYTES])
        self.last_hash = _hash_of(text[last_start:])

    def count(self, wanted):
        """The count on the line of hash `wanted` (upper case); 0 when none of these lines is its."""
        text = self._text
        if not text[:HASH_LENGTH].isupper():
            # The publisher's hashes are upper case; these are not, so the search is made in upper case.
            text = text.upper()
        if text.startswith(wanted + b":"):
            at = 0
        else:
            at = text.find(b"\n" + wanted + b":") + 1
            if at == 0:
                return 0
        line_end = text.find(b"\n", at)
        return _seen(text[at : line_end if line_end != -1 else None].rstrip(b"\r"))


def _hash_of(line):
    """The upper-case hash at the start of `line`, which must be a `HASH:COUNT` line."""
    digest, colon = line[:HASH_LENGTH], line[HASH_LENGTH : HASH_LENGTH + 1]
    end = line.find(b"\n")
    if colon != b":" or not _HEX.fullmatch(digest) or (end == -1 and len(line) >= LINE_BYTES):
        raise PwnedFileError("a line is not of the form HASH:COUNT")
    return digest.upper()


def _too_long():
    raise PwnedFileError("a line is longer than a Pwned Passwords line can be")


def _seen(line):
    _, _, count = line.partition(b":")
    return int(count) if count.strip().isdigit() else 1
