"""Where an item is sealed, and the caller's collections for one request.

A `Place` is a key and the owner its records are bound to: the caller's data
key and user id for the personal vault, a collection key and `c<id>` for a
collection. `Shares` reads the caller's memberships and opens each collection
key at most once per request (and through the process-wide cache across
requests); a write claims the collection (claim) and reads the member row
with its lock (get_membership_locked) so that it seals under the key a
concurrent rotation leaves.
"""

import json
import logging
from dataclasses import dataclass

from ..contract import errors
from ..contract.errors import ApiError
from ..seal import keys
from ..seal.crypto import SealError
from ..seal.records import open_collection_name

log = logging.getLogger(__name__)

ROLES = ("read", "write", "manage")


@dataclass(frozen=True)
class Place:
    key: bytes
    owner: object  # what records are bound to: a user id, or keys.collection_owner(id)
    collection_id: int | None = None


def personal(call):
    return Place(call.data_key, call.user_id)


def allows(role, needed):
    """Whether `role` includes what `needed` allows (read < write < manage)."""
    return ROLES.index(role) >= ROLES.index(needed)


def not_allowed(collection_id, needed):
    return ApiError(403, errors.NOT_ALLOWED, f"This needs the role '{needed}' in collection {collection_id}.")


def not_found(sent):
    return ApiError(404, errors.NOT_FOUND, f"Collection {json.dumps(sent)} does not exist or is not yours.")


def claim(conn, collection_id):
    """Write `collection_id`'s row before a write of the collection reads its key (migration 0013): a row
    lock holds on one node of a Galera cluster only, but a rotation writes this row too, so a write and a
    rotation on two nodes conflict and one of them fails (Busy) and runs again, never both sealing."""
    conn.run("update_collection_claim", collection_id=collection_id)


def shares(call):
    """The request's Shares, made on first use."""
    if call.shares is None:
        call.shares = Shares(call)
    return call.shares


class Shares:
    """The caller's memberships and opened collection keys, for one request."""

    def __init__(self, call):
        self.call = call
        self._rows = {}  # collection_id: membership row, as last read
        self._locked = set()
        self._keys = {}  # (collection_id, version): opened key
        self._private = None
        self._all = None

    def memberships(self):
        """Every collection of the caller, by id, read with one query."""
        if self._all is None:
            self._all = self.call.conn.run("list_memberships", user_id=self.call.user_id)
            for row in self._all:
                self._rows.setdefault(row["collection_id"], row)
        return self._all

    def membership(self, collection_id, lock=False):
        """The caller's membership row of `collection_id`, or None; `lock` takes the collection's write lock."""
        if lock and collection_id not in self._locked:
            claim(self.call.conn, collection_id)
            row = self.call.conn.run("get_membership_locked", collection_id=collection_id, user_id=self.call.user_id)
            self._locked.add(collection_id)
            if row is None:
                self._rows.pop(collection_id, None)
            else:
                self._rows[collection_id] = row
            return row
        if collection_id not in self._rows:
            row = self.call.conn.run("get_membership", collection_id=collection_id, user_id=self.call.user_id)
            if row is None:
                return None
            self._rows[collection_id] = row
        return self._rows[collection_id]

    def require(self, collection_id, needed, lock=False, missing=None):
        """The membership row when the caller has at least `needed`; `missing` (or a 404) when not a member,
        403 `Not allowed in this collection!` when the role is too small."""
        row = self.membership(collection_id, lock)
        if row is None:
            raise missing if missing is not None else not_found(collection_id)
        if not allows(row["role"], needed):
            raise not_allowed(collection_id, needed)
        return row

    def place(self, row):
        """The Place of a membership row: the collection key opened (at most once) and its owner marker."""
        return Place(self.key(row), keys.collection_owner(row["collection_id"]), row["collection_id"])

    def key(self, row):
        collection_id, version = row["collection_id"], row["member_version"]
        found = self._keys.get((collection_id, version))
        if found is not None:
            return found
        cache, user_id = self.call.services.accounts.collection_keys, self.call.user_id
        found = cache.get(user_id, collection_id, version, row["sealed_key"])
        if found is None:
            try:
                found = keys.open_member_copy(self._private_key(), row["sealed_key"], collection_id, user_id, version)
            except SealError:
                raise unreadable_copy(collection_id, user_id) from None
            cache.put(user_id, collection_id, version, row["sealed_key"], found)
        self._keys[(collection_id, version)] = found
        return found

    def _private_key(self):
        if self._private is None:
            user = self.call.user
            try:
                self._private = keys.open_private_key(self.call.data_key, user["user_id"], user["sealed_private_key"])
            except (SealError, TypeError):
                raise unreadable_copy(None, user["user_id"]) from None
        return self._private


def collection_summaries(call):
    """[{"id", "name", "role"}] of every collection of the caller, by id."""
    collections = shares(call)
    summaries = []
    for row in collections.memberships():
        place = collections.place(row)
        name = open_collection_name(place.key, place.owner, place.collection_id, row["sealed_name"])
        summaries.append({"id": row["collection_id"], "name": name, "role": row["role"]})
    return summaries


def unreadable_copy(collection_id, user_id):
    # Ids only: the copy and the keys are secret.
    log.error(
        "user %s: %s does not open",
        user_id,
        "the private key" if collection_id is None else f"the copy of collection {collection_id}'s key",
    )
    what = "Your private key" if collection_id is None else f"Your key of collection {collection_id}"
    return ApiError(500, errors.DECRYPT_FAILED, f"{what} failed its integrity check.")
