"""What `opp` prints: aligned tables for people, JSON for scripts, bare values for `$(...)`.

Stored text is other people's too (a shared item, an imported file): what
could drive a terminal (escape sequences, 8-bit C1 controls) or reorder what
it shows (bidi controls) never reaches one raw.
"""

import json
import re
import sys
import unicodedata

# Item answers carry these, in this order, in a listing (no password, no notes).
LIST_COLUMNS = (("id", "ID"), ("name", "NAME"), ("username", "USERNAME"), ("url", "URL"), ("category", "CATEGORY"))
# Shown after those when a listing holds an item of a shared collection.
COLLECTION_COLUMN = (("collection", "COLLECTION"),)
DETAIL_FIELDS = (
    ("name", "name"),
    ("url", "url"),
    ("username", "username"),
    ("account", "account"),
    ("category", "category"),
    ("password", "password"),
    ("blob", "notes"),
)
MAX_CELL = 48
# Unicode's Bidi_Control characters: marks, embeddings, overrides and isolates.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# What json.dumps(ensure_ascii=False) leaves raw that a terminal acts on: DEL, the C1 controls, bidi controls.
JSON_RAW = re.compile(f"[\x7f-\x9f{BIDI_CONTROLS}]")


def _shown(char, keep):
    if char in keep:
        return char
    if unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS:
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    return char


def printable(value, keep=""):
    """`value` as text safe for a terminal: control characters and bidi controls shown escaped, but those in `keep`.

    A stored name holding an escape sequence could otherwise rewrite the
    terminal, and a right-to-left override could make one name look like another.
    """
    return "".join(_shown(char, keep) for char in ("" if value is None else str(value)))


def _cell(value):
    text = printable(value)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def table(rows, columns, out=None):
    """`rows` (dicts) under `columns` ((key, heading), ...), each column as wide as its widest cell."""
    out = out or sys.stdout
    cells = [[heading for _, heading in columns]] + [[_cell(row.get(key)) for key, _ in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    for line in cells:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip(), file=out)


def as_json(value, out=None):
    """`value` as JSON, C1 and bidi controls as \\u escapes wherever it goes: the same value to a parser."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    print(JSON_RAW.sub(lambda found: f"\\u{ord(found[0]):04x}", text), file=out or sys.stdout)


def bare(value, out=None):
    """The value exactly as stored, and a newline: what `$(opp get NAME --field password)` captures.

    On a terminal (nothing captures it) it is shown as `printable` shows it, line breaks kept.
    """
    out = out or sys.stdout
    text = "" if value is None else value
    print(printable(text, keep="\n") if out.isatty() else text, file=out)


def with_category_names(items, categories):
    """Items (fetchall's shape, with category_id) given a `category` name for display."""
    names = {category["id"]: category["name"] for category in categories}
    return [{**item, "category": names.get(item.get("category_id"), "")} for item in items]


def with_collection_names(items, collections):
    """Items given a `collection` name for display ("" for a personal item), from fetchall's `collections`."""
    names = {collection["id"]: collection["name"] for collection in collections}
    return [{**item, "collection": names.get(item.get("collection_id"), "")} for item in items]


def from_get_shape(item):
    """An item of GET /items' shape (a `category` object) in fetchall's (`category_id`), with the name."""
    category = item.get("category") or {}
    return {**item, "category_id": category.get("id"), "category": category.get("name") or ""}


def summary(item):
    """An item without its secrets, for `ls --json` and `search --json`."""
    return {
        key: item.get(key)
        for key in (
            "id",
            "name",
            "url",
            "account",
            "username",
            "category_id",
            "category",
            "collection_id",
            "collection",
        )
    }


def detail(item, show_password, out=None):
    """One item, a field a line; the password masked unless asked for."""
    out = out or sys.stdout
    print(f"id: {item['id']}", file=out)
    for key, label in DETAIL_FIELDS:
        value = item.get(key)
        if key == "password" and not show_password:
            value = "(hidden: --show, or --field password)" if value else ""
        lines = [printable(line) for line in str(value or "").split("\n")]
        print(f"{label}: {lines[0]}" if lines[0] else f"{label}:", file=out)
        for line in lines[1:]:  # notes keep their line breaks, indented under the label
            print(f"{' ' * (len(label) + 2)}{line}", file=out)
