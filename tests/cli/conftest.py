"""Fixtures for `opp`: a live serve.py, a fresh account on it, and `opp` run as a subprocess.

`opp` runs in its own session (no controlling terminal), so a secret it
would ask for fails at once instead of waiting on the terminal running pytest;
its state folder and home are temp folders, its environment holds no OPP_*
variable but the ones a test gives.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CHEAP_ARGON2, PASSWORD, PHRASE
from live import LiveServer, request, write_config

OPP = Path(sys.executable).with_name("opp")  # the console script setup.cfg installs beside opp-db
# Many sign-ups and logins from one address; the guessing limits are tested elsewhere.
GENEROUS_LIMITS = {"max_failures_per_address": 100000, "max_failures_per_name": 100000, "max_failures": 1000}


def start_server(folder, db_url, **settings):
    config = write_config(folder, db_connect=db_url, allow_signup="true", **CHEAP_ARGON2, **GENEROUS_LIMITS, **settings)
    return LiveServer(config, extra_args=("--processes", "1")).start()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """serve.py on SQLite, shared by a module's tests (each test has its own account)."""
    folder = tmp_path_factory.mktemp("opp-server")
    live = start_server(folder, f"sqlite:///{folder}/opp.db")
    yield live
    live.stop()


@pytest.fixture(scope="module", params=("sqlite", "mariadb"))
def any_server(request, tmp_path_factory):
    """serve.py on each backend in turn."""
    folder = tmp_path_factory.mktemp("opp-server")
    if request.param == "sqlite":
        db_url = f"sqlite:///{folder}/opp.db"
    else:
        mariadb = request.getfixturevalue("mariadb")
        name = mariadb.checkout()
        request.addfinalizer(lambda: mariadb.give_back(name))
        db_url = mariadb.url(name)
    live = start_server(folder, db_url)
    yield live
    live.stop()


class Opp:
    """`opp` for one account: its own state folder and home, the passphrase in a 0600 file."""

    def __init__(self, folder, server_url, username):
        self.folder, self.server_url, self.username = Path(folder), server_url, username
        self.home, self.state = self.folder / "home", self.folder / "state"
        self.home.mkdir(exist_ok=True)
        self.phrase_file = self.folder / "phrase"
        self.phrase_file.write_text(PHRASE + "\n", encoding="utf-8")
        self.phrase_file.chmod(0o600)
        self.outputs = []  # every stdout and stderr, for the tests that scan them for secrets

    def environ(self, **extra):
        clean = {key: value for key, value in os.environ.items() if not key.startswith("OPP_")}
        return {
            **clean,
            "HOME": str(self.home),
            "XDG_STATE_HOME": str(self.state),
            "OPP_PHRASE_FILE": str(self.phrase_file),
            **extra,
        }

    def __call__(self, *args, input="", env=None, umask=0o022):
        done = subprocess.run(
            [str(OPP), *map(str, args)],
            input=input,
            capture_output=True,
            text=True,
            env=env if env is not None else self.environ(),
            timeout=60,
            start_new_session=True,
            umask=umask,
        )
        self.outputs += [done.stdout, done.stderr]
        return done

    def on_terminal(self, *args, input=""):
        """`opp` with a pseudo-terminal as its standard output (stdin and stderr piped): what a person sees.

        The terminal's own CR before each LF is taken out again; stdout and stderr are text as from __call__.
        """
        master, slave = os.openpty()
        try:
            child = subprocess.Popen(
                [str(OPP), *map(str, args)],
                stdin=subprocess.PIPE,
                stdout=slave,
                stderr=subprocess.PIPE,
                env=self.environ(),
                start_new_session=True,
            )
        finally:
            os.close(slave)
        child.stdin.write(input.encode())
        child.stdin.close()
        shown = bytearray()
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child has closed its end
                break
            if not chunk:
                break
            shown += chunk
        os.close(master)
        stderr = child.stderr.read().decode()
        child.stderr.close()
        done = subprocess.CompletedProcess(args, child.wait(timeout=60), shown.decode().replace("\r\n", "\n"), stderr)
        self.outputs += [done.stdout, done.stderr]
        return done

    def ok(self, *args, **kwargs):
        done = self(*args, **kwargs)
        assert done.returncode == 0, (args, done.returncode, done.stderr)
        return done.stdout

    def json(self, *args, **kwargs):
        return json.loads(self.ok(*args, "--json", **kwargs))

    def login(self, *extra, **kwargs):
        return self.ok(
            "login", "--server", self.server_url, "-u", self.username, *extra, input=PASSWORD + "\n", **kwargs
        )

    def session_file(self):
        return self.state / "oppmini" / "session.json"

    def token(self):
        return json.loads(self.session_file().read_text(encoding="utf-8"))["token"]

    def api(self, method, resource, body=None):
        """The API's own answer for this account, beside what `opp` says."""
        headers = {"x-opp-jwt": self.token(), "x-opp-phrase": PHRASE}
        return request(method, f"{self.server_url}/v1/{resource}", body, headers)[2]


def sign_up(server_url):
    username = "user-" + secrets.token_hex(4)
    status = request("PUT", f"{server_url}/v1/user", {"username": username, "password": PASSWORD, "phrase": PHRASE})[0]
    assert status == 200
    return username


@pytest.fixture
def opp(server, tmp_path):
    """A fresh account on the module's SQLite server, not yet logged in."""
    return Opp(tmp_path, server.url, sign_up(server.url))


@pytest.fixture
def logged_in(opp):
    opp.login()
    return opp
