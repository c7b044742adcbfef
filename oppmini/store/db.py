"""The DB-API adapter: one connection per request, named queries, rows as dicts."""

import contextlib
import os
import secrets
import sqlite3
import threading
import time
from pathlib import Path

import pymysql
from pymysql.constants import CLIENT, CR, ER

from . import sqlitefiles
from .dburl import parse_db_url
from .nodes import NodeList, NotReady, check_ready
from .queries import load_queries, shape_of

BUSY_TIMEOUT_SECONDS = 30
# A server that does not answer a connection attempt within this is reported
# as unavailable (503) rather than holding the request thread.
CONNECT_TIMEOUT_SECONDS = 5
# Kept connections inherited through a fork: never used, never closed by the child.
_LEFT_TO_PARENT = []
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
# MySQL's migration lock row: how often a waiting start looks again, and how
# old a row must be to count as left by a start that died (migrations take
# seconds; a start waits up to migrations.LOCK_WAIT_SECONDS).
LOCK_POLL_SECONDS = 0.2
STALE_LOCK_SECONDS = 120
# The longest pause before the first retry of a transaction that lost a race;
# each later one waits up to twice as long as the one before.
CONFLICT_PAUSE_MS = 20


class DatabaseError(Exception):
    """Base of the adapter's errors; carries no SQL parameters, which may be secret."""


class Duplicate(DatabaseError):
    """A write broke a uniqueness or reference constraint (either driver)."""


class Unavailable(DatabaseError):
    """The database cannot be reached or opened right now."""


class TooLarge(DatabaseError):
    """A transaction larger than a database cluster replicates (Galera's wsrep_max_ws_size): it was
    rolled back whole, and running it again would fail the same way."""


class Busy(Unavailable):
    """A transaction lost a lock race (deadlock, lock timeout); running it again may succeed."""


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

    @staticmethod
    def is_busy(error):
        return "locked" in str(error) or "busy" in str(error)

    @staticmethod
    def is_too_large(error):
        return False  # one file, no replication


class MysqlDriver:
    """PyMySQL: utf8mb4, autocommit outside explicit transactions, rows as dicts."""

    dialect = "mysql"
    integrity_errors = (pymysql.err.IntegrityError,)
    unavailable_errors = (pymysql.err.OperationalError, pymysql.err.InterfaceError)
    # Deadlock is also how Galera reports a transaction that lost certification
    # at commit; 1047 is a node that left the primary component (or has not
    # joined it yet), which refuses statements before anything is applied.
    busy_codes = (ER.LOCK_DEADLOCK, ER.LOCK_WAIT_TIMEOUT, ER.UNKNOWN_COM_ERROR)
    # Galera's refusal of a transaction over wsrep_max_ws_size (a generic code, so the words tell).
    too_large = (ER.UNKNOWN_ERROR, "Maximum writeset size exceeded")

    def __init__(self, target, queries):
        self.target = target
        self.queries = queries
        # Several hosts: the nodes of a cluster, each checked before use (nodes.py).
        self.nodes = NodeList(target.hosts) if len(target.hosts) > 1 else None

    def open(self, causal=True):
        """A connection to the one server, or to the first ready node of a cluster (causal: see nodes.py)."""
        if self.nodes is None:
            return self._connect(self.target.host, self.target.port)
        fault = None
        for host in self.nodes.in_order():
            try:
                raw = self._connect(*host)
            except self.unavailable_errors as error:
                self.nodes.failed(host)
                fault = error
                continue
            try:
                self._check_node(raw, host, causal)
            except (NotReady, *self.unavailable_errors) as error:
                _close(raw)
                self.nodes.failed(host)
                fault = error
                continue
            self.nodes.answered(host)
            return raw
        raise pymysql.err.OperationalError(CR.CR_CONN_HOST_ERROR, f"no database node is ready (last: {fault})")

    def _check_node(self, raw, host, causal):
        with raw.cursor() as cursor:
            cursor.execute(self.queries["get_causal_barrier" if causal else "get_node_bare"])
            if not cursor.fetchone()["wsrep_on"]:
                return  # a plain server in the list serves as it would alone
            if causal and not self.nodes.state_due(host):
                return
            cursor.execute(self.queries["list_node_status"])
            check_ready(cursor.fetchall())

    def _connect(self, host, port):
        target = self.target
        local = target.unix_socket is not None or host in LOCAL_HOSTS
        return pymysql.connect(
            host=host,
            port=port,
            unix_socket=target.unix_socket,
            user=target.user,
            password=target.password,
            database=target.database,
            charset="utf8mb4",
            cursorclass=pymysql.cursors.DictCursor,
            # Like the SQLite adapter: each statement commits by itself unless
            # transaction() has said START TRANSACTION.
            autocommit=True,
            # rowcount counts matched rows, as SQLite does, not only changed ones.
            client_flag=CLIENT.FOUND_ROWS,
            # Refuse over-long or out-of-range values instead of storing a
            # truncated one; REPEATABLE READ makes a read transaction one snapshot
            # whatever the server's default is.
            sql_mode="TRADITIONAL",
            init_command="SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            # TLS over a socket or loopback protects nothing, and PyMySQL's
            # default (try TLS) loads the CA store on every connection, tens of
            # milliseconds per request. Remote servers keep that default.
            ssl_disabled=local,
        )

    def prepare_storage(self):
        pass  # the database itself is created by its administrator (see README)

    @staticmethod
    def begin_sql(write):
        return "START TRANSACTION" if write else "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"

    @contextlib.contextmanager
    def migration_lock(self, conn, name, wait_seconds):
        # DDL commits implicitly on MySQL, so no transaction can hold the other
        # nodes back: a row can, held from its insert to its delete. (GET_LOCK
        # would not: on a Galera cluster it is local to one node.)
        conn.run("update_migration_lock_table")
        holder = secrets.token_hex(16)
        deadline = time.monotonic() + wait_seconds
        while not self._took_lock(conn, name, holder):
            if time.monotonic() > deadline:
                raise Unavailable(f"another process held the lock '{name}' for over {wait_seconds}s")
            time.sleep(LOCK_POLL_SECONDS)
        try:
            if self.nodes is not None:
                conn.run("get_causal_barrier")  # what the last holder did is applied here before it is read
            yield
        finally:
            conn.run("delete_migration_lock", lock_name=name, holder=holder)

    @staticmethod
    def _took_lock(conn, name, holder):
        now = int(time.time())
        conn.run("delete_stale_migration_lock", lock_name=name, taken_before=now - STALE_LOCK_SECONDS)
        try:
            conn.run("insert_migration_lock", lock_name=name, holder=holder, taken_at=now)
        except (Duplicate, Busy):
            return False
        return True

    @staticmethod
    def as_dict(row):
        return dict(row)

    @classmethod
    def is_busy(cls, error):
        return bool(error.args) and error.args[0] in cls.busy_codes

    @classmethod
    def is_too_large(cls, error):
        return tuple(error.args[:2]) == cls.too_large


DRIVERS = {"sqlite": SqliteDriver, "mysql": MysqlDriver}


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
        finally:
            self.in_transaction = False

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
        self.driver = DRIVERS[target.dialect](target, self.queries)
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
                _close(raw)

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
            _close(raw)
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


def unavailable(driver, error):
    """The adapter's error for a driver's operational one: Busy when a retry may help, TooLarge when
    the cluster refused the transaction's size."""
    if driver.is_too_large(error):
        return TooLarge(str(error))
    return (Busy if driver.is_busy(error) else Unavailable)(str(error))


def _close(raw):
    try:
        raw.close()
    except (sqlite3.Error, pymysql.err.Error):
        pass  # a connection that is already gone needs no closing
