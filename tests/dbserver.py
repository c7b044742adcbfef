"""A private MariaDB server for the tests: its own data folder, port and socket, no system service."""

import getpass
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pymysql

from live import free_port, require_binary

START_TIMEOUT_SECONDS = 60
# The app connects as this user, whose password needs percent-encoding in a
# URL, so every MariaDB test also checks that db_connect decodes it.
APP_USER = "opp"
APP_PASSWORD = "p@ss:w/rd%?#"
# Durability traded for speed: the server and its data die with the session.
SPEED_OPTIONS = (
    "--skip-log-bin",
    "--skip-name-resolve",
    "--innodb-buffer-pool-size=64M",
    "--innodb-log-file-size=16M",
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--innodb-flush-method=nosync",
    "--innodb-file-per-table=0",
    "--max-connections=200",
)


def tmpdir_option(data):
    """`--tmpdir=` a folder beside `data`, owned like the folder that holds it.

    Two servers bootstrapping at once in the shared /tmp have been seen to
    collide on an internal temporary table's file name and abort: each
    server (and its `mariadb-install-db`) gets a temp folder of its own.
    """
    data = Path(data)
    tmp = data.parent / f"{data.name}-tmp"
    tmp.mkdir(exist_ok=True)
    owner = tmp.parent.stat()
    os.chown(tmp, owner.st_uid, owner.st_gid)
    return f"--tmpdir={tmp}"


class MariaDB:
    """`mariadb-install-db` then `mariadbd` in a temp folder; `stop()` shuts it down and removes it."""

    def __init__(self):
        self.install_db = require_binary("mariadb-install-db", "mariadb-server")
        self.server_binary = require_binary("mariadbd", "mariadb-server")
        # A short path: a unix socket path must fit in 107 bytes.
        self.folder = Path(tempfile.mkdtemp(prefix="oppmini-mariadb-"))
        self.socket = str(self.folder / "mariadb.sock")
        self.port = free_port()
        self.process = None
        self._names = itertools.count(1)
        self._free = []  # databases a finished test gave back

    def start(self):
        data = self.folder / "data"
        # --user names the account the server runs as: CI runs as root, which
        # mariadbd refuses unless told so explicitly.
        user = f"--user={getpass.getuser()}"
        self.install(data, user)
        with open(self.folder / "server.log", "wb") as log:
            self.process = subprocess.Popen(
                [
                    self.server_binary,
                    "--no-defaults",
                    f"--datadir={data}",
                    tmpdir_option(data),
                    user,
                    f"--port={self.port}",
                    "--bind-address=127.0.0.1",
                    f"--socket={self.socket}",
                    f"--pid-file={self.folder / 'mariadb.pid'}",
                    *SPEED_OPTIONS,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_ready()
        self.create_app_user()
        return self

    def install(self, data, user):
        """`mariadb-install-db` into the folder `data`, for the server to run as `user` (an option)."""
        install = subprocess.run(
            [
                self.install_db,
                "--no-defaults",
                f"--datadir={data}",
                tmpdir_option(data),
                user,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ],
            capture_output=True,
            text=True,
        )
        if install.returncode != 0:
            raise RuntimeError(f"mariadb-install-db failed:\n{install.stdout}{install.stderr}")

    def create_app_user(self):
        with self.root() as cursor:
            cursor.execute("CREATE USER %s@'%%' IDENTIFIED BY %s", (APP_USER, APP_PASSWORD))
            cursor.execute("GRANT ALL PRIVILEGES ON *.* TO %s@'%%'", (APP_USER,))

    def _wait_until_ready(self):
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"mariadbd exited with {self.process.returncode}:\n{self.log()}")
            try:
                pymysql.connect(unix_socket=self.socket, user="root").close()
                return
            except pymysql.err.OperationalError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"mariadbd was not ready within {START_TIMEOUT_SECONDS}s:\n{self.log()}")

    def root(self):
        """A cursor as root over the socket, autocommitting; use as a context manager."""
        return _RootCursor(self.socket)

    def create_database(self):
        """A new empty database; its name."""
        name = f"opp_test_{os.getpid()}_{next(self._names)}"
        with self.root() as cursor:
            cursor.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        return name

    def checkout(self):
        """A database with no rows for one test: a given-back one emptied, else a new one.

        Emptying (TRUNCATE, which also restarts AUTO_INCREMENT) takes a few
        milliseconds where CREATE and DROP DATABASE plus the DDL take a
        quarter of a second; the tables left in place are the schema's own,
        which the app's schema migrations find there.
        """
        if not self._free:
            return self.create_database()
        name = self._free.pop()
        with self.root() as cursor:
            cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (name,))
            tables = [row[0] for row in cursor.fetchall()]
            # A connection the last test left behind (a server process still
            # winding down, say) would hold a metadata lock and block TRUNCATE.
            cursor.execute(
                "SELECT id FROM information_schema.processlist WHERE db = %s AND id <> CONNECTION_ID()", (name,)
            )
            for (connection_id,) in cursor.fetchall():
                try:
                    cursor.execute(f"KILL {int(connection_id)}")
                except pymysql.MySQLError:
                    pass  # it ended on its own in between
            # Fail, do not hang, should anything else still hold a lock.
            cursor.execute("SET SESSION lock_wait_timeout = 10, foreign_key_checks = 0")
            for table in tables:
                if table == "settings":
                    # The schema version stays: the tables are still at it.
                    cursor.execute(f"DELETE FROM {name}.settings WHERE name <> 'schema_version'")
                else:
                    cursor.execute(f"TRUNCATE TABLE {name}.{table}")
        return name

    def give_back(self, name):
        self._free.append(name)

    def url(self, database, scheme="mysql", via_socket=False, port=None):
        """The db_connect URL for `database`, as the app user, over TCP (`port`, default the server's) or the socket."""
        credentials = f"{quote(APP_USER, safe='')}:{quote(APP_PASSWORD, safe='')}"
        if via_socket:
            return f"{scheme}://{credentials}@localhost/{database}?unix_socket={quote(self.socket)}"
        return f"{scheme}://{credentials}@127.0.0.1:{port or self.port}/{database}"

    def processes(self):
        """The server processes started (one here; a cluster has more)."""
        return [self.process] if self.process is not None else []

    def stop(self):
        running = [process for process in self.processes() if process.poll() is None]
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def log(self):
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""


class _RootCursor:
    def __init__(self, socket):
        self.socket = socket

    def __enter__(self):
        self.connection = pymysql.connect(unix_socket=self.socket, user="root", autocommit=True)
        return self.connection.cursor()

    def __exit__(self, *exc):
        self.connection.close()


class Relay:
    """A TCP forwarder to a database port that a test can cut and restore, as an outage would."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.port = free_port()
        self.listener = None
        self.open_sockets = set()
        self.lock = threading.Lock()

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()
        return self

    def cut(self):
        """Refuse new connections and break every open one."""
        listener, self.listener = self.listener, None
        _shut(listener)  # shutdown, not only close, wakes the thread blocked in accept()
        with self.lock:
            for sock in self.open_sockets:
                _shut(sock)
            self.open_sockets.clear()

    restore = start

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.open_sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _shut(source)
            _shut(sink)
            with self.lock:
                self.open_sockets.discard(source)
                self.open_sockets.discard(sink)


def _shut(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
