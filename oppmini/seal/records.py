"""Sealed rows: an item's text fields as one record, a category or collection name, a replaced password.

Every layout the server can open is listed here. Item records:

- layout 1 (the first release): a JSON list of the six strings of ITEM_FIELDS;
- layout 2: a JSON list `[2, <the six strings>, totp, fields, favorite]`, where
  `fields` is a list of {"name", "value", "hidden"} objects;
- layout 3: `[3, <the six strings>, totp, fields, favorite, match]`, where
  `match` is the item's match rule (oppmini/vault/matching.py), a string;
- layout 4: `[4, <the six strings>, totp, fields, favorite, match, type, typed]`,
  where `type` names the item's kind (oppmini/vault/types/: login, note, card,
  identity, wifi, ssh_key) and `typed` is an object of that kind's own
  fields, strings only (empty for a login or a note).

Every record is bound to (table, owner, row): the owner is the user id for
personal records and `c<collection id>` (seal.keys.collection_owner) for
a collection's, sealed under its collection key.

New records are always written in the newest layout; older ones open as they
are, with the defaults of the fields they predate, and are rewritten only
when their item is next written.
"""

import json
import logging

import orjson

from ..contract import errors
from ..contract.errors import ApiError
from . import crypto
from .crypto import SealError

log = logging.getLogger(__name__)

ITEM_FIELDS = ("name", "url", "account", "username", "password", "blob")


def extra_defaults():
    """The fields layouts 2 to 4 added, with the values an older record stands for."""
    return {"totp": "", "fields": [], "favorite": False, "match": "domain", "type": "login", "typed": {}}


SEALED_FIELDS = ITEM_FIELDS + tuple(extra_defaults())
LAYOUT_3_FIELDS = SEALED_FIELDS[:-2]
LAYOUT_2_FIELDS = SEALED_FIELDS[:-3]
ITEM_LAYOUT = 4
ITEMS_TABLE = "items"
CATEGORIES_TABLE = "categories"
HISTORY_TABLE = "item_history"
COLLECTIONS_TABLE = "collections"


def seal_item(key, user_id, item_id, fields):
    """One record holding every sealed field of an item (layout 4), bound to its row and owner."""
    plaintext = json.dumps([ITEM_LAYOUT, *(fields[name] for name in SEALED_FIELDS)], ensure_ascii=False)
    return crypto.seal(key, plaintext.encode("utf-8"), crypto.bind(ITEMS_TABLE, user_id, item_id))


def open_item(key, user_id, item_id, record):
    """The sealed fields of an item record of any layout; a 500 naming the row if it does not open."""
    values = _open_json(key, ITEMS_TABLE, user_id, item_id, record)
    fields = _item_layout(values)
    if fields is None:
        raise _unreadable(ITEMS_TABLE, user_id, item_id, "unexpected record layout")
    return fields


def open_items(key, user_id, rows):
    """open_item of every (item_id, record), as one batch: a list of field dicts in the same order.

    The per-record cost of opening is shared by the whole batch (oppmini/seal/eax.py),
    and orjson parses the plaintexts in less time than json's scanner. What
    orjson refuses but json.loads reads (a lone surrogate escape, NaN; no
    release wrote either) goes the record-by-record way below, as do failures.
    """
    bindings = [(record, crypto.bind(ITEMS_TABLE, user_id, item_id)) for item_id, record in rows]
    plaintexts = crypto.open_sealed_many(key, bindings)
    if None not in plaintexts:
        try:
            opened = [_item_layout(orjson.loads(plaintext)) for plaintext in plaintexts]
        except orjson.JSONDecodeError:
            opened = [None]
        if None not in opened:
            return opened
    # Some record does not open: record by record, the first one is named.
    opened = []
    for (item_id, _), plaintext in zip(rows, plaintexts, strict=True):
        if plaintext is None:
            raise _unreadable(ITEMS_TABLE, user_id, item_id, "authentication failed")
        fields = _item_layout(_json_inside(plaintext, ITEMS_TABLE, user_id, item_id))
        if fields is None:
            raise _unreadable(ITEMS_TABLE, user_id, item_id, "unexpected record layout")
        opened.append(fields)
    return opened


# Layout 4 as JSON decodes it: the number 4, seven strings, the custom fields, the favourite flag,
# the rule, the type and the typed fields.
_LAYOUT_4_TYPES = [int, *[str] * 7, list, bool, str, str, dict]


def _item_layout(values):
    if type(values) is list and list(map(type, values)) == _LAYOUT_4_TYPES and values[0] == ITEM_LAYOUT:
        if not values[-1] or all(type(value) is str for value in values[-1].values()):
            return dict(zip(SEALED_FIELDS, values[1:], strict=True))  # the usual case, decided in C
        return None
    if not isinstance(values, list):
        return None
    if len(values) == len(ITEM_FIELDS) and all(isinstance(v, str) for v in values):
        return {**dict(zip(ITEM_FIELDS, values, strict=True)), **extra_defaults()}
    for layout, names in ((4, SEALED_FIELDS), (3, LAYOUT_3_FIELDS), (2, LAYOUT_2_FIELDS)):
        if len(values) == 1 + len(names) and values[0] == layout and type(values[0]) is int:
            fields = {**extra_defaults(), **dict(zip(names, values[1:], strict=True))}
            texts = all(isinstance(fields[name], str) for name in ITEM_FIELDS + ("totp", "match", "type"))
            if texts and isinstance(fields["fields"], list) and isinstance(fields["favorite"], bool):
                if isinstance(fields["typed"], dict) and all(isinstance(v, str) for v in fields["typed"].values()):
                    return fields
    return None


def seal_category_name(key, user_id, category_id, name):
    return _seal_text(key, CATEGORIES_TABLE, user_id, category_id, name)


def open_category_name(key, user_id, category_id, record):
    return _open_text(key, CATEGORIES_TABLE, user_id, category_id, record)


def open_category_names(key, user_id, rows):
    """open_category_name of every (category_id, record), as one batch: the names in the same order."""
    if len(rows) == 1:
        return [open_category_name(key, user_id, *rows[0])]  # alone: a batch's set-up would cost more
    bindings = [(record, crypto.bind(CATEGORIES_TABLE, user_id, category_id)) for category_id, record in rows]
    names = []
    for (category_id, record), plaintext in zip(rows, crypto.open_sealed_many(key, bindings), strict=True):
        if plaintext is None:
            # Opened alone, it fails again, naming the row and why.
            names.append(open_category_name(key, user_id, category_id, record))
        else:
            value = _json_inside(plaintext, CATEGORIES_TABLE, user_id, category_id)
            names.append(_text(value, CATEGORIES_TABLE, user_id, category_id))
    return names


def seal_collection_name(key, owner, collection_id, name):
    """A collection's name under its collection key (owner: seal.keys.collection_owner)."""
    return _seal_text(key, COLLECTIONS_TABLE, owner, collection_id, name)


def open_collection_name(key, owner, collection_id, record):
    return _open_text(key, COLLECTIONS_TABLE, owner, collection_id, record)


def history_row(item_id, history_id):
    # Bound to the item and the entry: a record moved to another item, or to
    # another entry of the same item (its replaced_at is clear), fails to open.
    return f"{item_id}.{history_id}"


def seal_old_password(key, user_id, item_id, history_id, password):
    return _seal_text(key, HISTORY_TABLE, user_id, history_row(item_id, history_id), password)


def open_old_password(key, user_id, item_id, history_id, record):
    return _open_text(key, HISTORY_TABLE, user_id, history_row(item_id, history_id), record)


def _seal_text(key, table, owner, row_id, text):
    """One string as a JSON record, bound to (table, owner, row)."""
    plaintext = json.dumps(text, ensure_ascii=False)
    return crypto.seal(key, plaintext.encode("utf-8"), crypto.bind(table, owner, row_id))


def _open_text(key, table, owner, row_id, record):
    return _text(_open_json(key, table, owner, row_id, record), table, owner, row_id)


def _text(value, table, owner, row_id):
    if not isinstance(value, str):
        raise _unreadable(table, owner, row_id, "unexpected record layout")
    return value


def _open_json(key, table, user_id, row_id, record):
    try:
        plaintext = crypto.open_sealed(key, record, crypto.bind(table, user_id, row_id))
    except SealError as why:
        raise _unreadable(table, user_id, row_id, str(why)) from None
    return _json_inside(plaintext, table, user_id, row_id)


def _json_inside(plaintext, table, user_id, row_id):
    try:
        return json.loads(plaintext.decode("utf-8"))
    except ValueError:
        raise _unreadable(table, user_id, row_id, "not JSON inside") from None


UNREADABLE_KIND = {
    ITEMS_TABLE: "Item",
    CATEGORIES_TABLE: "Category",
    HISTORY_TABLE: "Password history entry",
    COLLECTIONS_TABLE: "Collection",
}


def _unreadable(table, user_id, row_id, why):
    # Only ids and the failure kind are logged: the record's contents are secret.
    log.error("sealed record of %s row %s (owner %s) does not open: %s", table, row_id, user_id, why)
    return ApiError(500, errors.DECRYPT_FAILED, f"{UNREADABLE_KIND[table]} {row_id} failed its integrity check.")
