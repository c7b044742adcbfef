"""Sealed rows: an item's six text fields as one record, a category name as another."""

import json
import logging

from . import crypto, errors
from .crypto import SealError
from .errors import ApiError

log = logging.getLogger(__name__)

ITEM_FIELDS = ("name", "url", "account", "username", "password", "blob")
ITEMS_TABLE = "items"
CATEGORIES_TABLE = "categories"


def seal_item(key, user_id, item_id, fields):
    """One record holding every text field of an item, bound to its row and owner."""
    plaintext = json.dumps([fields[name] for name in ITEM_FIELDS], ensure_ascii=False)
    return crypto.seal(key, plaintext.encode("utf-8"), crypto.bind(ITEMS_TABLE, user_id, item_id))


def open_item(key, user_id, item_id, record):
    """The text fields of a record from `seal_item`; a 500 naming the row if it does not open."""
    return _item_fields(_open_json(key, ITEMS_TABLE, user_id, item_id, record), user_id, item_id)


def _item_fields(values, user_id, item_id):
    if not (isinstance(values, list) and len(values) == len(ITEM_FIELDS) and all(isinstance(v, str) for v in values)):
        raise _unreadable(ITEMS_TABLE, user_id, item_id, "unexpected record layout")
    return dict(zip(ITEM_FIELDS, values))


def open_items(key, user_id, rows):
    """open_item of every (item_id, record), as one batch: a list of field dicts in the same order."""
    bindings = [(record, crypto.bind(ITEMS_TABLE, user_id, item_id)) for item_id, record in rows]
    opened = []
    for (item_id, record), plaintext in zip(rows, crypto.open_sealed_many(key, bindings)):
        if plaintext is None:
            raise _unreadable(ITEMS_TABLE, user_id, item_id, "authentication failed")
        opened.append(_item_fields(_json_inside(plaintext, ITEMS_TABLE, user_id, item_id), user_id, item_id))
    return opened


def seal_category_name(key, user_id, category_id, name):
    plaintext = json.dumps(name, ensure_ascii=False)
    return crypto.seal(key, plaintext.encode("utf-8"), crypto.bind(CATEGORIES_TABLE, user_id, category_id))


def open_category_name(key, user_id, category_id, record):
    name = _open_json(key, CATEGORIES_TABLE, user_id, category_id, record)
    if not isinstance(name, str):
        raise _unreadable(CATEGORIES_TABLE, user_id, category_id, "unexpected record layout")
    return name


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


def _unreadable(table, user_id, row_id, why):
    # Only ids and the failure kind are logged: the record's contents are secret.
    log.error("sealed record of %s row %s (user %s) does not open: %s", table, row_id, user_id, why)
    kind = "Item" if table == ITEMS_TABLE else "Category"
    return ApiError(500, errors.DECRYPT_FAILED, f"{kind} {row_id} failed its integrity check.")
