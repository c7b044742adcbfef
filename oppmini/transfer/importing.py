"""An import file's entries onto the caller's vault (extensions.md §2): categories, items, duplicates, limits.

The importers (oppmini/importers/) read a file into neutral entries; this
module decides what becomes of each one and writes it, inside the import
route's one transaction. A dry run takes every decision and writes nothing,
so it answers the same figures. Warnings name entries by position and say
what was wrong in the item checks' own words, which never quote a value.
"""

import mimetypes
from dataclasses import dataclass, field

from ..contract.errors import ApiError
from ..contract.payload import is_text
from ..seal.records import seal_category_name, seal_item
from ..vault import attachments, totp, trash
from ..vault.access import allows, collection_summaries, personal
from ..vault.attachments.storing import (
    DEFAULT_MEDIA_TYPE,
    MEDIA_TYPE_LIMIT,
    NAME_LIMIT,
    checked_media_type,
    checked_name,
)
from ..vault.rows import CATEGORY_NAME_LIMIT, SORT_ID_MAX, SORT_ID_MIN, item_fields, item_kind
from ..vault.sites import item_tag
from ..vault.vault import Categories, all_items
from .importers.entry import unreadable

TOTP_FIELD = "TOTP"  # where a TOTP value that is no valid seed goes (§2)
DUPLICATE_KEYS = ("name", "url", "username", "password")


@dataclass
class Outcome:
    imported: int = 0
    categories_created: int = 0
    skipped_duplicates: int = 0
    attachments_imported: int = 0  # files stored with their items (a dry run: that would be)
    warnings: list = field(default_factory=list)  # (entry position, reason)
    files_used: int | None = None  # what the caller's files take with those imported so far (a dry run's too)


def import_reading(call, reading, dry_run, keep_duplicates, place=None):
    """Write `reading`'s entries as the caller's items (unless `dry_run`), or with `place` as items of
    that collection (folders then make no categories: an item in a collection has none); the Outcome
    either way."""
    outcome = Outcome(warnings=list(reading.warnings))
    target = _Target(call, dry_run, outcome, place or personal(call))
    target.file_categories(reading.categories)
    seen = set() if keep_duplicates else _known_keys(call)
    now = trash.now(call)
    for entry in reading.entries:
        row = _row(entry, outcome)
        try:
            fields = item_fields(row, entry.position)
            kind, kind_warnings = item_kind(row, entry.position)
        except ApiError as refused:
            # "Row N: field 'x' is longer than 255 characters." in the item checks' words, no value.
            outcome.warnings.append((entry.position, "skipped: " + refused.description.partition(": ")[2]))
            continue
        folder_problem = _folder_problem(entry.folder)
        if folder_problem:
            outcome.warnings.append((entry.position, f"skipped: {folder_problem}"))
            continue
        if not keep_duplicates:
            key = _duplicate_key(fields)
            if key in seen:
                outcome.skipped_duplicates += 1
                continue
            seen.add(key)
        fields.update(kind)
        outcome.warnings += [(entry.position, reason) for reason in kind_warnings]
        item_id = target.add_item(fields, target.category_of(entry), _sort_id(entry), now)
        for number, file in enumerate(entry.files, start=1):
            attach_imported_file(call, target.place, item_id, entry.position, number, file, outcome)
    outcome.warnings.sort(key=lambda warning: warning[0])  # stable: a reader's warning before ours
    return outcome


def _row(entry, outcome):
    """The entry as an item row for the item checks; a TOTP value that is no seed moved to a field."""
    fields = [{"name": name, "value": value, "hidden": hidden} for name, value, hidden in entry.fields]
    seed = entry.totp
    if seed.strip() and not _valid_seed(seed):
        fields.append({"name": TOTP_FIELD, "value": seed, "hidden": True})
        outcome.warnings.append(
            (entry.position, f"the TOTP value is no valid seed: kept in the custom field {TOTP_FIELD}")
        )
        seed = ""
    return {
        "name": entry.name,
        "url": entry.url,
        "account": entry.account,
        "username": entry.username,
        "password": entry.password,
        "blob": entry.notes,
        "totp": seed,
        "fields": fields,
        "favorite": entry.favorite,
        "match": entry.match,
        "type": entry.type,
        **({entry.type: entry.typed} if entry.typed else {}),
    }


def attach_imported_file(call, place, item_id, position, number, file, outcome):
    """The one place an imported entry's file goes: its item's attachments (sealed for `place`, where the
    item went: the caller's vault or a collection), in the import's transaction.

    A file that could not be read, or that the limits refuse (larger than a
    file may be, or past the caller's quota with the files imported before
    it), is left behind with a warning naming the entry by position and the
    file by its `number` among the entry's files, never by its name, which
    can tell what it holds; the rest of the import goes on, as for any value
    an item cannot hold. `item_id` is None on a dry run: the file is counted
    against the quota as it would be, and nothing is stored.
    """
    if file.problem:
        outcome.warnings.append((position, f"attached file {number} is not imported: {file.problem}"))
        return
    limits = attachments.Limits.from_config(call.config)
    if outcome.files_used is None:
        # A dry run stores nothing, so it reads the count without claiming it (a write, for a real import).
        count = attachments.used_bytes if item_id is None else attachments.claimed_bytes
        outcome.files_used = count(call.conn, call.user_id)
    size = len(file.data)
    media_type = file.media_type or mimetypes.guess_type(file.name, strict=False)[0] or DEFAULT_MEDIA_TYPE
    refusal = _file_refusal(file.name, media_type, size, outcome.files_used, limits)
    if refusal:
        outcome.warnings.append((position, f"attached file {number} ({size} bytes) is not imported: {refusal}"))
        return
    used = outcome.files_used
    outcome.files_used += size
    outcome.attachments_imported += 1
    if item_id is None:
        return
    attachments.attach_file(
        call.conn,
        place,
        item_id,
        call.user_id,
        file.name,
        media_type,
        file.data,
        used=used,
        now=trash.now(call),
        limits=limits,
    )


def _file_refusal(name, media_type, size, used, limits):
    """Why a file of `size` bytes cannot be attached, in words that quote neither its name nor its type; ""."""
    if size > limits.max_bytes:
        return f"a file may hold at most {limits.max_bytes} bytes"
    if used + size > limits.quota_bytes:
        return f"your files would take more than your quota of {limits.quota_bytes} bytes"
    try:
        checked_name(name)
    except ApiError:
        return f"its name is empty, longer than {NAME_LIMIT} characters or holds control characters"
    try:
        checked_media_type(media_type)
    except ApiError:
        return f"its content_type is not printable ASCII of at most {MEDIA_TYPE_LIMIT} characters"
    return ""


def _valid_seed(value):
    """The item checks' own test of a `totp` value (oppmini/vault/rows.py)."""
    if len(value) > totp.MAX_LENGTH:
        return False
    try:
        totp.parse(value)
    except ValueError:
        return False
    return True


def _folder_problem(folder):
    if len(folder) > CATEGORY_NAME_LIMIT:
        return f"its folder's name is longer than {CATEGORY_NAME_LIMIT} characters"
    if not is_text(folder):
        return "its folder's name is not valid Unicode text"
    return ""


def _known_keys(call):
    """The duplicate keys of the caller's personal items and of the items of every collection they can
    write to: an entry the household already keeps there is not imported a second time. A collection the
    caller only reads does not count: the entry would be theirs to change only as a personal item."""
    writable = {c["id"] for c in collection_summaries(call) if allows(c["role"], "write")}
    items = all_items(call, shared=bool(writable))
    return {
        _duplicate_key(item) for item in items if item["collection_id"] is None or item["collection_id"] in writable
    }


def _duplicate_key(fields):
    return tuple(fields[name] for name in DUPLICATE_KEYS)


def _sort_id(entry):
    if entry.sort_id is None:
        return 0
    if not SORT_ID_MIN <= entry.sort_id <= SORT_ID_MAX:
        raise unreadable(f"entry {entry.position}", "'sort_id' is not a 32-bit integer")
    return entry.sort_id


class _Target:
    """The caller's categories by name, and the writes (none on a dry run)."""

    def __init__(self, call, dry_run, outcome, place):
        self.call = call
        self.dry_run = dry_run
        self.outcome = outcome
        self.place = place
        self.shared = place.collection_id is not None
        self.by_name = {}
        for category in Categories(call).all():  # ascending ids: the oldest of equal names wins
            self.by_name.setdefault(category["name"], category["id"])
        self.by_index = {}  # oppmini-json: the file's categories, kept apart even when names repeat
        self.next_fake_id = -1  # a dry run's stand-in for an id it does not create

    def file_categories(self, categories):
        """oppmini-json's categories, all of them (empty ones too): an existing one of that name, else new."""
        existing = dict(self.by_name)
        if self.shared:
            categories = []
        for index, (name, sort_id) in enumerate(categories):
            if _folder_problem(name):
                raise unreadable(f"category {index + 1}", _folder_problem(name))
            if not SORT_ID_MIN <= sort_id <= SORT_ID_MAX:
                raise unreadable(f"category {index + 1}", "'sort_id' is not a 32-bit integer")
            self.by_index[index] = existing[name] if name in existing else self._create(name, sort_id)

    def category_of(self, entry):
        if self.shared:
            return None
        if entry.category is not None:
            return self.by_index[entry.category]
        if not entry.folder:
            return None
        if entry.folder not in self.by_name:
            self.by_name[entry.folder] = self._create(entry.folder, 0)
        return self.by_name[entry.folder]

    def _create(self, name, sort_id):
        self.outcome.categories_created += 1
        if self.dry_run:
            self.next_fake_id -= 1
            return self.next_fake_id
        call = self.call
        category_id = call.conn.run("insert_category", user_id=call.user_id, sort_id=sort_id, sealed_name=b"")
        call.conn.run(
            "update_category",
            category_id=category_id,
            user_id=call.user_id,
            sort_id=None,
            sealed_name=seal_category_name(call.data_key, call.user_id, category_id, name),
        )
        return category_id

    def add_item(self, fields, category_id, sort_id, now):
        """The new item's id; None on a dry run."""
        self.outcome.imported += 1
        if self.dry_run:
            return None
        call, place = self.call, self.place
        item_id = call.conn.run(
            "insert_item", user_id=call.user_id, category_id=category_id, sort_id=sort_id, sealed_fields=b"", now=now
        )
        call.conn.run(
            "update_item_placed",
            item_id=item_id,
            user_id=call.user_id,
            collection_id=place.collection_id,
            category_id=category_id,
            sort_id=sort_id,
            sealed_fields=seal_item(place.key, place.owner, item_id, fields),
            domain_tag=item_tag(place.key, fields["url"]),
            now=now,
            revision=None,  # a new item: no revision to hold it to
        )
        return item_id
