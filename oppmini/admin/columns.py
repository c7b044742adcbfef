"""What a stored value may be, column by column: its type and bounds, for values from outside (a backup)."""

import dataclasses
from dataclasses import dataclass

from ..seal import crypto

# MySQL's limits, narrower than SQLite's: BIGINT, INT, TEXT (bytes, so the
# characters that fit at 4 bytes each), BLOB and MEDIUMBLOB.
BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1
TEXT_CHARS = (2**16 - 1) // 4
BLOB_BYTES = 2**16 - 1
MEDIUMBLOB_BYTES = 2**24 - 1


@dataclass(frozen=True)
class Column:
    """What a value must be in a backup to be restored: its type (bytes travel as base64) and its bounds.

    The bounds are those of the narrower backend's column, so a value that
    passes `verify` is written on either backend, and those of what oppmini
    can use, so a restored row never fails a request later.
    """

    kind: type  # int, str or bytes
    low: int  # int: the smallest value; str: the fewest characters; bytes: the fewest bytes
    high: int  # likewise the largest
    nullable: bool = False
    check: object = None  # a function raising ValueError("is ...") when the value is unusable

    def problem(self, value):
        """Why `value` (as decoded) cannot be restored, or None."""
        if value is None:
            return None if self.nullable else "must not be null"
        if self.kind is int:
            if not isinstance(value, int) or isinstance(value, bool) or not self.low <= value <= self.high:
                return f"must be a whole number from {self.low} to {self.high}"
            return None
        if self.kind is str:
            if not isinstance(value, str) or not self.low <= len(value) <= self.high:
                return f"must be text of {self.low} to {self.high} characters"
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return "is not valid Unicode text (a lone surrogate)"
        elif not self.low <= len(value) <= self.high:
            size = self.low if self.low == self.high else f"{self.low} to {self.high}"
            return f"must be {size} bytes, not {len(value)}"
        if self.check is not None:
            try:
                self.check(value)
            except ValueError as error:
                return str(error)
        return None

    def or_null(self):
        return dataclasses.replace(self, nullable=True)


def _sealed(record):
    if not crypto.is_sealed_record(record):
        raise ValueError("is not a sealed record")


def _ascii(value):
    if not value.isascii():
        raise ValueError("is not ASCII")


ID = Column(int, 1, BIGINT_MAX)  # AUTOINCREMENT and AUTO_INCREMENT never hand out 0 or less
SORT = Column(int, -BIGINT_MAX - 1, BIGINT_MAX)
TIME = Column(int, 0, BIGINT_MAX)
REVISION = Column(int, 0, BIGINT_MAX)  # an item's: one more per write
COUNT = Column(int, 0, INT_MAX)
VERSION = Column(int, 1, INT_MAX)  # a collection's key version: 1, then one more per rotation


def text(low, high, check=None):
    return Column(str, low, high, check=check)


def ascii_text(low, high):
    return Column(str, low, high, check=_ascii)


def one_of(*values):
    """Text that must be one of `values` (a role, say)."""

    def check(value):
        if value not in values:
            raise ValueError(f"is not one of {', '.join(values)}")

    return Column(str, 1, max(map(len, values)), check=check)


def blob(low, high):
    return Column(bytes, low, high)


def sealed(low, high):
    return Column(bytes, low, high, check=_sealed)
