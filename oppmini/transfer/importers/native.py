"""oppmini-json: oppmini's own lossless export of a personal vault, read back here.

The document, UTF-8 JSON (keys other than these are ignored, so later
versions may add some):

    {
      "format": "oppmini-json",
      "version": 1,
      "categories": [{"name": "Bank", "sort_id": 0}, ...],
      "items": [
        {"name": "", "url": "", "account": "", "username": "", "password": "", "blob": "",
         "category": 0,          // index into "categories", or null: uncategorised
         "sort_id": 0,
         "totp": "", "fields": [{"name": "", "value": "", "hidden": false}], "favorite": false,
         "match": "domain",
         "type": "card",         // the item type; its own fields under the key named after it
         "card": {"cardholder": "", "number": "", ...},
         "attachments": [{"name": "scan.png", "content_type": "image/png", "data": "<base64>"}]},
        ...
      ]
    }

Categories keep their order and sort_id, and items point at them by index
because category names may repeat. Every item key is optional (texts "",
fields [], favorite false, match "domain", type "login", category null, sort_id left to the
server). Ids,
created_at and updated_at are not part of it: importing gives new ones.
Being our own format, it is read strictly: a wrong type is refused, naming the
entry and the key, never the value. Files (`attachments`, written by an
export with include_attachments=true) are the exception: one that is damaged
is left behind with a warning and the rest imports, as files are from other
formats when a limit refuses them.
"""

import base64
import binascii

from .entry import Entry, File, Format, text, unreadable

FORMAT, VERSION = "oppmini-json", 1
TEXT_KEYS = ("name", "url", "account", "username", "password", "totp")


def recognise(source):
    document = source.json
    return isinstance(document, dict) and document.get("format") == FORMAT


def read(source):
    document = source.json
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise unreadable("", f'not an {FORMAT} export (no "format": "{FORMAT}")')
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        raise unreadable("", f"'version' is not {VERSION}: a newer oppmini wrote it, or it was edited")
    reading = source.reading(FORMAT, lossless=True)
    reading.categories = [_category(at, one) for at, one in enumerate(_list(document, "categories", ""), start=1)]
    for position, item in enumerate(_list(document, "items", ""), start=1):
        reading.add(_entry(position, item, reading.categories))
    return reading


def _list(holder, key, where):
    value = holder.get(key, [])
    if not isinstance(value, list):
        raise unreadable(where, f"'{key}' is not a list")
    return value


def _integer(value, where, key):
    if type(value) is not int:  # bool is an int subclass, and not a sort_id
        raise unreadable(where, f"'{key}' is not an integer")
    return value


def _category(at, one):
    where = f"category {at}"
    if not isinstance(one, dict) or not isinstance(one.get("name"), str):
        raise unreadable(where, "not an object with a text 'name'")
    return one["name"], _integer(one.get("sort_id", 0), where, "sort_id")


def _entry(position, item, categories):
    where = f"entry {position}"
    if not isinstance(item, dict):
        raise unreadable(where, "not an object")
    entry = Entry(position, **{key: _text(item, key, where) for key in TEXT_KEYS}, notes=_text(item, "blob", where))
    if not isinstance(item.get("favorite", False), bool):
        raise unreadable(where, "'favorite' is not true or false")
    entry.favorite = item.get("favorite", False)
    # Checked with the item's other fields: a rule this release does not know skips the entry, with a warning.
    entry.match = _text(item, "match", where) or None
    entry.type = _text(item, "type", where) or "login"
    typed = item.get(entry.type)
    if typed is not None:
        if not isinstance(typed, dict) or not all(isinstance(value, str) for value in typed.values()):
            raise unreadable(where, f"'{entry.type}' is not an object of texts")
        entry.typed = typed
    if item.get("category") is not None:
        entry.category = _integer(item["category"], where, "category")
        if not 0 <= entry.category < len(categories):
            raise unreadable(where, "'category' names no category of the file")
        entry.folder = categories[entry.category][0]
    if item.get("sort_id") is not None:
        entry.sort_id = _integer(item["sort_id"], where, "sort_id")
    for one in _list(item, "fields", where):
        if not isinstance(one, dict) or not isinstance(one.get("hidden", False), bool):
            raise unreadable(where, "a custom field is not an object with a true or false 'hidden'")
        entry.add_field(_text(one, "name", where), _text(one, "value", where), one.get("hidden", False))
    entry.files = [_file(one) for one in _list(item, "attachments", where)]
    return entry


def _file(one):
    """A file as the export wrote it; one that cannot be read is kept with why, for the warning."""
    texts = isinstance(one, dict) and all(isinstance(one.get(key, ""), str) for key in ("name", "content_type"))
    if not texts or not isinstance(one.get("data"), str):
        return File("", b"", problem="it is not an object with a text name, content_type and data")
    try:
        data = base64.b64decode(one["data"], validate=True)
    except (binascii.Error, ValueError):
        return File("", b"", problem="its data is not valid base64")
    return File(one.get("name", ""), data, one.get("content_type", ""))


def _text(holder, key, where):
    value = holder.get(key)
    if not isinstance(value, str | None):
        raise unreadable(where, f"'{key}' is not text")
    return text(value, where, key)


FORMATS = (Format(FORMAT, recognise, read),)
