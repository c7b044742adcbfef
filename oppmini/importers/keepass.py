"""KeePass 2 XML exports (KeePass, KeePassXC) and KeePassXC's CSV export.

The root group (the database's name) is dropped from folder paths (§2).
Entries of the Recycle Bin group are skipped and counted: in XML the group
named by `RecycleBinUUID`; in KeePassXC's CSV, which names groups only by
path, a group "Recycle Bin" right below the root (KeePassXC's English name
for it). `<History>` copies are not entries at all. Standard strings map to
the item; the others become custom fields, hidden when KeePass protects them.
What an item cannot hold (attachments, tags, an expiry date) is warned of per
entry, by position.

Folder paths join group names with `/`, as other formats nest folders. In
XML, a `/` inside one group's name becomes U+2215 (∕), which looks the same,
so a group named "Internet/Shopping" stays apart from Internet › Shopping,
here and in a Bitwarden export of the vault. (KeePassXC's CSV joins the path
with `/` itself, so there the two cannot be told apart.)

The XML goes through defusedxml with DTDs forbidden: a KeePass file never has
one, and without a DTD there is no entity to expand (billion laughs) and no
external entity to fetch (a file read). It is parsed as a stream and each
entry let go once read, so memory follows the largest entry, not the file.
"""

import io
import re
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

from . import tables
from .entry import Entry, Format, encrypted, unreadable

KDBX = b"\x03\xd9\xa2\x9a"  # KeePass database signature: an encrypted file, not an export
# The root element, or a DOCTYPE naming it: such a file is KeePass's, to be refused for its DTD by name.
ROOT = re.compile(r"\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<(!DOCTYPE\s+)?KeePassFile[\s>/\[]", re.S)
STANDARD = {"Title": "name", "UserName": "username", "Password": "password", "URL": "url", "Notes": "notes"}
# KeePassXC keeps an otpauth:// URI in "otp"; KeePass 2.47+ and older plugins keep a bare seed.
TOTP_KEYS = ("otp", "TimeOtp-Secret-Base32", "TOTP Seed")
SLASH_IN_NAME = "\u2215"  # DIVISION SLASH: a group name's own "/", not a level of the path
HOW_TO_EXPORT = ("This is a KeePass database (.kdbx), which is encrypted. Export it unencrypted first: in KeePass "
                 "File > Export > KeePass XML (2.x); in KeePassXC Database > Export > CSV File. "
                 "Delete the exported file once imported.")


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
    # Fed as the text already checked to be UTF-8: the declaration's encoding (perhaps one
    # Python lacks, or Latin-1 over UTF-8 bytes) is then not consulted.
    parser = defusedxml.ElementTree.iterparse(io.StringIO(source.text), events=("start", "end"), forbid_dtd=True)
    try:
        _walk(parser, reading)
    except ParseError as error:
        line, column = error.position
        raise unreadable(f"line {line} column {column}", "not well-formed XML") from None
    except DefusedXmlException:
        raise unreadable("", "the XML declares a DTD or entities, which a KeePass export never does") from None
    return reading


def _walk(parser, reading):
    elements, groups, recycle_bin, position = [], [], None, 0
    for event, element in parser:
        if event == "start":
            if not elements and element.tag != "KeePassFile":
                raise unreadable("", "not a KeePass XML export (the root element is not KeePassFile)")
            elements.append(element)
            if element.tag == "Group":
                groups.append(_Group())
            continue
        elements.pop()
        parent = elements[-1].tag if elements else None
        if element.tag == "RecycleBinUUID" and parent == "Meta":
            recycle_bin = element.text
        elif parent == "Group" and element.tag in ("Name", "UUID"):
            setattr(groups[-1], element.tag.lower(), element.text or "")
        elif element.tag == "Entry" and parent == "Group":
            position += 1
            if recycle_bin and any(group.uuid == recycle_bin for group in groups):
                reading.skip(position, IN_RECYCLE_BIN)
            else:
                reading.add(_entry(position, element, groups))
                for reason in _dropped(element):
                    reading.warn(position, reason)
            elements[-1].remove(element)
        elif element.tag == "Group":
            groups.pop()
            if elements:
                elements[-1].remove(element)
        elif element.tag in ("Meta", "History"):
            element.clear()  # attachments and old copies: nothing to keep


def _entry(position, element, groups):
    entry = Entry(position, folder="/".join(group.name.replace("/", SLASH_IN_NAME) for group in groups[1:]))
    for string in element.iterfind("String"):
        key = string.findtext("Key") or ""
        value_element = string.find("Value")
        value = (value_element.text or "") if value_element is not None else ""
        if key in STANDARD:
            setattr(entry, STANDARD[key], value)
        elif key in TOTP_KEYS and not entry.totp:
            entry.totp = value
        else:
            entry.add_field(key, value, value_element is not None and value_element.get("ProtectInMemory") == "True")
    return entry


def _dropped(element):
    """Why each part of an entry that no item holds is left behind; the parts' names and values are not told."""
    attachments = len(element.findall("Binary"))
    if attachments:
        which = "its attachment is" if attachments == 1 else f"its {attachments} attachments are"
        yield f"{which} not imported: oppmini does not hold attachments yet"
    if (element.findtext("Tags") or "").strip():
        yield "its tags are not imported: oppmini items have no tags"
    if element.findtext("Times/Expires") == "True":
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
        reading.add(Entry(position, name=row["title"], username=row["username"], password=row["password"],
                          url=row["url"], notes=row["notes"], folder=folder, totp=row["totp"]))
    return reading


FORMATS = (Format("keepass-xml", recognise_xml, read_xml), Format("keepassxc-csv", recognise_csv, read_csv))
