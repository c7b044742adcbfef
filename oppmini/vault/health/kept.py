"""What the health report derives from an item's record and is slow to derive again, kept sealed beside it.

Two derivations cost far more than opening the record: zxcvbn's strength
estimate of the password (milliseconds: it looks up every substring in six
frequency lists, again for each l33t reading, then scores the matches), and
the parse of the one-time-code seed into the form seeds are compared in (an
otpauth URI parsed and its base32 decoded: several times the open). A report
over 2,000 items spent seconds on them where the rest takes tens of
milliseconds. So what a report derives of an item is kept, one record per
item in the table item_health, and later reports read it:

- sealed under the key of the item's own record (the owner's data key or the
  collection key): whoever can open the item can open it, and the database
  learns nothing from it, not even the score. It holds nothing that the
  item's record does not hold or imply;
- bound to the item's record itself (its EAX tag, unique to each sealing), so
  that it opens only beside the very record it was made from. Any later write
  of the item (a new password or name, a move) makes a new record, and the
  kept one no longer opens: it is derived again, never believed stale. A key
  rotation and a collection's deletion carry the records over (carry).

It is derived by the first report that needs it, not when the item is
written: estimating at every write made one new item cost 3 to 4 times its
CPU (`make bench` W5) and a 2,000-entry import 6 s more (W10), for a report
that may never be asked for. The first report after many writes pays that
once (about 3 ms a password); every one after it, on any process, reads.
Kept or derived, the values come from the same functions: zxcvbn's own
finding, the seed as totp.parse reads it.
"""

import logging
from typing import NamedTuple

import orjson

from ...seal import crypto
from ...store.db import Busy
from ..totp import parse as parse_seed
from . import strength

log = logging.getLogger(__name__)

HEALTH_TABLE = "item_health"
# [LAYOUT, the weak finding or null, the seed's comparable form in hex or null].
LAYOUT = 1


class Derived(NamedTuple):
    """An item's weak finding (None: strong, or no password) and its seed's comparable form (None: no seed)."""

    weak: dict | None
    seed: bytes | None


def derive(fields):
    """What the report needs of an item's fields beyond the fields themselves; None when it has no secret."""
    if not fields["password"] and not fields["totp"].strip():
        return None
    weak = strength.weakness(fields["password"], strength.item_words(fields)) if fields["password"] else None
    return Derived(weak, seed_form(fields["totp"]) if fields["totp"].strip() else None)


def seed_form(text):
    """A seed as compared: its secret, so that one seed written two ways is one; the text itself when it does
    not parse."""
    try:
        return parse_seed(text).secret
    except ValueError:
        return "".join(text.split()).upper().encode("utf-8")


def derived_all(places, rows, items):
    """({item_id: Derived} of every item with a password or a seed, [(item_id, record, new sealed record)]).

    `rows` are the item rows as list_items_for_health reads them (each with
    its kept record or None), `items` their opened fields and `places` their
    Place by collection id (None: personal). What does not open beside its
    item's record is derived again, and comes back sealed for keep_made; the
    record of an item that no longer has a secret comes back as None, to go.
    """
    found, made = {}, []
    groups = {}
    for row, item in zip(rows, items, strict=True):
        if item["password"] or item["totp"].strip():
            groups.setdefault(row["collection_id"], []).append((row, item))
        elif row["sealed_health"] is not None:
            made.append((row["item_id"], row["sealed_fields"], None))
    for collection_id, group in groups.items():
        place = places[collection_id]
        with_kept = [row for row, _ in group if row["sealed_health"] is not None]
        sealed = [(row["sealed_health"], _binding(place, row["item_id"], row["sealed_fields"])) for row in with_kept]
        for row, plaintext in zip(with_kept, crypto.open_sealed_many(place.key, sealed), strict=True):
            opened = _opened(plaintext)
            if opened is not None:
                found[row["item_id"]] = opened
        for row, item in group:
            if row["item_id"] not in found:
                found[row["item_id"]] = derived = derive(item)
                made.append(
                    (row["item_id"], row["sealed_fields"], _seal(place, row["item_id"], row["sealed_fields"], derived))
                )
    return found, made


def keep_made(call, made):
    """What a report derived, kept in a write transaction of its own, after its reads (None: dropped).

    An item written or deleted meanwhile is left as its write left it.
    """
    if not made:
        return
    try:
        with call.conn.transaction():
            for item_id, record, sealed in made:
                _keep_row(call.conn, item_id, record, sealed)
    except Busy as error:
        # Nothing is lost but time: the next report derives them again.
        log.info("vault health: %d derived records not kept after a lock conflict: %s", len(made), error)


def of_collection(conn, collection_id):
    """{item_id: sealed record} of every item of a collection, live or in the trash, for carry."""
    rows = conn.run("list_collection_item_health", collection_id=collection_id)
    return {row["item_id"]: row["sealed_health"] for row in rows}


def carry(conn, stored, old, new, moved):
    """What was kept of items whose records `moved` lists as (item_id, old record, new record), sealed
    again under `new` (a Place) beside the new records; `stored` is of_collection's, read before the
    move. What does not open under `old` beside its old record is dropped. A rotation of a collection's
    key and its deletion run this in their transaction, so that no report has to derive it all again and
    nothing stays sealed under a key that is going.
    """
    with_kept = [(item_id, old_record, new_record) for item_id, old_record, new_record in moved if item_id in stored]
    sealed = [(stored[item_id], _binding(old, item_id, old_record)) for item_id, old_record, _ in with_kept]
    for (item_id, _, new_record), plaintext in zip(with_kept, crypto.open_sealed_many(old.key, sealed), strict=True):
        derived = _opened(plaintext)
        if derived is None:
            conn.run("delete_item_health", item_id=item_id)
        else:
            _keep_row(conn, item_id, new_record, _seal(new, item_id, new_record, derived))


def _keep_row(conn, item_id, record, sealed):
    # Only beside the record it was made from: never over the one of a newer record.
    if sealed is None:
        conn.run("delete_item_health_of_record", item_id=item_id, sealed_fields=record)
    else:
        conn.run("update_item_health", item_id=item_id, sealed_fields=record, sealed_health=sealed)


def _seal(place, item_id, record, derived):
    seed = None if derived.seed is None else derived.seed.hex()
    plaintext = orjson.dumps([LAYOUT, derived.weak, seed])
    return crypto.seal(place.key, plaintext, _binding(place, item_id, record))


def _binding(place, item_id, record):
    """Bound to the table, the owner, the item and its record's tag: the record it was derived from."""
    tag = bytes(record[1 + crypto.NONCE_BYTES : crypto.RECORD_OVERHEAD])
    return crypto.bind(HEALTH_TABLE, place.owner, f"{item_id}.{tag.hex()}")


def _opened(plaintext):
    """The Derived a kept record holds; None when it did not open, or is not of this layout."""
    if plaintext is None:
        return None
    try:
        layout, weak, seed = orjson.loads(plaintext)
        seed = None if seed is None else bytes.fromhex(seed)
    except (ValueError, TypeError):
        return None
    if layout != LAYOUT or not (weak is None or strength.is_finding(weak)):
        return None
    return Derived(weak, seed)
