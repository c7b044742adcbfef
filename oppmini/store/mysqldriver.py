"""The MySQL/MariaDB driver under the adapter (db.py): one server, or the nodes of a Galera cluster."""

import contextlib
import secrets
import time

import pymysql
from pymysql.constants import CLIENT, CR, ER

from .dberrors import Busy, Duplicate, Unavailable
from .nodes import NodeList, NotReady, check_ready

# A server that does not answer a connection attempt within this is reported
# as unavailable (503) rather than holding the request thread.
CONNECT_TIMEOUT_SECONDS = 5
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
# MySQL's migration lock row: how often a waiting start looks again, and how
# old a row must be to count as left by a start that died (migrations take
# seconds; a start waits up to migrations.LOCK_WAIT_SECONDS).
LOCK_POLL_SECONDS = 0.2
STALE_LOCK_SECONDS = 120


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
                self.close_quietly(raw)
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

    # No checkpoints to defer: the server writes its own log in the background.
    @staticmethod
    def defer_checkpoint(raw):
        pass

    @staticmethod
    def checkpoint_deferred(raw, committed):
        pass

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
        try:
            # Clearing a dead holder's row loses races too (on a cluster, to the write of a start
            # through another node): then this start waits and polls again, as for its own insert.
            conn.run("delete_stale_migration_lock", lock_name=name, taken_before=now - STALE_LOCK_SECONDS)
            conn.run("insert_migration_lock", lock_name=name, holder=holder, taken_at=now)
        except (Duplicate, Busy):
            return False
        return True

    @staticmethod
    def as_dict(row):
        return dict(row)

    @staticmethod
    def as_values(row):
        # A DictCursor's row keeps the SELECT's order.
        return tuple(row.values())

    @classmethod
    def is_busy(cls, error):
        return bool(error.args) and error.args[0] in cls.busy_codes

    @classmethod
    def is_too_large(cls, error):
        return tuple(error.args[:2]) == cls.too_large

    @staticmethod
    def close_quietly(raw):
        """Close a raw connection, whatever state it is in."""
        try:
            raw.close()
        except pymysql.err.Error:
            pass  # a connection that is already gone needs no closing
