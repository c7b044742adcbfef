"""Backups: one consistent snapshot as checksummed JSON lines, verified, restored into either backend.

The format (format_version 4), one JSON object per line, ASCII only:

    {"format": "oppmini-backup", "format_version": 4, "schema_version": 5, "created_at": ...,
     "source": "sqlite", "tables": {"settings": [columns], "users": [...], ...}, "base64": {...}}
    {"table": "settings", "row": {"name": "...", "value": "..."}}
    {"table": "users", "row": {"user_id": 1, "username": "...", "sealed_key": "<base64>", ...}}
    ... every row of settings, users, categories, collections, items, item_history, collection_members,
    two_factor, recovery_codes, activity, webauthn_credentials, attachments, attachment_chunks, in that
    order and by ascending id
    {"end": "oppmini-backup", "counts": {"settings": N, ...}, "sha256": "<hex>"}

The header's "tables" names the columns the file holds: those of the schema
the database had (backuptables.LAYOUTS, one per schema version that changed what a backup
holds). Backups of schema 1 and 2 hold no second factor or activity; of
schema 1 to 3, no item times, trash or history; of schema 4, no key pairs,
collections or members. They are read as they are, the missing columns
taking the values the migration gave existing rows (a user without a key
pair gets one at the next unlock, as after the upgrade). Files of format 1,
written before backups held the account security tables, are read too:
their accounts come back without a second factor. Files of format 2 hold no
security keys (the schema had none before version 8), and files of format 2
and 3 no attachments (none before version 11).

Sessions are never held, and a restore gives every user a new security
stamp: everyone signs in again, and no token from before the backup opens an
account again, even where a new session gets an id an old one had.

The last line's SHA-256 covers every byte of the lines before it. Sealed data
stays sealed (base64 of the stored record), so the file reveals no vault
content; it does hold password hashes, the token signing key (unless config
secret_key is set) and the two-factor secrets sealed under a key derived
from it, so it is written readable by its owner only.
"""

import base64
import binascii
import datetime
import hashlib
import json
import os
from pathlib import Path

from ..accounts.accounts import new_stamp
from ..store.migrations import upgrade
from .backupfiles import FileTally
from .backuptables import FORMAT_VERSIONS, LAYOUTS, LAYOUTS_BY_FORMAT, TABLE_BY_NAME, TABLES, layout_step

FORMAT = "oppmini-backup"
FORMAT_VERSION = FORMAT_VERSIONS[-1]
PAGE_SIZE = 500
PROGRESS_EVERY = 10_000


class BackupError(Exception):
    """A backup file that cannot be trusted or a restore that must not happen; says which and why."""


def _line(value):
    return (json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":")) + "\n").encode("ascii")


def write_backup(db, path, progress=lambda message: None):
    """Write every row of `db`, read in one read transaction, to `path`; the row counts."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    fd = _create_private(partial)
    digest = hashlib.sha256()
    counts = {}
    try:
        with os.fdopen(fd, "wb") as out, db.connect() as conn, conn.transaction(write=False):

            def emit(value):
                line = _line(value)
                digest.update(line)
                out.write(line)

            settings = conn.run("list_backup_settings")
            version = next((row["value"] for row in settings if row["name"] == "schema_version"), None)
            now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
            step = layout_step(int(version))
            layout = LAYOUTS[step]
            tables = [table for table in TABLES if table.name in layout]
            emit(
                {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "schema_version": int(version),
                    "created_at": now,
                    "source": db.dialect,
                    "tables": layout,
                    "base64": {table.name: [c for c in table.base64 if c in layout[table.name]] for table in tables},
                }
            )
            for table in tables:
                rows = settings if table.id_column is None else _pages(conn, table, table.list_query(step))
                counts[table.name] = 0
                for row in rows:
                    emit({"table": table.name, "row": _encode(table, layout[table.name], row)})
                    _counted(counts, table.name, progress, "")
                progress(f"{table.name}: {counts[table.name]} rows, done")
            out.write(_line({"end": FORMAT, "counts": counts, "sha256": digest.hexdigest()}))
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    return counts


def _create_private(partial):
    """A new file at `partial`, owner-only from the first byte: it will hold password hashes and the signing key.

    Never one that is there already: a link there would send the backup
    elsewhere, a file there would keep its own mode, and it may be another
    backup's, still being written.
    """
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        raise BackupError(
            f"{partial} already exists: another backup to the same file is running, or one was "
            "interrupted; remove it and try again"
        ) from None
    except OSError as error:
        raise BackupError(f"cannot create {partial}: {error.strerror}") from None
    os.fchmod(fd, 0o600)  # exactly, whatever the umask
    return fd


def _counted(counts, name, progress, done):
    """One more row of table `name`; every PROGRESS_EVERY rows, a progress line."""
    counts[name] += 1
    if counts[name] % PROGRESS_EVERY == 0:
        progress(f"{name}: {counts[name]} rows{done}")


def _pages(conn, table, query):
    """Every row, PAGE_SIZE (or the table's fewer) at a time after the last one's id; a key of two
    columns pages on both."""
    if isinstance(table.id_column, tuple):
        # Below every value of the second column: 0 or "" (a recovery code's hash), as its kind makes them.
        after = {"after_id": 0, "after_second": table.columns[table.id_column[1]].kind()}
    else:
        after = {"after_id": 0}
    page_size = min(PAGE_SIZE, table.page_rows)
    while True:
        rows = conn.run(query, page_size=page_size, **after)
        yield from rows
        if len(rows) < page_size:
            return
        last = table.row_id(rows[-1])
        after = {"after_id": last} if not isinstance(last, tuple) else {"after_id": last[0], "after_second": last[1]}


def _encode(table, columns, row):
    # A null stays null: a pending invitation's copy, or the key pair of a user who has not unlocked since sharing.
    return {
        column: base64.b64encode(bytes(row[column])).decode("ascii")
        if column in table.base64 and row[column] is not None
        else row[column]
        for column in columns
    }


def read_backup(path):
    """(header, iterator of (table name, row ready to insert)); the iterator checks as it reads.

    The iterator raises BackupError at the first fault, and at its end unless
    the checksum line is there and matches, so a consumer that writes as it
    reads must do so inside a transaction it rolls back on error.
    """
    stream = open(path, "rb")
    try:
        first = stream.readline()
        header = _header(first)
    except BaseException:
        stream.close()
        raise
    return header, _rows(stream, first, header)


def _header(line):
    record = _parse(line, 1)
    if record.get("format") != FORMAT:
        raise BackupError("line 1: not an oppmini backup (no 'format': 'oppmini-backup' header)")
    if record.get("format_version") not in FORMAT_VERSIONS:
        raise BackupError(
            f"line 1: backup format version {record.get('format_version')!r}; "
            f"this version reads {' and '.join(map(str, FORMAT_VERSIONS))}"
        )
    if not isinstance(record.get("schema_version"), int):
        raise BackupError("line 1: the header has no schema_version")
    for key in ("created_at", "source"):
        if not isinstance(record.get(key), str):
            raise BackupError(f"line 1: the header's {key} must be a string")
    if record.get("tables") not in LAYOUTS_BY_FORMAT[record["format_version"]].values():
        raise BackupError("line 1: the header's tables and columns are not those of this format version")
    return record


def _parse(line, number):
    if not line.endswith(b"\n"):
        raise BackupError(f"line {number}: incomplete: the file is truncated")
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"line {number}: not valid JSON ({error})") from None
    if not isinstance(record, dict):
        raise BackupError(f"line {number}: not a JSON object")
    return record


def _rows(stream, first, header):
    with stream:
        digest = hashlib.sha256(first)
        layout = header["tables"]
        counts = {table.name: 0 for table in TABLES if table.name in layout}
        seen = {table.name: set() for table in TABLES}
        position = 0  # index into TABLES: rows come table by table, never back
        last_id = None
        trailer = None
        files = FileTally()
        for number, line in enumerate(stream, start=2):
            if trailer is not None:
                raise BackupError(f"line {number}: data after the checksum line")
            record = _parse(line, number)
            if "end" in record:
                trailer = record
                continue
            digest.update(line)
            name, row = record.get("table"), record.get("row")
            table = TABLE_BY_NAME.get(name) if name in layout else None
            if table is None or not isinstance(row, dict):
                raise BackupError(f'line {number}: expected {{"table": ..., "row": {{...}}}} of a known table')
            index = TABLES.index(table)
            if index < position:
                raise BackupError(f"line {number}: a {name} row after the {TABLES[position].name} rows")
            if index > position:
                position, last_id = index, None
            decoded = _decode(table, layout[name], row, number, seen)
            if table.id_column is not None:
                row_id = table.row_id(decoded)
                if last_id is not None and row_id <= last_id:
                    raise BackupError(f"line {number}: {name} ids are not in ascending order")
                last_id = row_id
                seen[name].add(row_id)
            elif name == "settings" and decoded["name"] == "schema_version":
                if decoded["value"] != str(header["schema_version"]):
                    raise BackupError(f"line {number}: schema_version setting differs from the header's")
            problem = files.count(name, decoded)
            if problem:
                raise BackupError(f"line {number}: {problem}")
            counts[name] += 1
            yield name, decoded
        if trailer is None:
            raise BackupError("the checksum line is missing: the file is truncated")
        if trailer.get("end") != FORMAT or trailer.get("sha256") != digest.hexdigest():
            raise BackupError("the SHA-256 checksum does not match: the file was changed or damaged")
        if trailer.get("counts") != counts:
            raise BackupError("the row counts in the checksum line do not match the rows in the file")
        problem = files.finish()
        if problem:
            raise BackupError(problem)


def _decode(table, columns, row, number, seen):
    if set(row) != set(columns):
        raise BackupError(f"line {number}: a {table.name} row must have exactly the columns {columns}")
    decoded = {}
    for name, column in table.columns.items():
        if name not in row:
            decoded[name] = table.added[name][1]  # an older layout's file: the value the migration gave
            continue
        value = row[name]
        where = f"line {number}: {table.name}.{name}"
        if column.kind is bytes and value is not None:
            try:
                value = base64.b64decode(value, validate=True) if isinstance(value, str) else None
            except binascii.Error:
                value = None
            if value is None:
                raise BackupError(f"{where} is not base64")
        problem = column.problem(value)
        if problem:
            raise BackupError(f"{where} {problem}")
        decoded[name] = value
    for column, parent in table.parents:
        if decoded[column] is not None and decoded[column] not in seen[parent]:
            raise BackupError(f"line {number}: {table.name}.{column} {decoded[column]} names no {parent} row before it")
    return decoded


def verify(path, progress=lambda message: None):
    """Read the whole file and check it; (header, counts) or BackupError."""
    header, rows = read_backup(path)
    counts = {table.name: 0 for table in TABLES if table.name in header["tables"]}
    for name, _ in rows:
        _counted(counts, name, progress, " checked")
    return header, counts


def restore(db, path, progress=lambda message: None):
    """Load a verified backup into an empty database, ids kept; the row counts."""
    header, _ = verify(path, progress)
    upgrade(db)
    counts = {table.name: 0 for table in TABLES if table.name in header["tables"]}
    with db.connect() as conn, conn.transaction():
        stored = conn.run("count_stored_rows")
        if stored:
            raise BackupError(
                f"the database already holds {stored} users, categories and items; restore only into an empty one"
            )
        # An older schema's backup restores when its tables are laid out as
        # today's (verify checked that): the migrations since changed others.
        version = int(conn.run("get_setting", name="schema_version")["value"])
        if header["schema_version"] > version:
            raise BackupError(
                f"the backup has schema version {header['schema_version']}, newer than the database's {version}"
            )
        # Read again, checked again as it goes: if the file changed since the
        # check above, the error comes before the commit and nothing stays.
        _, rows = read_backup(path)
        for name, row in rows:
            if name == "users":
                # Every token from before is refused, even one whose session id a new login gets again.
                row["security_stamp"] = new_stamp()
            if name == "settings":
                _restore_setting(conn, row)
            else:
                conn.run(TABLE_BY_NAME[name].insert_query, **row)
            _counted(counts, name, progress, " restored")
        for name, count in counts.items():
            progress(f"{name}: {count} rows restored")
    return counts


def _restore_setting(conn, row):
    if row["name"] == "schema_version":
        return  # the database's own stays: it says what its tables are
    if conn.run("update_restored_setting", name=row["name"], value=row["value"]) == 0:
        conn.run("insert_setting", name=row["name"], value=row["value"])
