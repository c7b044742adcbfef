"""The drivers under the adapter (db.py): SQLite files here, MySQL/MariaDB servers in mysqldriver.py."""

import contextlib
import os
import sqlite3
from pathlib import Path

from . import checkpoints, sqlitefiles

BUSY_TIMEOUT_SECONDS = 30


class SqliteDriver:
    dialect = "sqlite"
    # Opening costs ~0.5-1 ms (schema parse; in WAL mode the last close also
    # checkpoints and deletes the -wal file, the next open recreates it),
    # against ~5 µs for a small query on an open connection.
    keeps_connections = True
    integrity_errors = (sqlite3.IntegrityError,)
    unavailable_errors = (sqlite3.OperationalError,)

    def __init__(self, target, queries):
        self.path = target.path

    def file_identity(self):
        """(device, inode) of the database file now, or None when it is not there."""
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        return status.st_dev, status.st_ino

    def open(self, causal=True):
        sqlitefiles.create_private(self.path)
        # isolation_level=None: the adapter says BEGIN itself, so reads never
        # hold a lock while a request does slow Argon2 work.
        raw = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        raw.row_factory = sqlite3.Row
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute("PRAGMA synchronous = NORMAL")
        return raw

    def prepare_storage(self):
        sqlitefiles.make_private_folders(Path(self.path).resolve().parent)
        sqlitefiles.tighten(self.path)
        raw = self.open()
        try:
            sqlitefiles.ensure_wal(raw, BUSY_TIMEOUT_SECONDS)
        finally:
            raw.close()

    @staticmethod
    def defer_checkpoint(raw):
        checkpoints.pause(raw)

    def checkpoint_deferred(self, raw, committed):
        checkpoints.resume(raw)
        if committed:
            checkpoints.soon(self.path)

    @staticmethod
    def begin_sql(write):
        # IMMEDIATE takes the write lock up front, so a read-then-write
        # transaction waits for the busy timeout instead of failing midway.
        return "BEGIN IMMEDIATE" if write else "BEGIN"

    @staticmethod
    @contextlib.contextmanager
    def migration_lock(conn, name, wait_seconds):
        # Nothing to take: each migration runs in a BEGIN IMMEDIATE transaction,
        # which holds SQLite's one write lock and waits for it as any write does.
        yield

    # sqlite3.Row is a mapping: the builtin makes the dict, with no Python frame per row.
    as_dict = staticmethod(dict)
    # ... and a sequence, in the SELECT's order.
    as_values = staticmethod(tuple)

    @staticmethod
    def is_busy(error):
        return "locked" in str(error) or "busy" in str(error)

    @staticmethod
    def is_too_large(error):
        return False  # one file, no replication

    @staticmethod
    def close_quietly(raw):
        """Close a raw connection, whatever state it is in."""
        try:
            raw.close()
        except sqlite3.Error:
            pass  # a connection that is already gone needs no closing


def driver_class(dialect):
    """The driver of `dialect` ("sqlite" or "mysql")."""
    if dialect == "sqlite":
        return SqliteDriver
    # Imported by a server that uses MySQL only: PyMySQL and what it loads take up to 8 MiB of
    # every serving process's memory.
    from .mysqldriver import MysqlDriver

    return MysqlDriver
