"""A database that goes away: 503 JSON meanwhile, and service again once it is back."""

import subprocess
import sys

import pytest
import webtest

from conftest import CHEAP_ARGON2, PASSWORD
from dbserver import Relay
from live import ROOT, LiveServer, request, write_config
from oppmini.config import Config
from oppmini.web.app import make_app

UNAVAILABLE = {"status_code": 503, "error": "Database unavailable", "description": "Try again shortly."}


class SqliteOutage:
    """The database file's folder moved away and back."""

    def __init__(self, tmp_path):
        self.folder = tmp_path / "data"
        self.url = f"sqlite:///{self.folder}/opp.db"

    def cut(self):
        self.folder.rename(self.folder.with_name("data.away"))

    def restore(self):
        self.folder.with_name("data.away").rename(self.folder)


class MariadbOutage:
    """The network path to the server broken and mended."""

    def __init__(self, mariadb, database):
        self.relay = Relay(mariadb.port).start()
        self.url = mariadb.url(database, port=self.relay.port)

    def cut(self):
        self.relay.cut()

    def restore(self):
        self.relay.restore()


@pytest.fixture
def outage(request, backend, tmp_path):
    if backend == "sqlite":
        return SqliteOutage(tmp_path)
    return MariadbOutage(request.getfixturevalue("mariadb"), request.getfixturevalue("mariadb_database"))


def test_outage_answers_503_json_and_recovers(outage):
    client = webtest.TestApp(make_app(Config(db_connect=outage.url, allow_signup=True, **CHEAP_ARGON2)))
    client.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": "battery staple"})
    assert client.get("/v1/health").json["status"] == "OpenPassPhrase service is running"

    outage.cut()
    for response in (
        client.get("/v1/health", status=503),
        client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}, status=503),
        client.put_json("/v1/user", {"username": "bob", "password": "pw", "phrase": "phrase!"}, status=503),
    ):
        assert response.content_type == "application/json"
        assert response.json == UNAVAILABLE

    outage.restore()
    assert client.get("/v1/health").status_code == 200
    assert client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]


def test_running_server_survives_an_outage(outage, tmp_path):
    config = write_config(tmp_path, db_connect=outage.url, **CHEAP_ARGON2)
    with LiveServer(config) as server:
        outage.cut()
        status, _, body = request("GET", server.url + "/v1/health")
        assert (status, body) == (503, UNAVAILABLE)
        outage.restore()
        status, _, body = request("GET", server.url + "/v1/health")
        assert status == 200 and body["status"] == "OpenPassPhrase service is running"
        assert server.process.poll() is None


def test_start_on_an_unreachable_database_fails_clearly_without_the_password(tmp_path):
    config = write_config(tmp_path, db_connect="mysql://opp:s3cret%21@127.0.0.1:1/vault")
    result = subprocess.run(
        [sys.executable, str(ROOT / "serve.py"), "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Error: cannot open the mysql database 'vault' as 'opp' at 127.0.0.1:1: ")
    assert "Can't connect" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout
