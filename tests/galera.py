"""A private three-node MariaDB Galera cluster for the tests: three `mariadbd` on 127.0.0.1, no system service.

Node 1 is set up by `mariadb-install-db` and bootstrapped with
`--wsrep-new-cluster`; nodes 2 and 3 join it and copy its data by rsync
state transfer. The group timeouts are cut from Galera's seconds to a
fraction of that, so that a killed node is dropped from the primary
component quickly and the survivors' writes stall for under two seconds.
Run as root, each `mariadbd` runs as `mysql` on folders owned by mysql: the
rsync transfer script drops to an unprivileged user and could not write
otherwise.
"""

import getpass
import os
import shutil
import signal
import subprocess
import time
from urllib.parse import quote

import pymysql
from pymysql.constants import ER

from dbserver import APP_PASSWORD, APP_USER, SPEED_OPTIONS, MariaDB, _RootCursor, tmpdir_option
from live import free_port, require_binary, require_file

PROVIDER = "/usr/lib/galera/libgalera_smm.so"
NODES = 3
START_TIMEOUT_SECONDS = 90
# Quicker than Galera's defaults (suspect 5 s, inactive 15 s): on loopback a
# node silent for two seconds is gone. Not much less: on a loaded machine a
# busy node would be suspected and the group would lose its primary component
# for a moment. Order matters to Galera: keepalive <= check period <= suspect
# <= inactive.
GROUP_OPTIONS = (
    "evs.keepalive_period=PT0.5S",
    "evs.inactive_check_period=PT0.5S",
    "evs.suspect_timeout=PT2S",
    "evs.inactive_timeout=PT4S",
    "evs.install_timeout=PT4S",
    "gmcast.peer_timeout=PT2S",
    "pc.announce_timeout=PT1S",
    "gcache.size=32M",
)
WSREP_OPTIONS = (
    "--wsrep-on=ON",
    f"--wsrep-provider={PROVIDER}",
    "--wsrep-cluster-name=oppmini-test",
    "--wsrep-sst-method=rsync",
    "--binlog-format=ROW",
    "--default-storage-engine=InnoDB",
    "--innodb-autoinc-lock-mode=2",
    "--wsrep-slave-threads=2",
    # As contrib/galera/60-galera.cnf: a table without a primary key is refused.
    "--wsrep-mode=REQUIRED_PRIMARY_KEY",
)


class GaleraNode:
    """One `mariadbd` of the cluster: its folder, ports and process."""

    def __init__(self, folder, number):
        self.number = number
        self.folder = folder / f"node{number}"
        self.data = self.folder / "data"
        self.socket = str(self.folder / "mariadb.sock")
        self.port = free_port()
        self.group_port = free_port()
        self.ist_port = free_port()
        self.sst_port = free_port()
        self.process = None

    def arguments(self, server_binary, user, peers):
        provider_options = ";".join(
            (
                *GROUP_OPTIONS,
                f"gmcast.listen_addr=tcp://127.0.0.1:{self.group_port}",
                f"ist.recv_addr=127.0.0.1:{self.ist_port}",
            )
        )
        return [
            server_binary,
            "--no-defaults",
            f"--datadir={self.data}",
            tmpdir_option(self.data),
            f"--user={user}",
            f"--port={self.port}",
            "--bind-address=127.0.0.1",
            f"--socket={self.socket}",
            f"--pid-file={self.folder / 'mariadb.pid'}",
            *SPEED_OPTIONS,
            *WSREP_OPTIONS,
            f"--wsrep-node-name=node{self.number}",
            f"--wsrep-node-address=127.0.0.1:{self.group_port}",
            f"--wsrep-sst-receive-address=127.0.0.1:{self.sst_port}",
            f"--wsrep-cluster-address=gcomm://{peers}",
            f"--wsrep-provider-options={provider_options}",
        ]

    def log(self):
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def state(self):
        """(wsrep_ready, wsrep_local_state_comment), or None while the server does not answer."""
        try:
            connection = pymysql.connect(unix_socket=self.socket, user="root", connect_timeout=2)
        except pymysql.err.OperationalError:
            return None
        try:
            with connection.cursor() as cursor:
                cursor.execute("SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state_comment')")
                status = dict(cursor.fetchall())
        finally:
            connection.close()
        return status.get("wsrep_ready"), status.get("wsrep_local_state_comment")


class GaleraCluster(MariaDB):
    """Three nodes; `stop()` shuts them down and removes their folders. Root access goes through node 1
    unless a node is named; `url(database, first=n)` lists every node, node `n` first."""

    def __init__(self):
        self.install_db = require_binary("mariadb-install-db", "mariadb-server")
        self.server_binary = require_binary("mariadbd", "mariadb-server")
        require_binary("rsync", "rsync")
        require_file(PROVIDER, "galera-4")
        super().__init__()
        self.nodes = [GaleraNode(self.folder, number) for number in range(1, NODES + 1)]
        # As root, mariadbd runs as mysql (rsync state transfer needs a user that owns the data).
        self.user = "mysql" if os.geteuid() == 0 else getpass.getuser()
        self.socket = self.nodes[0].socket
        self.port = self.nodes[0].port

    def start(self):
        started = time.monotonic()
        first = self.nodes[0]
        for node in self.nodes:
            node.data.mkdir(parents=True)
        if self.user != getpass.getuser():
            os.chmod(self.folder, 0o755)
            for path in (self.folder, *self.folder.rglob("*")):
                shutil.chown(path, self.user, self.user)
        self.install(first.data, f"--user={self.user}")
        self._launch(first, bootstrap=True)
        self.create_app_user()
        # The joiners copy node 1's data by rsync state transfer, one donor at a time.
        for node in self.nodes[1:]:
            self._launch(node)
        for node in self.nodes:
            self.wait_synced(node)  # node 1 too: it was the donor
        self.start_seconds = time.monotonic() - started
        return self

    def _launch(self, node, bootstrap=False):
        peers = ",".join(f"127.0.0.1:{peer.group_port}" for peer in self.nodes)
        arguments = node.arguments(self.server_binary, self.user, peers)
        if bootstrap:
            arguments.append("--wsrep-new-cluster")
        with open(node.folder / "server.log", "ab") as log:
            node.process = subprocess.Popen(arguments, stdout=log, stderr=subprocess.STDOUT)
        if bootstrap:
            self.wait_synced(node)

    def wait_synced(self, node, timeout=START_TIMEOUT_SECONDS):
        """Wait until `node` is ready and Synced; the seconds it took."""
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if node.process.poll() is not None:
                raise RuntimeError(f"node {node.number} exited with {node.process.returncode}:\n{node.log()}")
            if node.state() == ("ON", "Synced"):
                return time.monotonic() - started
            time.sleep(0.05)
        raise RuntimeError(f"node {node.number} not Synced within {timeout}s:\n{node.log()}")

    def create_database(self):
        # Right after a node joins or leaves, the group may take a moment to agree (1047 meanwhile).
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                return super().create_database()
            except pymysql.err.OperationalError as error:
                if error.args[0] != ER.UNKNOWN_COM_ERROR or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def kill(self, node):
        """`kill -9` the node's server, as a power cut would."""
        node.process.send_signal(signal.SIGKILL)
        node.process.wait()

    def restart(self, node):
        """Start a killed node again: it rejoins the cluster (IST, or SST if the cache is gone)."""
        self._launch(node)

    def root(self, node=None):
        return _RootCursor((node or self.nodes[0]).socket)

    def url(self, database, scheme="mysql", first=1, hosts=None, **_):
        """A db_connect URL listing every node (or `hosts` node numbers), node `first` first."""
        numbers = hosts or [first] + [n for n in range(1, NODES + 1) if n != first]
        where = ",".join(f"127.0.0.1:{self.nodes[n - 1].port}" for n in numbers)
        credentials = f"{quote(APP_USER, safe='')}:{quote(APP_PASSWORD, safe='')}"
        return f"{scheme}://{credentials}@{where}/{database}"

    def processes(self):
        return [node.process for node in self.nodes if node.process is not None]

    def log(self):
        return "\n".join(f"--- node {node.number}\n{node.log()}" for node in self.nodes)
