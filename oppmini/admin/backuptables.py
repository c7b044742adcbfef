"""What a backup holds: its tables, their columns and bounds, and the layout of each schema and format version."""

import dataclasses
import json
import re
from dataclasses import dataclass

from ..accounts import activity, two_factor
from ..accounts.securitykeys import keys as securitykeys
from ..seal import crypto, files, keys, tags
from .columns import (
    BIGINT_MAX,
    BLOB_BYTES,
    COUNT,
    ID,
    MEDIUMBLOB_BYTES,
    REVISION,
    SORT,
    TEXT_CHARS,
    TIME,
    VERSION,
    Column,
    ascii_text,
    blob,
    one_of,
    sealed,
    text,
)

# A member's copy of a collection key: HPKE's encapsulated key, then the key sealed with AES-256-GCM (16-byte tag).
MEMBER_COPY_BYTES = keys.ENC_BYTES + crypto.KEY_BYTES + 16


@dataclass(frozen=True)
class Table:
    name: str
    id_column: str | tuple | None  # a tuple for a key of several columns, compared as a tuple
    columns: dict  # column name: Column, in the file's order
    parents: tuple = ()  # (column, table) references checked within the file
    insert_query: str | None = None  # the named query that writes one row back
    added: dict = dataclasses.field(default_factory=dict)  # columns added later: (schema, their value before)
    since: int = 1  # the schema version that made the table
    in_format: int = 1  # the backup format version that first held it
    page_rows: int = 500  # rows read per query while writing a backup (fewer for big rows)

    def columns_at(self, schema):
        """The columns a database of schema version `schema` has."""
        return [name for name in self.columns if name not in self.added or self.added[name][0] <= schema]

    def list_query(self, schema=None):
        """The named query listing the rows as a database of `schema` (default: the latest) holds them."""
        held = self.columns_at(schema) if schema is not None else list(self.columns)
        if held == list(self.columns):
            return f"list_backup_{self.name}"
        return f"list_backup_{self.name}_schema{min(s for s in LAYOUT_STEPS if self.columns_at(s) == held)}"

    def row_id(self, row):
        if isinstance(self.id_column, tuple):
            return tuple(row[column] for column in self.id_column)
        return row[self.id_column]

    @property
    def base64(self):
        return tuple(name for name, column in self.columns.items() if column.kind is bytes)


TABLES = (
    Table("settings", None, {"name": ascii_text(1, 64), "value": text(0, TEXT_CHARS)}),
    Table(
        "users",
        "user_id",
        {
            "user_id": ID,
            "username": text(1, 255),
            "password_hash": text(1, 255, crypto.check_password_hash),
            "security_stamp": text(1, 64),
            "key_salt": blob(*crypto.ARGON2_SALT_BYTES),
            "key_params": text(1, 255, crypto.KdfParams.decode),
            "sealed_key": sealed(crypto.SEALED_KEY_BYTES, crypto.SEALED_KEY_BYTES),
            "failed_attempts": COUNT,
            "last_failure_at": TIME,
            "created_at": TIME,
            # The X25519 key pair (sharing): public in clear, private sealed under the data key.
            "public_key": blob(keys.PUBLIC_KEY_BYTES, keys.PUBLIC_KEY_BYTES).or_null(),
            "sealed_private_key": sealed(crypto.SEALED_KEY_BYTES, crypto.SEALED_KEY_BYTES).or_null(),
        },
        insert_query="insert_restored_user",
        added={"public_key": (5, None), "sealed_private_key": (5, None)},
    ),
    Table(
        "categories",
        "category_id",
        {"category_id": ID, "user_id": ID, "sort_id": SORT, "sealed_name": sealed(crypto.RECORD_OVERHEAD, BLOB_BYTES)},
        parents=(("user_id", "users"),),
        insert_query="insert_restored_category",
    ),
    Table(
        "collections",
        "collection_id",
        {
            "collection_id": ID,
            "sealed_name": sealed(crypto.RECORD_OVERHEAD, BLOB_BYTES),
            "key_version": VERSION,
            "created_at": TIME,
        },
        insert_query="insert_restored_collection",
        since=5,
    ),
    Table(
        "items",
        "item_id",
        {
            "item_id": ID,
            "user_id": ID,
            "category_id": ID.or_null(),
            "sort_id": SORT,
            "sealed_fields": sealed(crypto.RECORD_OVERHEAD, MEDIUMBLOB_BYTES),
            "created_at": TIME,
            "updated_at": TIME,
            "deleted_at": TIME.or_null(),
            "collection_id": ID.or_null(),
            # The keyed tag of the item's site (GET /v1/match); null until the owner's first match request.
            "domain_tag": blob(tags.TAG_BYTES, tags.TAG_BYTES).or_null(),
            # Raised by every write of the item: what a POST row's if_revision is compared with.
            "revision": REVISION,
        },
        parents=(("user_id", "users"), ("category_id", "categories"), ("collection_id", "collections")),
        insert_query="insert_restored_item",
        added={
            "created_at": (4, 0),
            "updated_at": (4, 0),
            "deleted_at": (4, None),
            "collection_id": (5, None),
            "domain_tag": (7, None),
            "revision": (9, 1),
        },
    ),
    Table(
        "item_history",
        "history_id",
        {
            "history_id": ID,
            "item_id": ID,
            "user_id": ID,
            "replaced_at": TIME,
            "sealed_password": sealed(crypto.RECORD_OVERHEAD, BLOB_BYTES),
        },
        parents=(("item_id", "items"), ("user_id", "users")),
        insert_query="insert_restored_history_entry",
        since=4,
    ),
    Table(
        # A member's copy of the collection key: HPKE's encapsulated key and the sealed key, not an EAX record.
        "collection_members",
        ("collection_id", "user_id"),
        {
            "collection_id": ID,
            "user_id": ID,
            "role": one_of("read", "write", "manage"),
            "key_version": VERSION,
            "sealed_key": blob(MEMBER_COPY_BYTES, MEMBER_COPY_BYTES),
            "added_at": TIME,
        },
        parents=(("collection_id", "collections"), ("user_id", "users")),
        insert_query="insert_restored_member",
        since=5,
    ),
    Table(
        # A pending invitation: user_id null for a name that named no user; its copy null then, or when the
        # invitee had no key pair yet.
        "collection_invitations",
        "invitation_id",
        {
            "invitation_id": ID,
            "collection_id": ID,
            "user_id": ID.or_null(),
            "username": text(1, 255),
            "role": one_of("read", "write", "manage"),
            "key_version": VERSION,
            "sealed_key": blob(MEMBER_COPY_BYTES, MEMBER_COPY_BYTES).or_null(),
            "invited_by": ID.or_null(),
            "invited_at": TIME,
        },
        parents=(("collection_id", "collections"), ("user_id", "users"), ("invited_by", "users")),
        insert_query="insert_restored_invitation",
        since=6,
    ),
)

# The backup format versions this code reads; it writes the last. 1 held the
# vaults and sharing; 2 also each account's second factor and activity log,
# which the schema has held since version 3; 3 also each account's security
# keys (schema 8); 4 also attachments (schema 11).
FORMAT_VERSIONS = (1, 2, 3, 4)


def _event_name(value):
    if not re.fullmatch("[a-z0-9_]+", value):
        raise ValueError("is not an event name (a-z, 0-9 and _)")


def _printable(value):
    # What record_event keeps of an address or a user agent.
    if not value.isprintable():
        raise ValueError("holds a character that is not printable")


def _json_object(value):
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise ValueError("is not a JSON object")


def _sha256_hex(value):
    if not re.fullmatch("[0-9a-f]{64}", value):
        raise ValueError("is not a SHA-256 hash in lower-case hex")


# Account security (format 2): the second factor, so that a restore never turns
# it off, and the activity log. Sessions are not held: a restore signs everyone out.
TABLES += (
    Table(
        # The TOTP secret sealed under a key derived from the token signing key, bound to its user.
        "two_factor",
        "user_id",
        {
            "user_id": ID,
            "sealed_secret": sealed(two_factor.SEALED_SECRET_BYTES, two_factor.SEALED_SECRET_BYTES),
            "enabled": Column(int, 0, 1),
            "last_step": TIME,
            "changed_at": TIME,
        },
        parents=(("user_id", "users"),),
        insert_query="insert_restored_two_factor",
        since=3,
        in_format=2,
    ),
    Table(
        "recovery_codes",
        ("user_id", "code_hash"),
        {"user_id": ID, "code_hash": text(64, 64, _sha256_hex)},
        parents=(("user_id", "users"),),
        insert_query="insert_restored_recovery_code",
        since=3,
        in_format=2,
    ),
    Table(
        "activity",
        "event_id",
        {
            "event_id": ID,
            "user_id": ID,
            "at": TIME,
            "event": text(1, 64, _event_name),
            "address": text(0, activity.ADDRESS_CHARS, _printable),
            "agent": text(0, activity.AGENT_CHARS, _printable),
            "detail": text(2, TEXT_CHARS, _json_object),
        },
        parents=(("user_id", "users"),),
        insert_query="insert_restored_event",
        since=3,
        in_format=2,
    ),
)


def _transports(value):
    if value and not re.fullmatch("[a-z-]+(,[a-z-]+)*", value):
        raise ValueError("is not a comma-separated list of transport names")


# Security keys (format 3): their public keys and counters, so that a restore keeps them working (and a
# clone's counter stays behind). The challenges are not held: none outlives a restore.
TABLES += (
    Table(
        "webauthn_credentials",
        "key_id",
        {
            "key_id": ID,
            "user_id": ID,
            "credential_id": blob(1, securitykeys.CREDENTIAL_ID_BYTES),
            "public_key": blob(1, BLOB_BYTES),
            "sign_count": Column(int, 0, 2**32 - 1),
            "name": text(1, securitykeys.NAME_CHARS),
            "created_at": TIME,
            "last_used_at": TIME.or_null(),
            "transports": Column(str, 0, 255, check=_transports),
        },
        parents=(("user_id", "users"),),
        insert_query="insert_restored_webauthn_key",
        since=8,
        in_format=3,
    ),
)
# Attachments (format 4): each file's header (its key, name and media type,
# sealed under its item's key) and its chunks, sealed under the file key. A
# chunk is read back as stored: verify checks that every file has the chunks
# its size calls for, each of the length its place gives (backupfiles.py).
TABLES += (
    Table(
        "attachments",
        "attachment_id",
        {
            "attachment_id": ID,
            "item_id": ID,
            "user_id": ID,
            "size": Column(int, 0, BIGINT_MAX),
            "sealed_header": sealed(crypto.RECORD_OVERHEAD, 2048),
            "created_at": TIME,
        },
        parents=(("item_id", "items"), ("user_id", "users")),
        insert_query="insert_restored_attachment",
        since=11,
        in_format=4,
    ),
    Table(
        "attachment_chunks",
        ("attachment_id", "chunk_index"),
        {
            "attachment_id": ID,
            "chunk_index": Column(int, 0, BIGINT_MAX),
            "sealed_chunk": sealed(files.CHUNK_OVERHEAD, files.CHUNK_OVERHEAD + files.CHUNK_BYTES),
        },
        parents=(("attachment_id", "attachments"),),
        insert_query="insert_restored_chunk",
        since=11,
        in_format=4,
        page_rows=16,  # 1 MiB a query
    ),
)
TABLE_BY_NAME = {table.name: table for table in TABLES}
# The schema versions that changed what a backup holds: 1 the first release, 3
# account security (held from format 2 on), 4 richer items (item times, trash,
# history), 5 sharing, 6 invitations, 7 items' domain tags, 8 security keys, 9
# items' revisions, 11 attachments (10, the health store, is not held: a report
# derives it again). The header's "tables" names the columns the file holds,
# table by table: this code writes the layout of the database's own schema (an
# older one, not yet upgraded, as the release it belongs to wrote it) and reads
# any of these.
LAYOUT_STEPS = (1, 3, 4, 5, 6, 7, 8, 9, 11)


def layout_at(schema, format_version=FORMAT_VERSIONS[-1]):
    """{table: [columns]} of a database of schema version `schema`, in a backup of `format_version`."""
    return {
        table.name: table.columns_at(schema)
        for table in TABLES
        if table.since <= schema and table.in_format <= format_version
    }


# The layouts a file of each format version may have; LAYOUTS, the ones this code writes.
LAYOUTS_BY_FORMAT = {version: {step: layout_at(step, version) for step in LAYOUT_STEPS} for version in FORMAT_VERSIONS}
LAYOUTS = LAYOUTS_BY_FORMAT[FORMAT_VERSIONS[-1]]
LAYOUT = LAYOUTS[LAYOUT_STEPS[-1]]


def layout_step(schema):
    """The last step at or before `schema`: whose layout a database of that version has."""
    return max(step for step in LAYOUT_STEPS if step <= schema)
