"""serve.py as users start it: a subprocess answering real HTTP."""

import http.client
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

from conftest import CHEAP_ARGON2, claims_of
from live import ROOT, LiveServer, request, write_config
from oppmini.web.app import BUILT_IN_PAGE

# A browser opens up to six connections to a server; a few more make a queue certain.
CONNECTIONS = 8
ROUNDS = 5
QUEUE_DEPTH = "Task queue depth is"
WAITRESS_CONNECTION_LIMIT = 100
OVERLOAD = "total open connections reached the connection limit"


def test_serve_answers_health_and_auth_then_stops_on_sigterm(tmp_path):
    cfg = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", allow_signup="true", **CHEAP_ARGON2)
    server = LiveServer(cfg).start()
    try:
        status, headers, body = request("GET", server.url + "/v1/health")
        assert (status, body["status"]) == (200, "OpenPassPhrase service is running")
        assert headers["Cache-Control"] == "no-store"
        user = {"username": "alice", "password": "pw", "phrase": "phrase one"}
        assert request("PUT", server.url + "/api/v1/user", user)[0] == 200
        status, _, body = request("POST", server.url + "/api/v1/auth", {**user, "exp_delta": 600})
        assert status == 200
        claims = claims_of(body["access_token"])
        assert claims["exp"] - claims["iat"] == 600
    finally:
        code = server.stop(signal.SIGTERM)
    assert code == 0
    assert "stopped" in server.log()
    assert "phrase one" not in server.log()
    # Cheap test costs: said once at start, before the processes fork.
    assert server.log().count("is below OWASP's minimum for Argon2id") == 1


def test_serve_refuses_a_bad_config_in_one_line(tmp_path):
    cfg = write_config(tmp_path, port="eighty")
    done = subprocess.run(
        [sys.executable, str(ROOT / "serve.py"), "--config", str(cfg)], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (2, "Error: config 'port': expected a whole number\n")


def test_serve_creates_the_database_on_first_start(tmp_path):
    cfg = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/data/new.db", **CHEAP_ARGON2)
    with LiveServer(cfg):
        assert (tmp_path / "data" / "new.db").exists()


def test_parallel_page_loads_write_no_warning(tmp_path):
    # What a browser does: several connections at once, each fetching some of the page's files.
    files = ["/"] + sorted("/" + path.name for path in BUILT_IN_PAGE.iterdir() if path.is_file())
    cfg = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", log_level="DEBUG", processes=1, threads=1)
    with LiveServer(cfg) as server:
        for _ in range(ROUNDS):
            statuses = load_in_parallel(server, files, CONNECTIONS)
            assert statuses == [200] * (CONNECTIONS * len(files))
            if QUEUE_DEPTH in server.log():
                break
    log = server.log()
    # The requests did wait for the one thread; waitress said so at DEBUG only.
    assert f"DEBUG waitress.queue: {QUEUE_DEPTH}" in log
    assert " WARNING " not in log


def test_an_overload_still_warns(tmp_path):
    cfg = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", processes=1, threads=1)
    with LiveServer(cfg) as server, ExitStack() as connections:
        # waitress stops accepting at 100 open connections a process, and warns.
        for _ in range(WAITRESS_CONNECTION_LIMIT + 5):
            connections.enter_context(socket.create_connection(("127.0.0.1", server.port)))
        deadline = time.monotonic() + 10
        while OVERLOAD not in server.log() and time.monotonic() < deadline:
            time.sleep(0.05)
    assert f"WARNING waitress: {OVERLOAD}" in server.log()


def load_in_parallel(server, paths, connections):
    """Every path over each of `connections` keep-alive connections started at once; the statuses."""
    start = threading.Barrier(connections)

    def load():
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            connection.connect()
            start.wait()
            statuses = []
            for path in paths:
                connection.request("GET", path)
                answer = connection.getresponse()
                answer.read()
                statuses.append(answer.status)
            return statuses
        finally:
            connection.close()

    with ThreadPoolExecutor(connections) as pool:
        return [status for statuses in pool.map(lambda _: load(), range(connections)) for status in statuses]


def test_a_304_keeps_the_connection_open_unless_the_client_asks_to_close(tmp_path):
    # An open page asks "did anything change?" every 30 s: each 304 used to close the connection, so each
    # question paid a new one (and the 304 path ran at a quarter of W1's rate).
    cfg = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", allow_signup="true", **CHEAP_ARGON2)
    with LiveServer(cfg, extra_args=["--processes", "1"]) as server:
        user = {"username": "alice", "password": "pw", "phrase": "phrase one"}
        request("PUT", server.url + "/v1/user", user)
        token = request("POST", server.url + "/v1/auth", user)[2]["access_token"]
        headers = {"x-opp-jwt": token, "x-opp-phrase": "phrase one"}
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            conn.request("GET", "/v1/fetchall", headers=headers)
            first = conn.getresponse()
            first.read()
            tagged = {**headers, "If-None-Match": first.getheader("ETag")}
            sockets = []
            for _ in range(3):
                conn.request("GET", "/v1/fetchall", headers=tagged)
                sockets.append(conn.sock)
                answer = conn.getresponse()
                assert (answer.status, answer.read(), answer.getheader("Connection")) == (304, b"", None)
                assert not answer.will_close
            assert len(set(map(id, sockets))) == 1 and conn.sock is sockets[0]
            conn.request("GET", "/v1/fetchall", headers={**tagged, "Connection": "close"})
            closing = conn.getresponse()
            assert (closing.status, closing.getheader("Connection"), closing.will_close) == (304, "close", True)
        finally:
            conn.close()
