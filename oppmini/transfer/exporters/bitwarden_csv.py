"""Bitwarden's CSV export: one login a row, custom fields as "name: value" lines of one column.

The `account` field goes to a custom field "Account". With shared
collections, a last column `collections` names an item's, as the column of
that name in an organisation's export.

The format cannot hold everything an item can (Bitwarden's own CSV has the
same limits), and `changes` names each item it changes, before the file is
written: a URL with a comma (Bitwarden joins a login's URIs with commas) or
without a scheme (Bitwarden's reader puts http:// in front of it); a
custom field whose name or value holds a line break or ": " (each field is
one "name: value" line; Bitwarden's reader splits at the last ": ", ours at
the first); a hidden field (no place for the flag); a carriage return
(readers take it for a line break); an item of a type with fields of its
own (a card, an identity, a Wi-Fi network, an SSH key), whose fields become
custom fields of a note (of a login for a network). A cell that other people can write
and that a spreadsheet would run as a formula (`=WEBSERVICE(...)`, which
can send the row's password away) is written with a leading `'`, and that
is a change too.
"""

import csv
import io

from ...vault.types import KINDS, secret_fields
from .bitwarden_json import ACCOUNT_FIELD

FORMAT = "bitwarden-csv"
EXTENSION, MEDIA_TYPE = "csv", "text/csv; charset=utf-8"
COLUMNS = (
    "folder",
    "favorite",
    "type",
    "name",
    "notes",
    "fields",
    "reprompt",
    "login_uri",
    "login_username",
    "login_password",
    "login_totp",
)
COLLECTIONS_COLUMN = "collections"

# The item's texts each column holds, as the reasons of `changes` name them.
TEXTS = {
    "folder": "its category's name",
    "name": "its name",
    "notes": "its notes",
    "login_uri": "its URL",
    "login_username": "its username",
    "login_password": "its password",
    "login_totp": "its TOTP seed",
    COLLECTIONS_COLUMN: "its collection's name",
}
# Cells a collection member (or an imported file) can fill and that are no secrets: a spreadsheet must show
# them, not run them. Usernames, passwords and TOTP seeds are typed elsewhere: written exactly as stored.
GUARDED = ("folder", "name", "notes", "fields", "login_uri", COLLECTIONS_COLUMN)
# What makes a spreadsheet read a cell as a formula, as the reasons name it.
FORMULA_STARTS = {"=": '"="', "+": '"+"', "-": '"-"', "@": '"@"', "\t": "a tab", "\r": "a carriage return"}
NOT_RUN = "written with a ' in front, so that a spreadsheet shows it rather than running it"


def write(categories, items, collections=None):
    # CRLF ends, as Bitwarden's: the csv module then quotes a value holding a lone CR, which LF ends leave bare.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS if collections is None else (*COLUMNS, COLLECTIONS_COLUMN))
    for cells in _rows(categories, items, collections):
        for column in GUARDED:
            if column in cells:
                cells[column] = _guarded(column, cells[column])
        writer.writerow(cells.values())
    return out.getvalue().encode("utf-8")


def changes(categories, items, collections=None):
    """(item, reason) for every way the file would give an item back other than it is, in item and column order.

    Reasons name the item's parts and custom fields, never a value.
    """
    found = []
    for item, cells in zip(items, _rows(categories, items, collections), strict=True):
        if item["type"] in KINDS:
            found.append((item, f"its {item['type']} fields become custom fields of a {cells['type']}"))
        for column, text in cells.items():
            found += [(item, reason) for reason in _cell_changes(column, text, item)]
    return found


def _rows(categories, items, collections):
    """Each item's cells, {column: text} in the file's order."""
    names = {category["id"]: category["name"] for category in categories}
    shared = None if collections is None else {collection["id"]: collection["name"] for collection in collections}
    for item in items:
        cells = {
            "folder": names.get(item["category_id"], ""),
            "favorite": "1" if item["favorite"] else "",
            "type": "login" if item["type"] in ("login", "wifi") else "note",
            "name": item["name"],
            "notes": item["blob"],
            "fields": "\n".join(f"{name}: {value}" for name, value, _, _ in _fields(item)),
            "reprompt": "0",
            "login_uri": item["url"],
            "login_username": item["username"],
            "login_password": item["password"],
            "login_totp": item["totp"],
        }
        if shared is not None:
            cells[COLLECTIONS_COLUMN] = shared.get(item.get("collection_id"), "")
        yield cells


def _fields(item):
    """(name, value, hidden, how a reason names it) per line of the `fields` cell: the account first."""
    account = [(ACCOUNT_FIELD, item["account"], False, "its account")] if item["account"] else []
    secrets = secret_fields(item["type"])
    typed = [
        (name, value, name in secrets, f'its {item["type"]} field "{name}"')
        for name, value in item.get(item["type"], {}).items()
        if value
    ]
    return (
        account
        + typed
        + [(one["name"], one["value"], one["hidden"], f'its custom field "{one["name"]}"') for one in item["fields"]]
    )


def _guarded(column, text):
    return "'" + text if column in GUARDED and text[:1] in FORMULA_STARTS else text


def _cell_changes(column, text, item):
    if column == "fields":
        yield from _field_changes(item)
    elif column in TEXTS and "\r" in text:
        yield f"{TEXTS[column]} holds a carriage return: read back as a line break"
    if column == "login_uri" and "," in text:
        yield "its URL holds a comma: read back as several URLs"
    if column == "login_uri" and "." in text and "://" not in text:
        yield "its URL has no scheme: Bitwarden reads it as http://..."
    if _guarded(column, text) != text:
        part = TEXTS.get(column) or f"the name of {_fields(item)[0][3]}"
        yield f"{part} starts with {FORMULA_STARTS[text[0]]}: {NOT_RUN}"


def _field_changes(item):
    for name, value, hidden, part in _fields(item):
        if any(mark in name + value for mark in "\r\n"):
            yield f"{part} holds a line break: read back as several fields"
        if ": " in name or ": " in value:
            yield f'{part} holds ": ", which separates a name from its value: read back split elsewhere'
        if hidden:
            yield f"{part} is hidden: read back as a visible field"
