"""The version of a caller's whole vault as GET /v1/fetchall answers it: an ETag made without opening a record.

An open page asks "did anything change?" with If-None-Match. The tag is a
digest of what the answer is made of, read as stored by one statement
(list_vault_versions): every category (its sealed name changes with a
rename), every item's id, place, order and revision (raised by each write of
its fields), every membership (a role changed, a key rotated, a
collection renamed, joined or left), and every file of a live item (one
added or deleted: the item's revision does not move for its files). Opening records is what makes fetchall
cost; none is opened here.
"""

import hashlib
import marshal

# The tag's digest is truncated: it tells versions of one vault apart, and is no secret or signature.
TAG_BYTES = 16


def vault_tag(call):
    """The quoted ETag of the caller's fetchall answer as the database holds it now."""
    rows = call.conn.values("list_vault_versions", user_id=call.user_id)
    # marshal writes ints, bytes and None as they are, many times faster than repr; its format may change
    # between Python versions, which costs at worst one full answer to a page.
    listed = marshal.dumps((call.user_id, rows))
    return f'"{hashlib.sha256(listed).hexdigest()[: TAG_BYTES * 2]}"'


def still_current(call, tag):
    """Whether the request's If-None-Match names `tag` (a list of tags, or *, as HTTP allows)."""
    sent = call.headers.get("If-None-Match") or ""
    return sent.strip() == "*" or tag in (part.strip().removeprefix("W/") for part in sent.split(","))
