"""Items by site: the domain tag every item write stores, and the candidates GET /v1/match reads.

A row's tag (oppmini/seal/tags.py) is keyed by the key its record is sealed
under, so the database finds the caller's items of one site by index, and
only those are opened. Rows written before tags existed are tagged at their
owner's first match request, in one pass, and never looked at again.
"""

from ..seal import tags
from ..seal.records import open_items
from .access import personal, shares
from .matching import site_of
from .vault import item_views


def item_tag(key, url):
    """The tag to store with an item whose record is sealed under `key` (a data or collection key)."""
    return _site_tag(key, site_of(url))


def site_items(call, site, categories):
    """The caller's live items, personal and shared, whose url belongs to `site`, in the GET shape."""
    with call.conn.transaction(write=False):
        untagged = bool(call.conn.run("list_untagged_items", user_id=call.user_id))
    if untagged:
        _tag_untagged(call)
    with call.conn.transaction(write=False):
        rows = call.conn.run("list_site_items", user_id=call.user_id, domain_tag=_site_tag(personal(call).key, site))
        collections = shares(call)
        for membership in collections.memberships():
            place = collections.place(membership)
            rows += call.conn.run(
                "list_collection_site_items",
                collection_id=place.collection_id,
                domain_tag=_site_tag(place.key, site),
            )
        return item_views(call, rows, categories)


def _site_tag(key, site):
    return tags.domain_tag(tags.tag_key(key), site)


def _tag_untagged(call):
    """Tags the caller's rows written before tags, in one write transaction."""
    with call.conn.transaction():
        collections = shares(call)
        groups = {}
        # Read again under the write lock, each collection's taken first: a rotation re-seals and re-tags
        # its rows with the lock held, so these open under the key it left.
        for membership in collections.memberships():
            collections.membership(membership["collection_id"], lock=True)
        for row in call.conn.run("list_untagged_items", user_id=call.user_id):
            groups.setdefault(row["collection_id"], []).append(row)
        for collection_id, rows in groups.items():
            if collection_id is None:
                place = personal(call)
            else:
                place = collections.place(collections.membership(collection_id))
            opened = open_items(place.key, place.owner, [(row["item_id"], row["sealed_fields"]) for row in rows])
            derived = tags.tag_key(place.key)
            for row, fields in zip(rows, opened, strict=True):
                call.conn.run(
                    "update_item_tag",
                    item_id=row["item_id"],
                    domain_tag=tags.domain_tag(derived, site_of(fields["url"])),
                )
