"""serve.py as users start it: a subprocess answering real HTTP."""

import signal
import subprocess
import sys

from conftest import CHEAP_ARGON2, claims_of
from live import ROOT, LiveServer, request, write_config


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
    done = subprocess.run([sys.executable, str(ROOT / "serve.py"), "--config", str(cfg)],
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (2, "Error: config 'port': expected a whole number\n")


def test_serve_creates_the_database_on_first_start(tmp_path):
    cfg = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/data/new.db", **CHEAP_ARGON2)
    with LiveServer(cfg):
        assert (tmp_path / "data" / "new.db").exists()
