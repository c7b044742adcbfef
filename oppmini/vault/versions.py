"""The version of a caller's whole vault as GET /v1/fetchall answers it: an ETag made without opening a record.

An open page asks "did anything change?" with If-None-Match. The tag is a
digest of what the answer is made of, read as stored: every category row
(its sealed name changes with a rename), every item's id, place, order and
revision (raised by each write of its fields), and every membership (a role
changed, a key rotated, a collection renamed, joined or left). Opening
records is what makes fetchall cost; none is opened here, so the unchanged
answer costs three index reads and a hash.
"""

import hashlib

from .access import shares

# The tag's digest is truncated: it tells versions of one vault apart, and is no secret or signature.
TAG_BYTES = 16
ITEM_VERSION = ("item_id", "collection_id", "category_id", "sort_id", "revision")
CATEGORY_VERSION = ("category_id", "sort_id", "sealed_name")
MEMBERSHIP_VERSION = ("collection_id", "role", "member_version", "sealed_name")


def vault_tag(call, category_rows, item_rows):
    """The quoted ETag of the caller's fetchall answer made of these rows (list_categories', and
    list_items' or list_item_versions')."""
    digest = hashlib.sha256(str(call.user_id).encode())
    for rows, columns in (
        (category_rows, CATEGORY_VERSION),
        (item_rows, ITEM_VERSION),
        (shares(call).memberships(), MEMBERSHIP_VERSION),
    ):
        digest.update(b"|")
        for row in rows:
            digest.update(repr(tuple(row[column] for column in columns)).encode())
    return f'"{digest.hexdigest()[: TAG_BYTES * 2]}"'


def item_versions(call):
    """What vault_tag needs of the caller's items, no sealed record read."""
    return call.conn.run("list_item_versions", user_id=call.user_id)


def still_current(call, tag):
    """Whether the request's If-None-Match names `tag` (a list of tags, or *, as HTTP allows)."""
    sent = call.headers.get("If-None-Match") or ""
    return sent.strip() == "*" or tag in (part.strip().removeprefix("W/") for part in sent.split(","))


def asks_if_changed(call):
    return bool(call.headers.get("If-None-Match"))
