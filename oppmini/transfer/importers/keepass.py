"""KeePass 2 XML exports (KeePass, KeePassXC) and KeePassXC's CSV export.

The root group (the database's name) is dropped from folder paths (§2).
Entries of the Recycle Bin group are skipped and counted: in XML the group
named by `RecycleBinUUID`; in KeePassXC's CSV, which names groups only by
path, a group "Recycle Bin" right below the root (KeePassXC's English name
for it). `<History>` copies are not entries at all. Standard strings map to
the item; the others become custom fields, hidden when KeePass protects them.
An entry's attachments are read with their bytes (from the `Meta/Binaries`
pool a `Ref` names, or inline), base64 and gzip undone within the import's
byte budget, and handed on with the entry. What an item cannot hold (tags,
an expiry date) is warned of per entry, by position.

Folder paths join group names with `/`, as other formats nest folders. In
XML, a `/` inside one group's name becomes U+2215 (∕), which looks the same,
so a group named "Internet/Shopping" stays apart from Internet › Shopping,
here and in a Bitwarden export of the vault. (KeePassXC's CSV joins the path
with `/` itself, so there the two cannot be told apart.)

The XML is read as a stream of start and end calls within bounds
(xmlstream.py), keeping only the values an entry needs, so memory follows
the entries, not the file.
"""

import base64
import binascii
import re
import zlib

from . import tables, xmlstream
from .entry import Entry, File, Format, encrypted, unreadable

KDBX = b"\x03\xd9\xa2\x9a"  # KeePass database signature: an encrypted file, not an export
# The root element, or a DOCTYPE naming it: such a file is KeePass's, to be refused for its DTD by name.
ROOT = re.compile(r"\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<(!DOCTYPE\s+)?KeePassFile[\s>/\[]", re.S)
STANDARD = {"Title": "name", "UserName": "username", "Password": "password", "URL": "url", "Notes": "notes"}
# KeePassXC keeps an otpauth:// URI in "otp"; KeePass 2.47+ and older plugins keep a bare seed.
TOTP_KEYS = ("otp", "TimeOtp-Secret-Base32", "TOTP Seed")
MAX_STRINGS = 1_000  # per entry: an item holds 50 custom fields; a list of millions would hold the memory
SLASH_IN_NAME = "\u2215"  # DIVISION SLASH: a group name's own "/", not a level of the path
HOW_TO_EXPORT = (
    "This is a KeePass database (.kdbx), which is encrypted. Export it unencrypted first: in KeePass "
    "File > Export > KeePass XML (2.x); in KeePassXC Database > Export > CSV File. "
    "Delete the exported file once imported."
)


class _Group:
    __slots__ = ("name", "uuid")

    def __init__(self):
        self.name, self.uuid = "", None


def recognise_xml(source):
    return source.raw.startswith(KDBX) or (source.looks_xml and ROOT.match(source.text[:4096]) is not None)


def read_xml(source):
    if source.raw.startswith(KDBX):
        raise encrypted(HOW_TO_EXPORT)
    reading = source.reading("keepass-xml")
    xmlstream.parse(source, _Walk(reading, source.max_bytes))
    return reading


class _Walk:
    """What the elements read so far said, kept as the values they hold (no element is kept).

    `entry` is the Entry being read, one of a group's: a `<History>` copy is
    an Entry too, but its strings are not the entry's.
    """

    text_of = frozenset(("RecycleBinUUID", "Name", "UUID", "Key", "Value", "Tags", "Expires", "Binary"))

    def __init__(self, reading, max_bytes):
        self.reading = reading
        self.open, self.groups, self.recycle_bin, self.position = [], [], None, 0
        self.entry, self.entry_depth = None, 0
        self.key = self.value = ""  # of the String being read
        self.protected = False
        self.dropped = {}  # what the entry has that no item holds: tags, expires, attachments not found
        self.files = _Binaries(max_bytes)

    def start(self, name, attributes):
        if not self.open and name != "KeePassFile":
            raise unreadable("", "not a KeePass XML export (the root element is not KeePassFile)")
        parent = self.open[-1] if self.open else None
        self.open.append(name)
        if name == "Group":
            self.groups.append(_Group())
        elif name == "Entry" and parent == "Group":
            self.position += 1
            self.entry, self.entry_depth, self.dropped = Entry(self.position), len(self.open), {}
        elif name == "String":
            self.key = self.value = ""
            self.protected = False
        elif name == "Value":
            self.protected = attributes.get("ProtectInMemory") == "True"
            self.files.value_started(attributes)
        elif name == "Binary":
            self.files.binary_started(parent, attributes)

    def end(self, name, text):
        depth = len(self.open)
        self.open.pop()
        parent = self.open[-1] if self.open else None
        in_entry = self.entry is not None and depth == self.entry_depth + 1  # a child of the entry itself
        if name == "RecycleBinUUID" and parent == "Meta":
            self.recycle_bin = text
        elif name in ("Name", "UUID") and parent == "Group":
            setattr(self.groups[-1], name.lower(), text)
        elif name == "Key" and parent in ("String", "Binary"):
            self.key = text
        elif name == "Value" and parent in ("String", "Binary"):
            self.value = text
        elif name == "Binary" and parent == "Binaries":
            self.files.pooled(text)
        elif name == "String" and in_entry:
            if len(self.entry.fields) >= MAX_STRINGS:
                raise unreadable(
                    f"entry {self.entry.position}", f"more than {MAX_STRINGS} strings, {xmlstream.NOT_KEEPASS}"
                )
            _add_string(self.entry, self.key, self.value, self.protected)
        elif name == "Binary" and in_entry:
            data = self.files.attached(self.value, self.entry.position)
            if data is None:
                self.dropped["attachments"] = self.dropped.get("attachments", 0) + 1
            else:
                self.entry.files.append(File(self.key, data))
        elif name == "Tags" and in_entry:
            self.dropped["tags"] = bool(text.strip())
        elif name == "Expires" and self.entry is not None and depth == self.entry_depth + 2 and parent == "Times":
            self.dropped["expires"] = text == "True"
        elif name == "Entry" and depth == self.entry_depth and self.entry is not None:
            self._entry_read()
        elif name == "Group":
            self.groups.pop()

    def _entry_read(self):
        entry, self.entry = self.entry, None
        if self.recycle_bin and any(group.uuid == self.recycle_bin for group in self.groups):
            self.reading.skip(entry.position, IN_RECYCLE_BIN)
            return
        entry.folder = "/".join(group.name.replace("/", SLASH_IN_NAME) for group in self.groups[1:])
        self.reading.add(entry)
        for reason in _dropped(**self.dropped):
            self.reading.warn(entry.position, reason)


def _add_string(entry, key, value, protected):
    if key in STANDARD:
        setattr(entry, STANDARD[key], value)
    elif key in TOTP_KEYS and not entry.totp:
        entry.totp = value
    else:
        entry.add_field(key, value, protected)


class _Binaries:
    """KeePass's attachment pool (`Meta/Binaries`, by ID) and the bytes of an entry's attachment.

    The bytes unpacked from the whole file stay within the import's byte
    budget, so a compressed attachment cannot blow up in memory.
    """

    def __init__(self, max_bytes):
        self.budget = max_bytes
        self.pool = {}  # ID: (base64 text, compressed)
        self.binary = self.ref = None  # the attributes of the pooled Binary, the entry Binary's Value Ref

    def binary_started(self, parent, attributes):
        self.binary = attributes if parent == "Binaries" else None
        self.ref = None

    def value_started(self, attributes):
        self.ref = attributes.get("Ref")
        self.compressed = attributes.get("Compressed") == "True"

    def pooled(self, text):
        if self.binary is not None and self.binary.get("ID") is not None:
            self.pool[self.binary["ID"]] = (text, self.binary.get("Compressed") == "True")

    def attached(self, inline_text, position):
        """An entry's attachment as bytes; None when its Ref names nothing in the pool."""
        if self.ref is None:
            encoded, compressed = inline_text, self.compressed
        elif self.ref in self.pool:
            encoded, compressed = self.pool[self.ref]
        else:
            return None
        where = f"entry {position}"
        try:
            data = base64.b64decode("".join(encoded.split()), validate=True)
        except (binascii.Error, ValueError):
            raise unreadable(where, "an attachment is not valid base64") from None
        if compressed:
            data = self._gunzip(data, where)
        self.budget -= len(data)
        if self.budget < 0:
            raise unreadable(where, "its attachments unpack to more than the import's size limit")
        return data

    def _gunzip(self, data, where):
        unpacker = zlib.decompressobj(wbits=31)  # gzip, as KeePass writes a compressed binary
        try:
            data = unpacker.decompress(data, max(self.budget, 0) + 1)
        except zlib.error:
            raise unreadable(where, "an attachment's compressed bytes are damaged") from None
        if len(data) > self.budget:
            raise unreadable(where, "its attachments unpack to more than the import's size limit")
        return data


def _dropped(attachments=0, tags=False, expires=False):
    """Why each part of an entry that no item holds is left behind; the parts' names and values are not told."""
    if attachments:
        which = "an attachment refers" if attachments == 1 else f"{attachments} attachments refer"
        yield f"{which} to a file the export does not hold: not imported"
    if tags:
        yield "its tags are not imported: oppmini items have no tags"
    if expires:
        yield "its expiry date is not imported: oppmini items do not expire"


CSV_COLUMNS = ("group", "title", "username", "password", "url", "notes")
RECYCLE_BIN = "Recycle Bin"
IN_RECYCLE_BIN = "in the Recycle Bin: not imported"


def recognise_csv(source):
    return tables.headed(source, CSV_COLUMNS)


def read_csv(source):
    reading = source.reading("keepassxc-csv")
    for position, row in tables.rows(source, CSV_COLUMNS, "KeePassXC CSV"):
        _, _, folder = row["group"].partition("/")  # the first level is the root group
        if folder.partition("/")[0] == RECYCLE_BIN:
            reading.skip(position, IN_RECYCLE_BIN)
            continue
        reading.add(
            Entry(
                position,
                name=row["title"],
                username=row["username"],
                password=row["password"],
                url=row["url"],
                notes=row["notes"],
                folder=folder,
                totp=row["totp"],
            )
        )
    return reading


FORMATS = (Format("keepass-xml", recognise_xml, read_xml), Format("keepassxc-csv", recognise_csv, read_csv))
