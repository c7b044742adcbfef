"""Several database nodes (a MariaDB Galera cluster): which to connect to, and which to skip for now.

A `db_connect` URL that lists several hosts is read as a cluster. A
connection goes to the first node in the URL's order that answers and is
ready: Galera says `wsrep_ready = ON` and the local state `Synced` (a node
that left the primary component, or is still catching up after a restart,
is not). A node that failed is skipped for `SKIP_SECONDS`, then tried again
in its turn, so a node that is back takes its share once more. When every
node is being skipped, all are tried anyway: better a late answer than none.

Each connection costs one more query (MySQL connections are not kept, so one
a request): on request connections it waits for causality
(`wsrep_sync_wait`), returning only once this node has applied every
transaction the cluster committed before it, so a token revoked or a password
changed through another node is seen by this request's reads; outside the
primary component it fails at once. The node's full state (Synced or not) is
read at most every `STATE_SECONDS` per process and node, as it costs ten
times more.
"""

import threading
import time

# How long a node that failed is passed over: longer than a restart's first
# moments, short enough that a node back in the cluster soon takes requests.
SKIP_SECONDS = 2.0
STATE_SECONDS = 1.0
READY = {"wsrep_ready": "ON", "wsrep_local_state_comment": "Synced"}


class NotReady(Exception):
    """A node answered but is not a ready member of the primary component."""


class NodeList:
    """The cluster's nodes in the URL's order, each with the time until which it is skipped."""

    def __init__(self, hosts, clock=time.monotonic):
        self.hosts = tuple(hosts)
        self.clock = clock
        self._skipped_until = {}
        self._state_read_at = {}
        self._lock = threading.Lock()

    def in_order(self):
        """The nodes to try: those not being skipped in the URL's order, then the skipped ones."""
        now = self.clock()
        with self._lock:
            skipped = {host for host, until in self._skipped_until.items() if until > now}
        return [host for host in self.hosts if host not in skipped] + [h for h in self.hosts if h in skipped]

    def failed(self, host):
        with self._lock:
            self._skipped_until[host] = self.clock() + SKIP_SECONDS
            self._state_read_at.pop(host, None)

    def state_due(self, host):
        """Whether the node's state should be read again before it serves (and, if so, counts it read now)."""
        now = self.clock()
        with self._lock:
            if now - self._state_read_at.get(host, -STATE_SECONDS) < STATE_SECONDS:
                return False
            self._state_read_at[host] = now
            return True

    def answered(self, host):
        with self._lock:
            self._skipped_until.pop(host, None)


def check_ready(status):
    """Raise NotReady unless `status` (list_node_status's rows) says the node may serve requests."""
    found = {row["Variable_name"]: row["Value"] for row in status}
    if found != READY:
        raise NotReady(", ".join(f"{name} {found.get(name)}" for name in READY))
