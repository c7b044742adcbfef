"""One import file as the importers see it: its bytes within a budget, read as text or JSON at most once."""

import json
import re
from functools import cached_property

from ...contract.errors import PAYLOAD_TOO_LARGE, ApiError
from . import tables
from .entry import Reading, unreadable

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # extensions.md §2: max_import_bytes' default
DEFAULT_MAX_ENTRIES = 100_000
# json.loads builds every object and list at once, ~60 bytes each even when the
# file spends 2 bytes on it ("[]"), and a pointer for every value: counting
# brackets and commas first bounds that blow-up to the import memory bound
# (4 x the file + 50 MiB). A login of W10's Bitwarden export holds about 8
# containers and 19 commas, so 20 MiB of them has ~210,000 and ~510,000;
# brackets and commas inside strings only over-count.
MAX_JSON_CONTAINERS = 500_000
MAX_JSON_COMMAS = 4_000_000


class Source:
    """The bytes of an import file, with the views the recognisers and readers share.

    `text` and `json` are computed on first use and kept, so detection and
    reading parse a large file once.
    """

    def __init__(self, data, max_bytes=DEFAULT_MAX_BYTES, max_entries=DEFAULT_MAX_ENTRIES):
        if len(data) > max_bytes:
            raise ApiError(413, PAYLOAD_TOO_LARGE, f"An import file may hold at most {max_bytes} bytes.")
        self.raw = bytes(data)
        self.max_bytes = max_bytes
        self.max_entries = max_entries

    def reading(self, format_name, lossless=False):
        return Reading(format_name, limit=self.max_entries, lossless=lossless)

    @property
    def is_zip(self):
        return self.raw.startswith(b"PK\x03\x04")

    @cached_property
    def text(self):
        """The file as text: UTF-8, with or without a BOM; anything else is refused, naming the line."""
        if self.raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise unreadable("", "the file is UTF-16 text; export it again as UTF-8 (or save it as UTF-8)")
        try:
            return self.raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            # Guessing Latin-1 or Windows-1252 would put wrong letters into passwords without a
            # word; a refusal naming the line lets the user re-save the file as UTF-8 instead.
            line = self.raw.count(b"\n", 0, error.start) + 1
            raise unreadable(
                f"line {line}",
                "the file is not UTF-8 text (Latin-1 or Windows-1252?); "
                'export it again as UTF-8, or save it as UTF-8 ("CSV UTF-8" in a spreadsheet)',
            ) from None

    @cached_property
    def header(self):
        """The first CSV record's column names, stripped and lower-cased; [] for a zip, JSON or XML."""
        if self.is_zip or self.looks_json or self.looks_xml:
            return []
        return tables.header(self.text)

    @cached_property
    def lead(self):
        """The text's first character after white space ("" for a zip or an empty file)."""
        found = None if self.is_zip else re.search(r"\S", self.text)
        return found.group() if found else ""

    @property
    def looks_xml(self):
        return self.lead == "<"

    @property
    def looks_json(self):
        return self.lead in ("{", "[")

    @cached_property
    def json(self):
        """The parsed JSON, or None for a file that does not start like JSON; malformed JSON is refused."""
        if not self.looks_json:
            return None
        return load_json(self.text)


def load_json(text, where=""):
    """JSON within the container budget; malformed JSON is refused with its line and column."""
    if text.count("{") + text.count("[") > MAX_JSON_CONTAINERS:
        raise unreadable(where, f"the file holds more than {MAX_JSON_CONTAINERS} JSON objects and lists")
    if text.count(",") > MAX_JSON_COMMAS:
        raise unreadable(
            where, f"the file holds more than {MAX_JSON_COMMAS} commas, more JSON values than any export has"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        # error.msg names the expectation only; str(error) and error.doc would carry the text.
        raise unreadable(
            f"{where} line {error.lineno} column {error.colno}".strip(), f"not valid JSON ({error.msg})"
        ) from None
    except RecursionError:
        raise unreadable(where, "JSON nested too deeply") from None
