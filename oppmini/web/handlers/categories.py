"""Handlers of /v1/categories and /v1/fetchall."""

import json

from ...contract import errors
from ...contract.errors import bad_request
from ...contract.payload import is_text, list_field, single_field
from ...seal.records import seal_category_name
from ...vault import trash
from ...vault.access import collection_summaries
from ...vault.rows import CATEGORY_NAME_LIMIT, KEEP, as_id, cap_rows, is_blank, row_id, sort_id
from ...vault.vault import Categories, all_items
from ...vault.versions import still_current, vault_tag
from ..call import Tagged
from . import SUCCESS


def fetch_all(call):
    """Categories, items (the caller's collections' included) in ascending id order, and the caller's
    collections; four queries whatever the vault's size. Tagged with the vault's version, read first:
    with If-None-Match naming it, 304 before any record is read or opened."""
    tag = vault_tag(call)
    if still_current(call, tag):
        return Tagged(None, tag)
    categories = Categories(call).all()
    items = all_items(call)
    return Tagged({**SUCCESS, "categories": categories, "items": items, "collections": collection_summaries(call)}, tag)


def list_categories(call):
    return {**SUCCESS, "categories": Categories(call).all()}


def create_categories(call):
    """PUT: new categories in request order (an empty list creates none)."""
    names = list_field(call.payload(), "category_names")
    cap_rows(call, "category_names", names)
    for position, name in enumerate(names, 1):
        check_name(name, position)
    created = []
    for name in names:
        category_id = call.conn.run("insert_category", user_id=call.user_id, sort_id=0, sealed_name=b"")
        _store(call, category_id, name, KEEP)
        created.append({"id": category_id, "name": name, "sort_id": 0})
    return {**SUCCESS, "categories": created}


def rename_categories(call):
    """POST: new names (and, as an extension, sort_id) for the caller's categories."""
    rows = list_field(call.payload(), "categories")
    cap_rows(call, "categories", rows)
    if not rows:
        return SUCCESS
    categories = Categories(call)
    changes = []
    for position, row in enumerate(rows, 1):
        sent_id = row_id(row, position, errors.MISSING_CATEGORY_ID, errors.EMPTY_CATEGORY_ID)
        if "name" not in row:
            raise bad_request(errors.MISSING_CATEGORY_NAME, f"Row {position} has no 'name'.")
        check_name(row["name"], position)
        new_sort_id = sort_id(row, position, errors.INVALID_CATEGORY_SORT, partial=True)
        if not categories.owns(sent_id):
            raise bad_request(
                errors.CATEGORY_UPDATE_FAILED,
                f"Category {json.dumps(sent_id)} does not exist or is not yours.",
            )
        changes.append((as_id(sent_id), row["name"], new_sort_id))
    for category_id, name, new_sort_id in changes:
        _store(call, category_id, name, new_sort_id)
    return SUCCESS


def delete_categories(call):
    """DELETE: the caller's categories with their items (cascade) or leaving them uncategorised."""
    payload = call.payload()
    ids = list_field(payload, "ids")
    cascade = single_field(payload, "cascade")
    cap_rows(call, "ids", ids)
    if not ids:
        raise bad_request(errors.EMPTY_CATEGORY_ID_LIST)
    if not isinstance(cascade, bool):
        raise bad_request(errors.INVALID_CASCADE, "'cascade' must be true or false.")
    for value in ids:
        category_id = as_id(value)
        if category_id is None:
            continue  # names no row, so like any other id that is not the caller's
        if cascade:
            trash.discard_category_items(call, category_id)
        # Items left, and those gone to the trash, lose the category with it.
        call.conn.run("update_items_uncategorise", category_id=category_id, user_id=call.user_id)
        call.conn.run("delete_category", category_id=category_id, user_id=call.user_id)
    return SUCCESS


def check_name(name, position):
    if is_blank(name):
        raise bad_request(errors.EMPTY_CATEGORY_NAME, f"Row {position}: the name is empty.")
    if not isinstance(name, str):
        raise bad_request(errors.INVALID_CATEGORY_NAME, f"Row {position}: the name must be a string.")
    if len(name) > CATEGORY_NAME_LIMIT:
        raise bad_request(
            errors.INVALID_CATEGORY_NAME,
            f"Row {position}: the name is longer than {CATEGORY_NAME_LIMIT} characters.",
        )
    if not is_text(name):
        raise bad_request(errors.INVALID_CATEGORY_NAME, f"Row {position}: the name is not valid Unicode text.")


def _store(call, category_id, name, new_sort_id):
    call.conn.run(
        "update_category",
        category_id=category_id,
        user_id=call.user_id,
        sealed_name=seal_category_name(call.data_key, call.user_id, category_id, name),
        sort_id=None if new_sort_id is KEEP else new_sort_id,
    )
