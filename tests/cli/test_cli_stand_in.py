"""`opp` against a stand-in server, for what serve.py cannot show: two-factor login, and a redirect.

The server on main has no two-factor login yet; this double answers POST
/api/v1/auth exactly as extensions.md §4 says (401 `Bad Request` /
`Two-factor code required` without "otp", `Invalid two-factor code` for a
wrong one), so that the client's side of the contract is held now; replace it
with serve.py once two-factor login lands. A proxy in front of a server may
redirect, which serve.py never does: `opp` must not follow with the token and
the passphrase.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cli.conftest import Opp
from conftest import PASSWORD

CODE = "492039"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJl"  # exp: 2100-01-01


class TwoFactorAuth(BaseHTTPRequestHandler):
    bodies = []
    paths = []

    def do_GET(self):
        self.paths.append(self.path)
        self.send_response(302)
        self.send_header("Location", "/elsewhere")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.bodies.append(body)
        if self.path != "/api/v1/auth" or body.get("password") != PASSWORD:
            return self.answer(401, {"status_code": 401, "error": "Bad Request", "description": "Invalid credentials"})
        if "otp" not in body:
            return self.answer(
                401, {"status_code": 401, "error": "Bad Request", "description": "Two-factor code required"}
            )
        if body["otp"] != CODE:
            return self.answer(
                401, {"status_code": 401, "error": "Bad Request", "description": "Invalid two-factor code"}
            )
        return self.answer(200, {"access_token": TOKEN})

    def answer(self, status, body):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass


@pytest.fixture
def double():
    TwoFactorAuth.bodies, TwoFactorAuth.paths = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), TwoFactorAuth)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_login_sends_the_code_when_the_server_asks_for_one(double, tmp_path):
    opp = Opp(tmp_path, double, "alice")
    said = opp.ok("login", "--server", double, "-u", "alice", input=f"{PASSWORD}\n{CODE}\n")
    assert said.startswith(f"Logged in to {double} as alice until 2100-01-0")
    assert [body.get("otp") for body in TwoFactorAuth.bodies] == [None, CODE]
    assert TwoFactorAuth.bodies[1] == {"username": "alice", "password": PASSWORD, "exp_delta": 3600, "otp": CODE}
    assert opp.token() == TOKEN


def test_a_wrong_code_is_the_server_error_and_no_session(double, tmp_path):
    opp = Opp(tmp_path, double, "alice")
    done = opp("login", "--server", double, "-u", "alice", input=f"{PASSWORD}\n000000\n")
    assert (done.returncode, done.stderr) == (3, "opp: Bad Request: Invalid two-factor code\n")
    assert not opp.session_file().exists()
    done = opp("login", "--server", double, "-u", "alice", input=f"{PASSWORD}\n")
    assert (done.returncode, done.stderr) == (64, "opp: no two-factor code on standard input\n")


def test_a_redirect_is_not_followed(double, tmp_path):
    opp = Opp(tmp_path, double, "alice")
    opp.ok("login", "--server", double, "-u", "alice", input=f"{PASSWORD}\n{CODE}\n")
    done = opp("ls")
    assert (done.returncode, done.stderr) == (64, f"opp: {double} redirects to /elsewhere; give that as --server\n")
    assert TwoFactorAuth.paths == ["/api/v1/fetchall"]
