"""What every importer hands back: neutral entries, what it skipped, and warnings by position."""

from collections import namedtuple
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ...contract.errors import IMPORT_ENCRYPTED, IMPORT_UNREADABLE, UNKNOWN_IMPORT_FORMAT, ImportRefused

UNTITLED = "Untitled"

# One format a module reads: its name in `format=`, and its two verbs, both taking a Source.
Format = namedtuple("Format", "name recognise read")


@dataclass(frozen=True, slots=True)
class File:
    """A file an entry carried. `media_type` is "" when the export does not say it (it is then guessed
    from the name); `problem` says why a file that could not be read is left behind ("" when it can
    be kept). Warnings name a file by its place among its entry's files, never by its name."""

    name: str
    data: bytes
    media_type: str = ""
    problem: str = ""


@dataclass(slots=True)
class Entry:
    """One entry of an export, in oppmini's terms but not yet an item (nothing checked against item limits).

    `position` is the entry's place in the file (1-based, skipped entries
    counted), so warnings can name it without quoting a value. `folder` is a
    `/`-separated category path. `fields` holds (name, value, hidden) triples.
    `category` and `sort_id` are set only by formats that name categories
    themselves (oppmini-json): `category` is then an index into
    `Reading.categories`, which keeps categories of equal names apart.
    `type` is the item type (oppmini/vault/types/) and `typed` its own fields
    by the names items use; `files` holds a File for each file the entry
    carried (a 1PUX document, KeePass attachments, oppmini-json's files).
    """

    position: int
    name: str = ""
    url: str = ""
    username: str = ""
    password: str = ""
    notes: str = ""
    folder: str = ""
    totp: str = ""
    fields: list = field(default_factory=list)
    favorite: bool = False
    match: str | None = None  # the item's match rule (oppmini-json only); None: the default
    account: str = ""
    category: int | None = None
    sort_id: int | None = None
    type: str = "login"
    typed: dict = field(default_factory=dict)
    files: list = field(default_factory=list)

    def add_field(self, name, value, hidden=False):
        self.fields.append((name, value, hidden))

    def add_urls(self, urls):
        """First URL to `url`, the others to custom fields "URL 2", "URL 3"... (§2); empty ones dropped."""
        urls = [url for url in urls if url]
        if urls:
            self.url = urls[0]
        for number, url in enumerate(urls[1:], start=2):
            self.add_field(f"URL {number}", url)


@dataclass
class Reading:
    """The outcome of reading one file: entries in file order, skipped kinds counted, warnings."""

    format: str
    limit: int  # entries, skipped ones included: bounds memory whatever the file's shape
    entries: list = field(default_factory=list)
    skipped: int = 0
    warnings: list = field(default_factory=list)  # (entry position, reason): reasons never hold values
    categories: list = field(default_factory=list)  # (name, sort_id), oppmini-json only
    lossless: bool = False  # oppmini-json: every entry kept as written, an empty name too

    def add(self, entry):
        """Keep `entry`; one without a title (other than oppmini's own) is named, with a warning."""
        self._count(entry.position)
        if not self.lossless and not entry.name.strip():
            host = host_name(entry.url)
            entry.name = host or UNTITLED
            self.warn(
                entry.position, "no title: named after its URL's host" if host else f'no title: named "{UNTITLED}"'
            )
        self.entries.append(entry)

    def skip(self, position, reason):
        self._count(position)
        self.skipped += 1
        self.warnings.append((position, reason))

    def _count(self, position):
        if position > self.limit:
            raise unreadable(
                f"entry {position}",
                f"the file holds more than {self.limit} entries; export it in parts (a folder at a time)",
            )

    def warn(self, position, reason):
        self.warnings.append((position, reason))


def host_name(url):
    """The URL's host without a leading `www.`; "" when it has none (no URL, or not a URL)."""
    try:
        host = urlsplit(url).hostname
    except ValueError:  # e.g. a malformed IPv6 host
        host = None
    return (host or "").removeprefix("www.")


def unreadable(where, why):
    """400 `Unable to read the import file!`, saying where (a line or an entry) and why, never with a value."""
    return ImportRefused(IMPORT_UNREADABLE, f"{where}: {why}" if where else why)


def unknown_format(why):
    return ImportRefused(UNKNOWN_IMPORT_FORMAT, why)


def encrypted(how):
    """400 `Encrypted exports are not supported!` with how to export unencrypted instead."""
    return ImportRefused(IMPORT_ENCRYPTED, how)


def text(value, where, key):
    """A JSON value as item text: null is "", numbers and booleans are spelled out, anything else is refused."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    raise unreadable(where, f"'{key}' is not text")
