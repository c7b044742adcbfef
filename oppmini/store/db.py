"""The DB-API adapter: one connection per request, named queries, rows as dicts."""

import contextlib
import os
import secrets
import threading
import time

from .dberrors import Busy, DatabaseError, Duplicate, TooLarge, Unavailable, unavailable
from .dburl import parse_db_url
from .drivers import driver_class
from .queries import load_queries, shape_of

# What callers import from here, whichever module holds it.
__all__ = [
    "Busy",
    "Connection",
    "Database",
    "DatabaseError",
    "Duplicate",
    "TooLarge",
    "Unavailable",
    "pause_after_conflict",
    "unavailable",
]

# Kept connections inherited through a fork: never used, never closed by the child.
_LEFT_TO_PARENT = []
# The longest pause before the first retry of a transaction that lost a race;
# each later one waits up to twice as long as the one before.
CONFLICT_PAUSE_MS = 20


class Connection:
    """One request's connection; `run` executes a named query and shapes its result."""

    def __init__(self, raw, driver, queries):
        self.raw = raw
        self.driver = driver
        self.queries = queries
        self.in_transaction = False
        self._writes_much = False

    def writes_much(self):
        """Say that the open transaction writes megabytes (a file): on SQLite its commit then leaves
        copying the log into the database to a thread of its own (checkpoints.py), not the request."""
        if self.in_transaction and not self._writes_much:
            self._writes_much = True
            self.driver.defer_checkpoint(self.raw)

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

    def values(self, query, /, **params):
        """A list query's rows as tuples of their values in the SELECT's order: for a caller that only
        compares or digests rows, without a dict made for each."""
        if shape_of(query) != "list":
            raise ValueError(f"{query} is not a list query")
        cursor = self._execute(self.queries[query], params)
        try:
            return list(map(self.driver.as_values, cursor.fetchall()))
        finally:
            cursor.close()

    def execute(self, statement):
        """A statement with no parameters and no result, such as a migration's DDL."""
        self._execute(statement, None).close()

    def _execute(self, sql, params):
        cursor = self.raw.cursor()
        try:
            if params is None:
                cursor.execute(sql)
            else:
                cursor.execute(sql, params)
        except self.driver.integrity_errors as error:
            cursor.close()
            raise Duplicate(type(error).__name__) from None
        except self.driver.unavailable_errors as error:
            cursor.close()
            raise unavailable(self.driver, error) from None
        return cursor

    def _control(self, sql):
        """A transaction-control statement (BEGIN and the like), through a cursor as both drivers allow."""
        cursor = self.raw.cursor()
        try:
            cursor.execute(sql)
        except self.driver.unavailable_errors as error:
            raise unavailable(self.driver, error) from None
        finally:
            cursor.close()

    @contextlib.contextmanager
    def transaction(self, write=True):
        """Everything inside commits together or not at all; nesting joins the outer one."""
        if self.in_transaction:
            yield self
            return
        self._control(self.driver.begin_sql(write))
        self.in_transaction = True
        committed = False
        try:
            yield self
        except BaseException:
            self._rollback()
            raise
        else:
            try:
                self.raw.commit()
            except self.driver.unavailable_errors as error:
                raise unavailable(self.driver, error) from None
            committed = True
        finally:
            self.in_transaction = False
            if self._writes_much:
                self._writes_much = False
                self._checkpoint_deferred(committed)

    def _checkpoint_deferred(self, committed):
        try:
            self.driver.checkpoint_deferred(self.raw, committed)
        except self.driver.unavailable_errors:
            pass  # the connection is gone, and with it the setting

    def _rollback(self):
        try:
            self.raw.rollback()
        except self.driver.unavailable_errors:
            pass  # the connection is gone, and the server drops its transaction with it


class Database:
    """Where the data lives; `connect()` hands out one connection per request."""

    def __init__(self, url):
        target = parse_db_url(url)
        self.dialect = target.dialect
        self.queries = load_queries(self.dialect)
        self.driver = driver_class(target.dialect)(target, self.queries)
        self._kept = threading.local()

    @contextlib.contextmanager
    def connect(self, keep=False, causal=True):
        """A connection for one request; with `keep`, on a driver that allows it, the
        calling thread's own connection, left open for its next request (never shared
        between threads, never used across a fork, never once its file was replaced).
        On a cluster the connection's reads see every transaction committed before it
        on any node, unless `causal` is False (nodes.py)."""
        keep = keep and getattr(self.driver, "keeps_connections", False)
        raw, identity = self._take_kept() if keep else (None, None)
        if raw is None:
            # Looked at before opening: should the file change in between, the
            # next request sees a difference and opens again (the safe way round).
            identity = self.driver.file_identity() if keep else None
            try:
                raw = self.driver.open(causal)
            except self.driver.unavailable_errors as error:
                raise unavailable(self.driver, error) from None
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
            if reusable and identity is not None and self._clean(raw):
                self._kept.entry = (os.getpid(), raw, identity)
            else:
                self.driver.close_quietly(raw)

    def _take_kept(self):
        """The thread's kept connection and the file identity it was opened on, or (None, None)."""
        entry = getattr(self._kept, "entry", None)
        self._kept.entry = None
        if entry is None:
            return None, None
        pid, raw, identity = entry
        if pid != os.getpid():
            # Made before a fork: it belongs to the parent. Closing it here could
            # disturb the parent's locks, so hold it, untouched, for good.
            _LEFT_TO_PARENT.append(raw)
            return None, None
        if self.driver.file_identity() != identity:
            # The file was moved, replaced or removed (a restore, an outage): this
            # connection would go on with the old one. One stat() a request.
            self.driver.close_quietly(raw)
            return None, None
        return raw, identity

    def _clean(self, raw):
        """True when `raw` holds no open transaction (rolling back any it still has)."""
        try:
            if raw.in_transaction:
                raw.rollback()
            return not raw.in_transaction
        except self.driver.unavailable_errors:
            return False


def pause_after_conflict(attempt):
    """Sleep a random moment, up to twice as long after each lost race, before a transaction runs again.

    Writers that lost to each other on a cluster (certification at commit) would
    otherwise come back together and collide again; one that keeps losing to a
    long transaction (a key rotation re-sealing a collection) waits it out.
    """
    time.sleep(secrets.randbelow(CONFLICT_PAUSE_MS * 2 ** (attempt - 1) + 1) / 1000)
