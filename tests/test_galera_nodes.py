"""Several database hosts in db_connect: the first ready node serves, a node not ready is skipped until it is back."""

import socket
import subprocess
import time

import pytest
import webtest

from conftest import CHEAP_ARGON2, Auth, Vault
from live import ROOT, free_port, require_binary
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


def test_the_contrib_haproxy_config_is_valid_and_carries_an_app_to_the_cluster(galera, galera_database, tmp_path):
    haproxy = require_binary("haproxy", "haproxy")
    contrib = ROOT / "contrib" / "galera" / "haproxy.cfg"
    check = subprocess.run([haproxy, "-c", "-f", str(contrib)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    # The same file, with the test cluster's ports for db1..db3 and a free one to listen on.
    port = free_port()
    text = contrib.read_text().replace("bind 127.0.0.1:3306", f"bind 127.0.0.1:{port}")
    for number, node in enumerate(galera.nodes, 1):
        text = text.replace(f"db{number}:3306", f"127.0.0.1:{node.port}")
    config = tmp_path / "haproxy.cfg"
    config.write_text(text)
    with galera.root() as cursor:
        cursor.execute("CREATE USER IF NOT EXISTS 'haproxy_check'@'127.0.0.1'")
    with open(tmp_path / "haproxy.log", "wb") as log:
        proxy = subprocess.Popen([haproxy, "-db", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port)
        one_address = galera.url(galera_database, hosts=[1]).replace(f":{galera.nodes[0].port}/", f":{port}/")
        client = webtest.TestApp(make_app(Config(db_connect=one_address, allow_signup=True, **CHEAP_ARGON2)))
        vault = Vault(client, Auth(client).user("alice"))
        vault.add_items({"name": "Bank", "password": "through the proxy"})
        assert serving_port(Database(one_address)) == galera.nodes[0].port  # db1 active, the others backups
    finally:
        proxy.terminate()
        proxy.wait(10)
    direct = webtest.TestApp(make_app(Config(db_connect=galera.url(galera_database, first=3), **CHEAP_ARGON2)))
    headers = Auth(direct).headers(Auth(direct).login("alice"))
    assert [item["password"] for item in direct.get("/v1/items", headers=headers).json["items"]] == [
        "through the proxy"
    ]


def wait_for_port(port, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"nothing listens on {port}"
            time.sleep(0.05)
