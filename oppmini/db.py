"""The DB-API adapter: one connection per request, named queries, rows as dicts."""

import contextlib
import os
import sqlite3
import threading
from pathlib import Path

from .dburl import parse_db_url
from .queries import create_script, load_queries, shape_of

BUSY_TIMEOUT_SECONDS = 30
# Kept connections inherited through a fork: never used, never closed by the child.
_LEFT_TO_PARENT = []


class DatabaseError(Exception):
    """Base of the adapter's errors; carries no SQL parameters, which may be secret."""


class Duplicate(DatabaseError):
    """A write broke a uniqueness or reference constraint (either driver)."""


class Unavailable(DatabaseError):
    """The database cannot be reached or opened right now."""


class SqliteDriver:
    dialect = "sqlite"
    # Opening costs ~0.5-1 ms (schema parse; in WAL mode the last close also
    # checkpoints and deletes the -wal file, the next open recreates it),
    # against ~5 µs for a small query on an open connection.
    keeps_connections = True
    integrity_errors = (sqlite3.IntegrityError,)
    unavailable_errors = (sqlite3.OperationalError,)

    def __init__(self, target):
        self.path = target.path

    def open(self):
        # isolation_level=None: the adapter says BEGIN itself, so reads never
        # hold a lock while a request does slow Argon2 work.
        raw = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        raw.row_factory = sqlite3.Row
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute("PRAGMA synchronous = NORMAL")
        return raw

    def prepare_storage(self):
        folder = Path(self.path).resolve().parent
        folder.mkdir(parents=True, exist_ok=True)
        raw = self.open()
        try:
            # WAL is a property of the file: readers never wait for the writer.
            raw.execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()

    @staticmethod
    def begin_sql(write):
        # IMMEDIATE takes the write lock up front, so a read-then-write
        # transaction waits for the busy timeout instead of failing midway.
        return "BEGIN IMMEDIATE" if write else "BEGIN"

    @staticmethod
    def run_script(raw, script):
        raw.executescript(script)

    # sqlite3.Row is a mapping: the builtin makes the dict, with no Python frame per row.
    as_dict = staticmethod(dict)


DRIVERS = {"sqlite": SqliteDriver}


class Connection:
    """One request's connection; `run` executes a named query and shapes its result."""

    def __init__(self, raw, driver, queries):
        self.raw = raw
        self.driver = driver
        self.queries = queries
        self.in_transaction = False

    def run(self, query, /, **params):
        sql = self.queries[query]
        shape = shape_of(query)
        cursor = self._execute(sql, params)
        try:
            if shape == "get":
                row = cursor.fetchone()
                return None if row is None else self.driver.as_dict(row)
            if shape == "list":
                return list(map(self.driver.as_dict, cursor.fetchall()))
            if shape == "count":
                row = cursor.fetchone()
                return next(iter(self.driver.as_dict(row).values()))
            if shape == "insert":
                return cursor.lastrowid
            return cursor.rowcount
        finally:
            cursor.close()

    def _execute(self, sql, params):
        cursor = self.raw.cursor()
        try:
            cursor.execute(sql, params)
        except self.driver.integrity_errors as error:
            cursor.close()
            raise Duplicate(type(error).__name__) from None
        except self.driver.unavailable_errors as error:
            cursor.close()
            raise Unavailable(str(error)) from None
        return cursor

    @contextlib.contextmanager
    def transaction(self, write=True):
        """Everything inside commits together or not at all; nesting joins the outer one."""
        if self.in_transaction:
            yield self
            return
        try:
            self.raw.execute(self.driver.begin_sql(write))
        except self.driver.unavailable_errors as error:
            raise Unavailable(str(error)) from None
        self.in_transaction = True
        try:
            yield self
        except BaseException:
            self.raw.rollback()
            raise
        else:
            self.raw.commit()
        finally:
            self.in_transaction = False


class Database:
    """Where the data lives; `connect()` hands out one connection per request."""

    def __init__(self, url):
        target = parse_db_url(url)
        self.driver = DRIVERS[target.dialect](target)
        self.dialect = target.dialect
        self.queries = load_queries(self.dialect)
        self._kept = threading.local()

    @contextlib.contextmanager
    def connect(self, keep=False):
        """A connection for one request; with `keep`, on a driver that allows it, the
        calling thread's own connection, left open for its next request (never shared
        between threads, never used across a fork)."""
        keep = keep and getattr(self.driver, "keeps_connections", False)
        raw = self._take_kept() if keep else None
        if raw is None:
            try:
                raw = self.driver.open()
            except self.driver.unavailable_errors as error:
                raise Unavailable(str(error)) from None
        reusable = False
        try:
            yield Connection(raw, self.driver, self.queries)
            reusable = keep
        except DatabaseError:
            raise  # a connection that failed is never kept
        except BaseException:
            reusable = keep
            raise
        finally:
            if reusable and self._clean(raw):
                self._kept.entry = (os.getpid(), raw)
            else:
                raw.close()

    def _take_kept(self):
        entry = getattr(self._kept, "entry", None)
        self._kept.entry = None
        if entry is None:
            return None
        if entry[0] != os.getpid():
            # Made before a fork: it belongs to the parent. Closing it here could
            # disturb the parent's locks, so hold it, untouched, for good.
            _LEFT_TO_PARENT.append(entry[1])
            return None
        return entry[1]

    def _clean(self, raw):
        """True when `raw` holds no open transaction (rolling back any it still has)."""
        try:
            if raw.in_transaction:
                raw.rollback()
            return not raw.in_transaction
        except self.driver.unavailable_errors:
            return False

    def create_schema(self):
        """Create what is missing; harmless to run on a database already in use."""
        self.driver.prepare_storage()
        with self.connect() as conn:
            self.driver.run_script(conn.raw, create_script(self.dialect))
