"""The caller's vault read back: sealed rows opened into the contract's shapes."""

import json
import logging

from ..contract import errors
from ..contract.errors import ApiError
from ..seal.records import ITEM_FIELDS, open_category_names, open_item, open_items
from .access import personal, shares
from .attachments import attachment_lists
from .rows import as_id

log = logging.getLogger(__name__)

UNCATEGORISED = {"id": None}


class Categories:
    """The caller's categories, read with one query; a name is opened only when shown."""

    def __init__(self, call):
        self.call = call
        rows = call.conn.run("list_categories", user_id=call.user_id)
        self.rows = {row["category_id"]: row for row in rows}
        self._views = {}

    def owns(self, category_id):
        """Whether an id as a client sent it names one of the caller's categories."""
        return as_id(category_id) in self.rows

    def open(self, category_ids):
        """Opens the names of those of `category_ids` that are the caller's and not yet open, as one batch:
        the per-record cost of opening is shared (oppmini/seal/eax.py), as for the items of a list."""
        wanted = [
            category_id
            for category_id in dict.fromkeys(category_ids)
            if category_id in self.rows and category_id not in self._views
        ]
        if not wanted:
            return
        sealed = [(category_id, self.rows[category_id]["sealed_name"]) for category_id in wanted]
        for category_id, name in zip(
            wanted, open_category_names(self.call.data_key, self.call.user_id, sealed), strict=True
        ):
            self._views[category_id] = {"id": category_id, "name": name, "sort_id": self.rows[category_id]["sort_id"]}

    def view(self, category_id):
        """{"id", "name", "sort_id"} of one category; {"id": null} for none."""
        if category_id is None:
            return dict(UNCATEGORISED)
        if category_id not in self.rows:
            # Not the caller's: never shown, whatever the database says.
            log.warning("item of user %s links foreign category %s", self.call.user_id, category_id)
            return dict(UNCATEGORISED)
        self.open([category_id])
        return dict(self._views[category_id])

    def all(self):
        """Every category, in ascending id order."""
        self.open(self.rows)
        return [self.view(category_id) for category_id in self.rows]


def item_view(row, fields, categories=None, attachments=()):
    """An item as answered: with its `category` object (GET shape) or its `category_id` (fetchall),
    and its `attachments` ({"id", "name", "size", "content_type"} each).

    v1's keys come first, in v1's order; the extensions' keys follow, the
    type's own fields (if it has any) under a key named after the type.
    """
    view = {"id": row["item_id"]}
    for name in ITEM_FIELDS:
        view[name] = fields[name]
    if categories is None:
        view["category_id"] = row["category_id"]
    else:
        view["category"] = categories.view(row["category_id"])
    view["sort_id"] = row["sort_id"]
    view["totp"] = fields["totp"]
    view["fields"] = fields["fields"]
    view["favorite"] = fields["favorite"]
    view["match"] = fields["match"]
    view["type"] = fields["type"]
    if fields["typed"]:
        view[fields["type"]] = fields["typed"]
    view["collection_id"] = row["collection_id"]
    view["created_at"] = row["created_at"]
    view["updated_at"] = row["updated_at"]
    view["revision"] = row["revision"]
    view["attachments"] = list(attachments)
    return view


def place_of(call, row, needed="read", lock=False):
    """Where an item row is sealed: the personal vault, or its collection (the caller needing `needed` there)."""
    if row["collection_id"] is None:
        return personal(call)
    collections = shares(call)
    return collections.place(collections.require(row["collection_id"], needed, lock))


def opened_fields(call, row):
    place = place_of(call, row)
    return open_item(place.key, place.owner, row["item_id"], row["sealed_fields"])


def all_items(call, categories=None, shared=True):
    """Every item of the caller in ascending id order, read with one query: personal ones and, with
    `shared`, those of every collection the caller belongs to."""
    rows = call.conn.run("list_items" if shared else "list_personal_items", user_id=call.user_id)
    return item_views(call, rows, categories)


def places_of(call, rows):
    """{collection_id: Place} of the item rows (personal or of the caller's collections); None: personal."""
    collection_ids = {row["collection_id"] for row in rows}
    memberships = {}
    if collection_ids - {None}:
        memberships = {row["collection_id"]: row for row in shares(call).memberships()}
    return {
        collection_id: personal(call) if collection_id is None else shares(call).place(memberships[collection_id])
        for collection_id in collection_ids
    }


def item_views(call, rows, categories=None):
    """The item rows (personal or of the caller's collections) opened into answers, in the same order."""
    places = places_of(call, rows)
    opened = open_rows(rows, places)
    if categories is not None:
        categories.open(row["category_id"] for row in rows)
    files = attachment_lists(call, {row["item_id"]: places[row["collection_id"]] for row in rows}) if rows else {}
    return [item_view(row, fields, categories, files[row["item_id"]]) for row, fields in zip(rows, opened, strict=True)]


def open_rows(rows, places):
    """The sealed fields of each item row, in the same order; `places` as places_of gives them."""
    groups = {}
    for position, row in enumerate(rows):
        groups.setdefault(row["collection_id"], []).append(position)
    opened = [None] * len(rows)
    for collection_id, positions in groups.items():
        place = places[collection_id]
        # One batch per key: the per-record cost of opening is shared by all its items (oppmini/seal/eax.py).
        batch = open_items(place.key, place.owner, [(rows[p]["item_id"], rows[p]["sealed_fields"]) for p in positions])
        for position, fields in zip(positions, batch, strict=True):
            opened[position] = fields
    return opened


def path_item(call):
    """The live item named by the URL (`item_id`) that the caller may read; 404 naming the id otherwise."""
    sent = call.path["item_id"]
    item_id = as_id(sent)
    row = call.conn.run("get_item", item_id=item_id, user_id=call.user_id) if item_id else None
    if row is None:
        raise ApiError(404, errors.NOT_FOUND, f"Item {json.dumps(sent)} does not exist or is not yours.")
    return row
