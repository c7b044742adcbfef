"""Handlers of /v1/items and /v1/generate."""

import json

from .. import errors, generator, history, trash
from ..errors import ApiError, bad_request
from ..payload import list_field, single_field
from ..records import ITEM_FIELDS, extra_defaults, seal_item
from ..rows import KEEP, as_id, cap_rows, check_collection, item_category, item_fields, row_id, sort_id
from ..vault import Categories, all_items, item_view, opened_fields
from . import SUCCESS


def list_items(call):
    return {**SUCCESS, "items": all_items(call, Categories(call))}


def create_items(call):
    """PUT: new items in request order, answered in the GET shape, passwords included."""
    rows, next_password = _item_request(call)
    categories = Categories(call)
    created = []
    for position, row in enumerate(rows, 1):
        row = _with_password(row, next_password)
        fields = item_fields(row, position)
        category_ref = item_category(row, position)
        new_sort_id = sort_id(row, position, errors.INVALID_ITEM_DATA)
        check_collection(row, position)
        if category_ref is not None and not categories.owns(category_ref):
            raise bad_request(errors.ITEM_ADD_FAILED, _not_yours("Category", category_ref))
        category_id = _category_id(category_ref)
        now = trash.now(call)
        item_id = call.conn.run(
            "insert_item", user_id=call.user_id, category_id=category_id, sort_id=new_sort_id, sealed_fields=b"",
            now=now,
        )
        stored = _store(call, item_id, fields, category_id, new_sort_id, now, now)
        created.append(item_view(stored, fields, categories))
    return {**SUCCESS, "items": created}


def update_items(call):
    """POST: change the fields each row names; the rest of the item stays as it was."""
    rows, next_password = _item_request(call)
    if not rows:
        return {**SUCCESS, "items": []}
    categories = Categories(call)
    updated = []
    for position, row in enumerate(rows, 1):
        sent_id = row_id(row, position, errors.MISSING_ITEM_ID, errors.EMPTY_ITEM_ID)
        row = _with_password(row, next_password)
        changes = item_fields(row, position, partial=True)
        category_ref = item_category(row, position, partial=True)
        new_sort_id = sort_id(row, position, errors.INVALID_ITEM_DATA, partial=True)
        check_collection(row, position)
        item_id = as_id(sent_id)
        stored = call.conn.run("get_item", item_id=item_id, user_id=call.user_id) if item_id else None
        if stored is None:
            raise bad_request(errors.ITEM_UPDATE_FAILED, _not_yours("Item", sent_id))
        if category_ref not in (None, KEEP) and not categories.owns(category_ref):
            raise bad_request(errors.ITEM_UPDATE_FAILED, _not_yours("Category", category_ref))
        before = _fields_before(call, stored, changes)
        fields = {**(extra_defaults() if before is None else before), **changes}
        now = trash.now(call)
        if before is not None and "password" in changes and changes["password"] != before["password"]:
            history.keep_replaced(call, item_id, before["password"], now)
        category_id = stored["category_id"] if category_ref is KEEP else _category_id(category_ref)
        new_sort_id = stored["sort_id"] if new_sort_id is KEEP else new_sort_id
        stored = _store(call, item_id, fields, category_id, new_sort_id, stored["created_at"], now)
        updated.append(item_view(stored, fields, categories))
    return {**SUCCESS, "items": updated}


def delete_items(call):
    """DELETE: the caller's items among `ids` go to the trash (config trash_days); any other id is ignored."""
    ids = list_field(call.payload(), "ids")
    cap_rows(call, "ids", ids)
    for value in ids:
        item_id = as_id(value)
        if item_id is not None:
            trash.discard_item(call, item_id)
    return SUCCESS


def generate(call):
    """GET /v1/generate (extension): one password for query parameters named like genopts."""
    result = generator.generate(generator.read_options(call.query), call.config.wordfile)
    return {**SUCCESS, "password": result.password, "entropy_bits": result.entropy_bits}


def _item_request(call):
    """The rows of a PUT or POST, and where their passwords come from when auto_pass is on."""
    payload = call.payload()
    rows = list_field(payload, "items")
    auto_pass = single_field(payload, "auto_pass", required=False)
    unique = single_field(payload, "unique", required=False)
    genopts = single_field(payload, "genopts", required=False)
    cap_rows(call, "items", rows)
    # Only the JSON literal true turns generation on; genopts is read only then.
    if auto_pass is not True:
        return rows, None
    options = generator.read_options(genopts)
    if unique is True:
        return rows, lambda: generator.generate(options, call.config.wordfile).password
    shared = generator.generate(options, call.config.wordfile).password
    return rows, lambda: shared


def _with_password(row, next_password):
    if next_password is None or not isinstance(row, dict):
        return row
    return {**row, "password": next_password()}


def _fields_before(call, stored, changes):
    """The item's sealed fields before a POST; None when they do not open and the row names v1's six.

    Such a row replaces the record even when it no longer opens, so an owner
    can overwrite it (its old password is then lost to the history).
    """
    if not all(name in changes for name in ITEM_FIELDS):
        return opened_fields(call, stored)
    try:
        return opened_fields(call, stored)
    except ApiError:
        return None


def _store(call, item_id, fields, category_id, new_sort_id, created_at, now):
    call.conn.run(
        "update_item",
        item_id=item_id,
        user_id=call.user_id,
        category_id=category_id,
        sort_id=new_sort_id,
        sealed_fields=seal_item(call.data_key, call.user_id, item_id, fields),
        now=now,
    )
    return {"item_id": item_id, "category_id": category_id, "sort_id": new_sort_id,
            "created_at": created_at, "updated_at": now}


def _category_id(category_ref):
    return None if category_ref is None else as_id(category_ref)


def _not_yours(kind, value):
    return f"{kind} {json.dumps(value)} does not exist or is not yours."
