"""The DB-API adapter: one connection per request, named queries, rows as dicts."""

import contextlib
import sqlite3
from pathlib import Path

from .dburl import parse_db_url
from .queries import create_script, load_queries, shape_of

BUSY_TIMEOUT_SECONDS = 30


class DatabaseError(Exception):
    """Base of the adapter's errors; carries no SQL parameters, which may be secret."""


class Duplicate(DatabaseError):
    """A write broke a uniqueness or reference constraint (either driver)."""


class Unavailable(DatabaseError):
    """The database cannot be reached or opened right now."""


class SqliteDriver:
    dialect = "sqlite"
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

    @staticmethod
    def as_dict(row):
        return dict(row)


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
                return [self.driver.as_dict(row) for row in cursor.fetchall()]
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
            self._commit()
        finally:
            self.in_transaction = False

    def _commit(self):
        # A commit can fail on its own (a full disk, an I/O error): that is the
        # database being unavailable, not a bug, and nothing of it was stored.
        try:
            self.raw.commit()
        except self.driver.unavailable_errors as error:
            try:
                self.raw.rollback()
            except self.driver.unavailable_errors:
                pass  # SQLite may already have rolled back itself
            raise Unavailable(str(error)) from None


class Database:
    """Where the data lives; `connect()` hands out one connection per request."""

    def __init__(self, url):
        target = parse_db_url(url)
        self.driver = DRIVERS[target.dialect](target)
        self.dialect = target.dialect
        self.queries = load_queries(self.dialect)

    @contextlib.contextmanager
    def connect(self):
        try:
            raw = self.driver.open()
        except self.driver.unavailable_errors as error:
            raise Unavailable(str(error)) from None
        try:
            yield Connection(raw, self.driver, self.queries)
        finally:
            raw.close()

    def create_schema(self):
        """Create what is missing; harmless to run on a database already in use."""
        self.driver.prepare_storage()
        with self.connect() as conn:
            self.driver.run_script(conn.raw, create_script(self.dialect))
