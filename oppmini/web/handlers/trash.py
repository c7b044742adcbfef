"""Handlers of /v1/trash: deleted items listed, restored or purged for good."""

import json

from ...contract import errors
from ...contract.errors import bad_request
from ...contract.payload import list_field, single_field
from ...vault import trash
from ...vault.attachments import item_attachments
from ...vault.rows import as_id, cap_rows
from ...vault.sites import item_tag
from ...vault.vault import Categories, item_view, opened_fields, place_of
from . import SUCCESS


def list_trash(call):
    """Every item still in the caller's trash, and in that of each collection where the caller may
    write, in the GET shape plus `deleted_at`, by id."""
    categories = Categories(call)
    cutoff = trash.cutoff(call)
    rows = call.conn.run("list_trash", user_id=call.user_id, cutoff=cutoff)
    rows += call.conn.run("list_shared_trash", user_id=call.user_id, cutoff=cutoff)
    rows.sort(key=lambda row: row["item_id"])
    return {**SUCCESS, "items": [_view(call, row, categories) for row in rows]}


def restore_items(call):
    """POST: the items back where they were (uncategorised if their category is gone); all or none."""
    ids = list_field(call.payload(), "ids")
    cap_rows(call, "ids", ids)
    categories = Categories(call)
    rows = []
    for value in ids:
        item_id = as_id(value)
        row = (
            call.conn.run("get_trashed_item", item_id=item_id, user_id=call.user_id, cutoff=trash.cutoff(call))
            if item_id
            else None
        )
        if row is None:
            raise bad_request(errors.RESTORE_FAILED, f"Item {json.dumps(value)} is not in your trash.")
        rows.append(row)
    restored = []
    for found in rows:
        row = _locked(call, found)
        fields, place = opened_fields(call, row), place_of(call, row)
        domain_tag = item_tag(place.key, fields["url"])
        if call.conn.run("update_item_restore", item_id=row["item_id"], domain_tag=domain_tag):
            restored.append(item_view(row, fields, categories, item_attachments(call.conn, row["item_id"], place)))
    return {**SUCCESS, "items": restored}


def purge_items(call):
    """DELETE: items of the caller's trash gone for good, by `ids` or `"all": true`; other ids are ignored."""
    payload = call.payload()
    purge_all = single_field(payload, "all", required=False)
    if purge_all not in (None, True, False):
        raise bad_request(errors.BAD_REQUEST, "'all' must be true or false.")
    if purge_all is True:
        purged = call.conn.run("delete_trash_of_user", user_id=call.user_id)
    else:
        ids = list_field(payload, "ids")
        cap_rows(call, "ids", ids)
        purged = 0
        for value in ids:
            item_id = as_id(value)
            if item_id is not None:
                purged += call.conn.run("delete_trashed_item", item_id=item_id, user_id=call.user_id)
    call.services.trash_purge.now_and_then(call)
    return {**SUCCESS, "purged": purged}


def _locked(call, row):
    """A collection item's row read again once its collection is locked (role write): a rotation re-seals
    and re-tags the collection's items holding that lock, so the restore tags the item under the key the
    rotation left, not under the one it read first. 400 should the item have left the trash meanwhile."""
    if row["collection_id"] is None:
        return row
    place_of(call, row, "write", lock=True)
    again = call.conn.run("get_trashed_item_locked", item_id=row["item_id"])
    if again is None or again["collection_id"] != row["collection_id"]:
        raise bad_request(errors.RESTORE_FAILED, f"Item {row['item_id']} is not in your trash.")
    return again


def _view(call, row, categories):
    files = item_attachments(call.conn, row["item_id"], place_of(call, row))
    return {**item_view(row, opened_fields(call, row), categories, files), "deleted_at": row["deleted_at"]}
