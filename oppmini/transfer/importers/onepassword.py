"""1Password exports: the CSV of 1Password 8 and the 1PUX (a zip holding `export.data` JSON).

In a 1PUX, Login (001) and Password (005) items become logins, Secure Notes
(003) notes, Credit Cards (002) cards, Identities (004) identities, Wireless
Routers (109) wifi items (onepux_kinds.py says which field goes where), and
Documents (006) notes with their file attached; the rest (bank accounts,
licences...) are skipped and counted. The folder is the vault's name.
Section fields become custom fields (concealed ones hidden); the first
one-time-password field is the TOTP, further ones stay as hidden fields.

A 1PUX is refused before unpacking when it has too many members or when
`export.data` would unpack past the byte budget, so a zip bomb costs nothing.
"""

import io
import lzma
import zipfile
import zlib

from . import onepux_kinds, tables
from .entry import Entry, File, Format, text, unreadable
from .source import load_json

COLUMNS = ("title", "username", "password")
MARKS = {"favorite", "archived", "tags"}  # what tells 1Password's CSV from Safari's


def recognise_csv(source):
    return tables.headed(source, COLUMNS) and bool(MARKS & set(source.header))


def read_csv(source):
    reading = source.reading("1password-csv")
    for position, row in tables.rows(source, COLUMNS, "1Password CSV"):
        reading.add(
            Entry(
                position,
                name=row["title"],
                url=row.first("url", "website"),
                username=row["username"],
                password=row["password"],
                notes=row["notes"],
                totp=row["otpauth"],
                favorite=row["favorite"] == "true",
            )
        )
    return reading


LOGIN, NOTE, PASSWORD = "001", "003", "005"
MAX_MEMBERS = 10_000  # a 1PUX holds export.data, export.attributes and one file per attachment
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


def recognise_1pux(source):
    # Member names sit uncompressed in the zip's headers: no unpacking to recognise one.
    return source.is_zip and b"export.data" in source.raw


def read_1pux(source):
    document = _unpack(source)
    if not isinstance(document, dict) or not isinstance(document.get("accounts"), list):
        raise unreadable("export.data", "not a 1Password export (no list of accounts)")
    reading = source.reading("1password-1pux")
    position = 0
    files = _Files(source)
    for account in document["accounts"]:
        for vault in _list(account, "vaults", "export.data"):
            attrs = _dict(_dict(vault, "export.data").get("attrs") or {}, "export.data")
            vault_name = text(attrs.get("name"), "export.data", "name")
            for item in _list(vault, "items", "export.data"):
                position += 1
                _read_item(reading, position, item, vault_name, files)
    return reading


class _Files:
    """A document item's file, read from the zip's `files/` when the item is read, within the byte budget."""

    def __init__(self, source):
        self.source = source

    def read(self, document_id, file_name, where):
        member = f"files/{document_id}__{file_name}"
        try:
            with zipfile.ZipFile(io.BytesIO(self.source.raw)) as archive:
                info = archive.getinfo(member)
                if info.file_size > self.source.max_bytes:
                    raise unreadable(where, f"its file unpacks to more than {self.source.max_bytes} bytes")
                with archive.open(info) as opened:
                    data = opened.read(self.source.max_bytes + 1)
        except KeyError:
            return None
        except ZIP_ERRORS:
            raise unreadable(where, "its file in the 1PUX zip is damaged or truncated") from None
        if len(data) > self.source.max_bytes:
            raise unreadable(where, f"its file unpacks to more than {self.source.max_bytes} bytes")
        return data


def _unpack(source):
    """export.data's JSON, read within the member and byte budgets."""
    # zipfile builds an object per member of the central directory before any check of
    # ours: count the directory's signatures first (data can only add to that count).
    if source.raw.count(b"PK\x01\x02") > MAX_MEMBERS:
        raise unreadable("", f"the 1PUX zip has more than {MAX_MEMBERS} members")
    try:
        with zipfile.ZipFile(io.BytesIO(source.raw)) as archive:
            try:
                info = archive.getinfo("export.data")
            except KeyError:
                raise unreadable("", "no export.data in the zip: not a 1Password 1PUX export") from None
            if info.file_size > source.max_bytes:
                raise unreadable("export.data", f"unpacks to more than {source.max_bytes} bytes")
            with archive.open(info) as member:
                data = member.read(source.max_bytes + 1)  # the declared size is not trusted either
    except ZIP_ERRORS:
        raise unreadable("", "the 1PUX zip is damaged or truncated") from None
    if len(data) > source.max_bytes:
        raise unreadable("export.data", f"unpacks to more than {source.max_bytes} bytes")
    try:
        data = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise unreadable("export.data", "not UTF-8 text") from None
    return load_json(data, "export.data")


def _dict(value, where):
    if not isinstance(value, dict):
        raise unreadable(where, "expected an object")
    return value


def _list(holder, key, where):
    value = _dict(holder, where).get(key) or []
    if not isinstance(value, list):
        raise unreadable(where, f"'{key}' is not a list")
    return value


def _read_item(reading, position, item, vault_name, files):
    where = f"entry {position}"
    item = _dict(item, where)
    category = item.get("categoryUuid")
    if category not in (LOGIN, PASSWORD, *onepux_kinds.TYPES):
        reading.skip(position, "not a login, password, note, card, identity, router or document: not imported")
        return
    overview, details = _dict(item.get("overview") or {}, where), _dict(item.get("details") or {}, where)
    entry = Entry(
        position,
        name=text(overview.get("title"), where, "title"),
        folder=vault_name,
        notes=text(details.get("notesPlain"), where, "notesPlain"),
        password=text(details.get("password"), where, "password"),
        favorite=isinstance(item.get("favIndex"), int) and item["favIndex"] > 0,
        type=onepux_kinds.TYPES.get(category, "login"),
    )
    for login_field in _list(details, "loginFields", where):
        designation = _dict(login_field, where).get("designation")
        if designation in ("username", "password"):
            setattr(entry, designation, text(login_field.get("value"), where, "value"))
    urls = [text(_dict(one, where).get("url"), where, "url") for one in _list(overview, "urls", where)]
    primary = text(overview.get("url"), where, "url")
    entry.add_urls([primary] + [url for url in urls if url != primary])
    for section in _list(details, "sections", where):
        for one in _list(section, "fields", where):
            _read_section_field(entry, category, _dict(one, where), where)
    if category == onepux_kinds.DOCUMENT:
        _read_document(reading, entry, details, files, where)
    reading.add(entry)


def _read_document(reading, entry, details, files, where):
    attributes = _dict(details.get("documentAttributes") or {}, where)
    file_name = text(attributes.get("fileName"), where, "fileName")
    document_id = text(attributes.get("documentId"), where, "documentId")
    data = files.read(document_id, file_name, where) if file_name and document_id else None
    if data is None:
        reading.warn(entry.position, "its document's file is not in the 1PUX: not imported")
    else:
        entry.files.append(File(file_name, data))


def _read_section_field(entry, category, one, where):
    value = one.get("value")
    if not isinstance(value, dict) or len(value) != 1:
        return
    ((kind, content),) = value.items()
    if onepux_kinds.read_field(entry, category, one.get("id"), kind, content, where):
        return
    if kind == "email" and isinstance(content, dict):
        content = content.get("email_address")
    if isinstance(content, dict | list) or content in (None, ""):
        return  # addresses, references and empty fields carry nothing a text field should hold
    content = text(content, where, kind)
    name = text(one.get("title") or one.get("id"), where, "title")
    if kind == "totp" and not entry.totp:
        entry.totp = content
    else:
        entry.add_field(name, content, kind in ("totp", "concealed"))


FORMATS = (Format("1password-1pux", recognise_1pux, read_1pux), Format("1password-csv", recognise_csv, read_csv))
