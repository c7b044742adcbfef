"""Several database hosts in db_connect: the first ready node serves, a node not ready is skipped until it is back."""

import time

import pytest
import webtest

from conftest import CHEAP_ARGON2
from live import free_port
from oppmini.config import Config
from oppmini.store import nodes
from oppmini.store.db import Database, Unavailable
from oppmini.web.app import make_app


def _server_port(conn):
    cursor = conn.raw.cursor()
    try:
        cursor.execute("SELECT @@port AS port")
        return cursor.fetchone()["port"]
    finally:
        cursor.close()


def serving_port(database, causal=True):
    """The port of the node a new connection of `database` went to."""
    with database.connect(causal=causal) as conn:
        return _server_port(conn)


def desynced(galera, node, on):
    """Take `node` out of Synced (Donor/Desynced) or put it back, as a backup tool would."""
    with galera.root(node) as cursor:
        cursor.execute(f"SET GLOBAL wsrep_desync = {'ON' if on else 'OFF'}")


def test_a_plain_mariadb_after_a_host_that_does_not_answer_serves(mariadb, mariadb_database):
    # No Galera there (wsrep off): a list of hosts is only an order to try them in.
    url = mariadb.url(mariadb_database).replace("@127.0.0.1:", f"@127.0.0.1:{free_port()},127.0.0.1:")
    assert serving_port(Database(url)) == mariadb.port


def test_the_first_ready_node_serves_and_a_desynced_one_is_skipped_until_back(galera, galera_database, monkeypatch):
    monkeypatch.setattr(nodes, "SKIP_SECONDS", 0.3)
    first, second, _ = galera.nodes
    database = Database(galera.url(galera_database, first=1))
    assert serving_port(database) == first.port
    desynced(galera, first, True)
    try:
        # The state is read at most once a second per node: at once for a new process.
        assert serving_port(Database(galera.url(galera_database, first=1))) == second.port
        assert serving_port(database, causal=False) == second.port
    finally:
        desynced(galera, first, False)
    galera.wait_synced(first)
    time.sleep(0.35)
    assert serving_port(database, causal=False) == first.port


def test_a_dead_first_host_fails_over_to_the_next(galera, galera_database):
    url = galera.url(galera_database).replace("@127.0.0.1:", f"@127.0.0.1:{free_port()},127.0.0.1:", 1)
    assert serving_port(Database(url)) == galera.nodes[0].port


def test_no_ready_node_is_unavailable(galera_database):
    url = f"mysql://opp:pw@127.0.0.1:{free_port()},127.0.0.1:{free_port()}/{galera_database}"
    with pytest.raises(Unavailable, match="no database node is ready"):
        with Database(url).connect():
            pass


def test_health_is_503_while_no_node_of_the_app_is_ready(galera, galera_database):
    app = make_app(Config(db_connect=galera.url(galera_database, hosts=[1, 2]), **CHEAP_ARGON2))
    client = webtest.TestApp(app)
    assert client.get("/v1/health").status_int == 200
    for node in galera.nodes[:2]:
        desynced(galera, node, True)
    try:
        answer = client.get("/v1/health", status=503)
        assert answer.json["error"] == "Database unavailable"
        assert answer.headers["Retry-After"] == "1"
    finally:
        for node in galera.nodes[:2]:
            desynced(galera, node, False)
    for node in galera.nodes[:2]:
        galera.wait_synced(node)
    time.sleep(nodes.SKIP_SECONDS)
    assert client.get("/v1/health").status_int == 200
