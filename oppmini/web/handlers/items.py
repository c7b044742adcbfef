"""Handlers of /v1/items and /v1/generate."""

import json

from ...contract import errors
from ...contract.errors import ApiError, bad_request
from ...contract.payload import list_field, single_field
from ...seal.records import ITEM_FIELDS, extra_defaults, open_item, seal_item
from ...vault import attachments, generator, history, trash
from ...vault.access import personal, shares
from ...vault.rows import (
    KEEP,
    as_id,
    cap_rows,
    changed_since,
    if_revision,
    item_category,
    item_collection,
    item_fields,
    item_kind,
    no_category_in_collection,
    row_id,
    sort_id,
    unknown_collection,
)
from ...vault.sites import item_tag
from ...vault.vault import Categories, all_items, item_view, place_of
from . import SUCCESS


def list_items(call):
    return {**SUCCESS, "items": all_items(call, Categories(call))}


def create_items(call):
    """PUT: new items in request order, answered in the GET shape, passwords included.

    A row with `collection_id` creates the item in that collection (role write)."""
    rows, next_password = _item_request(call)
    categories = Categories(call)
    created, warnings = [], []
    for position, row in enumerate(rows, 1):
        row = _with_password(row, next_password)
        fields = item_fields(row, position)
        kind, row_warnings = item_kind(row, position)
        fields.update(kind)
        category_ref = item_category(row, position)
        new_sort_id = sort_id(row, position, errors.INVALID_ITEM_DATA)
        collection_ref = item_collection(row, position)
        if collection_ref is not None and category_ref is not None:
            raise no_category_in_collection(position)
        if category_ref is not None and not categories.owns(category_ref):
            raise bad_request(errors.ITEM_ADD_FAILED, _not_yours("Category", category_ref))
        place = _target(call, collection_ref, position)
        category_id = _category_id(category_ref)
        now = trash.now(call)
        item_id = call.conn.run(
            "insert_item",
            user_id=call.user_id,
            category_id=category_id,
            sort_id=new_sort_id,
            sealed_fields=b"",
            now=now,
        )
        stored = _store(call, item_id, place, call.user_id, fields, category_id, new_sort_id, now, now, 0)
        created.append(item_view(stored, fields, categories))
        warnings += _warnings(position, item_id, row_warnings)
    return _answer(created, warnings)


def update_items(call):
    """POST: change the fields each row names; the rest of the item stays as it was.

    `collection_id` moves the item between the personal vault and collections,
    re-sealed (role write on both sides); a collection item needs write. A row
    with `if_revision` is refused (409, the whole request) when the item is at
    another revision: written since the client read it."""
    rows, next_password = _item_request(call)
    if not rows:
        return {**SUCCESS, "items": []}
    categories = Categories(call)
    updated, warnings = [], []
    for position, row in enumerate(rows, 1):
        sent_id = row_id(row, position, errors.MISSING_ITEM_ID, errors.EMPTY_ITEM_ID)
        row = _with_password(row, next_password)
        changes = item_fields(row, position, partial=True)
        category_ref = item_category(row, position, partial=True)
        new_sort_id = sort_id(row, position, errors.INVALID_ITEM_DATA, partial=True)
        collection_ref = item_collection(row, position, partial=True)
        read_revision = if_revision(row, position)
        item_id = as_id(sent_id)
        stored = call.conn.run("get_item", item_id=item_id, user_id=call.user_id) if item_id else None
        if stored is None:
            raise bad_request(errors.ITEM_UPDATE_FAILED, _not_yours("Item", sent_id))
        if category_ref not in (None, KEEP) and not categories.owns(category_ref):
            raise bad_request(errors.ITEM_UPDATE_FAILED, _not_yours("Category", category_ref))
        stored, source = _locked(call, stored)
        if stored is None:
            raise bad_request(errors.ITEM_UPDATE_FAILED, _not_yours("Item", sent_id))
        if read_revision is not None and read_revision != stored["revision"]:
            raise changed_since(position, item_id, stored["revision"])
        target = source if collection_ref is KEEP else _target(call, collection_ref, position)
        if target.collection_id is not None:
            if category_ref not in (None, KEEP):
                raise no_category_in_collection(position)
            category_id = None
        else:
            category_id = stored["category_id"] if category_ref is KEEP else _category_id(category_ref)
        row_user_id = call.user_id if target.collection_id is None else stored["user_id"]
        before = _fields_before(call, source, stored, changes)
        fields = {**(extra_defaults() if before is None else before), **changes}
        kind, row_warnings = item_kind(row, position, fields)
        fields.update(kind)
        now = trash.now(call)
        if target != source:
            history.move(call, item_id, source, target, row_user_id)
            attachments.move(call.conn, item_id, source, target, row_user_id)
        if before is not None and "password" in changes and changes["password"] != before["password"]:
            history.keep_replaced(call, target, row_user_id, item_id, before["password"], now)
        new_sort_id = stored["sort_id"] if new_sort_id is KEEP else new_sort_id
        written = _store(
            call,
            item_id,
            target,
            row_user_id,
            fields,
            category_id,
            new_sort_id,
            stored["created_at"],
            now,
            stored["revision"],
            read_revision,
        )
        if written is None:  # another write of the item committed after it was read above
            raise changed_since(position, item_id, stored["revision"] + 1)
        updated.append(item_view(written, fields, categories, attachments.item_attachments(call.conn, item_id, target)))
        warnings += _warnings(position, item_id, row_warnings)
    return _answer(updated, warnings)


def delete_items(call):
    """DELETE: the items among `ids` the caller may delete go to the trash (config trash_days); ids of
    nothing the caller can see are ignored; a collection item needs write there (else 403)."""
    ids = list_field(call.payload(), "ids")
    cap_rows(call, "ids", ids)
    for value in ids:
        item_id = as_id(value)
        row = call.conn.run("get_item", item_id=item_id, user_id=call.user_id) if item_id else None
        if row is None:
            continue
        if row["collection_id"] is None:
            trash.discard_item(call, item_id)
        else:
            shares(call).require(row["collection_id"], "write")
            trash.discard_shared_item(call, item_id, row["collection_id"])
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


def _warnings(position, item_id, reasons):
    return [{"row": position, "id": item_id, "reason": reason} for reason in reasons]


def _answer(items, warnings):
    """A PUT or POST answer; `warnings` (a card number failing Luhn, say) only when there are any."""
    return {**SUCCESS, "items": items, "warnings": warnings} if warnings else {**SUCCESS, "items": items}


def _with_password(row, next_password):
    if next_password is None or not isinstance(row, dict):
        return row
    return {**row, "password": next_password()}


def _fields_before(call, source, stored, changes):
    """The item's sealed fields before a POST; None when they do not open and the row names v1's six.

    Such a row replaces the record even when it no longer opens, so an owner
    can overwrite it (its old password is then lost to the history).
    """
    if not all(name in changes for name in ITEM_FIELDS):
        return open_item(source.key, source.owner, stored["item_id"], stored["sealed_fields"])
    try:
        return open_item(source.key, source.owner, stored["item_id"], stored["sealed_fields"])
    except ApiError:
        return None


def _locked(call, stored):
    """(the item row, its Place), read again under a row lock: two edits racing on one item would each
    replace the password of their snapshot, one old password kept twice and the other lost. A collection
    item's collection is locked first (role write): a rotation of it waits for this write, or went before
    it, and the row is read again as that left it. (None, None) when the item left the live items
    meanwhile."""
    while True:
        place = None if stored["collection_id"] is None else place_of(call, stored, "write", lock=True)
        again = call.conn.run("get_item_locked", item_id=stored["item_id"])
        if again is None:
            return None, None
        if again["collection_id"] == stored["collection_id"]:
            return again, place or place_of(call, again)
        stored = again  # moved before the lock was taken: lock where it went


def _target(call, collection_ref, position):
    """Where a row's item goes: the personal vault (None), or a collection the caller may write to,
    locked against a rotation; 400 `Invalid item data in list!` for one the caller is not a member of."""
    if collection_ref is None:
        return personal(call)
    collections = shares(call)
    missing = unknown_collection(position, collection_ref)
    collection_id = as_id(collection_ref)
    if collection_id is None:
        raise missing
    return collections.place(collections.require(collection_id, "write", lock=True, missing=missing))


def _store(
    call, item_id, place, row_user_id, fields, category_id, new_sort_id, created_at, now, revision, expected=None
):
    """Writes the item where `place` is, as the row after `revision`; None when `expected` is set and the
    item is no longer at that revision."""
    written = call.conn.run(
        "update_item_placed",
        item_id=item_id,
        user_id=row_user_id,
        collection_id=place.collection_id,
        category_id=category_id,
        sort_id=new_sort_id,
        sealed_fields=seal_item(place.key, place.owner, item_id, fields),
        domain_tag=item_tag(place.key, fields["url"]),
        now=now,
        revision=expected,
    )
    if not written:
        return None
    return {
        "item_id": item_id,
        "collection_id": place.collection_id,
        "category_id": category_id,
        "sort_id": new_sort_id,
        "created_at": created_at,
        "updated_at": now,
        "revision": revision + 1,
    }


def _category_id(category_ref):
    return None if category_ref is None else as_id(category_ref)


def _not_yours(kind, value):
    return f"{kind} {json.dumps(value)} does not exist or is not yours."
