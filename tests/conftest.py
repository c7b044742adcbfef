"""Test setup: a temp database on each backend, cheap Argon2, a webtest client and an `auth` helper.

Every test that uses `db_url` (and so `config`, `app`, `client`, `auth`) runs
twice: on a fresh SQLite file and on a fresh database of a private MariaDB
server, started once per session (see dbserver.py). Without the MariaDB
binaries the second run skips, saying why; under CI=true it fails instead.
"""

import base64
import json

import pytest
import webtest

from browser import start_chromium
from dbserver import MariaDB
from live import LiveServer, write_config
from oppmini.config import Config
from oppmini.store.db import Database
from oppmini.web.app import make_app

# Real Argon2id, at a cost that keeps the suite fast; production defaults are
# exercised by the benchmark, not here.
CHEAP_ARGON2 = {"argon2_memory_kib": 64, "argon2_time_cost": 1, "argon2_parallelism": 1}
PASSWORD = "correct horse"
PHRASE = "battery staple"


def claims_of(token):
    """A token's claims, read without checking it (the tests check it elsewhere)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class FakeClock:
    """Wall-clock seconds that only move when a test says so."""

    def __init__(self, now=1_700_000_000.0):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


BACKENDS = ("sqlite", "mariadb")
# What every item answer carries after v1's keys (extensions.md section 1),
# for an item that never set them, written at the FakeClock's start.
ITEM_EXTRAS = {
    "totp": "",
    "fields": [],
    "favorite": False,
    "match": "domain",
    "type": "login",
    "collection_id": None,
    "created_at": 1_700_000_000,
    "updated_at": 1_700_000_000,
    "revision": 1,
    "attachments": [],
}


@pytest.fixture(scope="session")
def mariadb():
    server = MariaDB().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def galera():
    """A private three-node Galera cluster (galera.py), started at the first test that asks for it."""
    from galera import GaleraCluster

    cluster = GaleraCluster()
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture
def galera_database(galera):
    """A new empty database on the cluster, for one test alone; its name."""
    return galera.create_database()


@pytest.fixture
def mariadb_database(mariadb):
    """A MariaDB database holding no rows, for one test alone; its name."""
    name = mariadb.checkout()
    yield name
    mariadb.give_back(name)


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def db_url(request, backend, tmp_path):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/opp.db"
    mariadb = request.getfixturevalue("mariadb")
    return mariadb.url(request.getfixturevalue("mariadb_database"))


def execute_raw(db_url, sql, params=()):
    """One ad-hoc statement (`?` placeholders) on either backend, for test set-up; rows as tuples."""
    database = Database(db_url)
    if database.dialect == "mysql":
        sql = sql.replace("?", "%s")
    with database.connect() as conn:
        cursor = conn.raw.cursor()
        try:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        finally:
            cursor.close()
    return [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in rows]


@pytest.fixture
def config(db_url):
    return Config(db_connect=db_url, allow_signup=True, **CHEAP_ARGON2)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def app(config, clock):
    return make_app(config, clock=clock)


@pytest.fixture
def client(app):
    return webtest.TestApp(app)


class Auth:
    """Signs users up and in through the API, and builds their vault headers."""

    def __init__(self, client):
        self.client = client
        self.members = {}  # username: Member, for Member.add's invitees to accept

    def sign_up(self, username="alice", password=PASSWORD, phrase=PHRASE):
        self.client.put_json("/v1/user", {"username": username, "password": password, "phrase": phrase})

    def login(self, username="alice", password=PASSWORD, **extra):
        body = {"username": username, "password": password, **extra}
        return self.client.post_json("/v1/auth", body).json["access_token"]

    def headers(self, token, phrase=PHRASE):
        headers = {"x-opp-jwt": token}
        if phrase is not None:
            headers["x-opp-phrase"] = phrase
        return headers

    def user(self, username="alice", password=PASSWORD, phrase=PHRASE):
        """Sign up and log in; the headers a vault call needs."""
        self.sign_up(username, password, phrase)
        return self.headers(self.login(username, password), phrase)


@pytest.fixture
def vault_server(tmp_path):
    """start(**settings): serve.py on a SQLite file with alice signed up, for a Chromium test;
    every server started is stopped when the test ends, whatever it asserted."""
    from vaultpage import start_server  # vaultpage imports this module's constants

    started = []

    def start(**settings):
        started.append(start_server(tmp_path, **settings))
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def auth(client):
    return Auth(client)


class Vault:
    """One user's vault calls: JSON in, JSON out, the expected status checked by webtest."""

    def __init__(self, client, headers, prefix="/v1"):
        self.client = client
        self.headers = headers
        self.prefix = prefix

    def get(self, resource, status=200, **query):
        return self.client.get(f"{self.prefix}/{resource}", query, headers=self.headers, status=status).json

    def put(self, resource, body, status=200):
        return self.client.put_json(f"{self.prefix}/{resource}", body, headers=self.headers, status=status).json

    def post(self, resource, body, status=200):
        return self.client.post_json(f"{self.prefix}/{resource}", body, headers=self.headers, status=status).json

    def delete(self, resource, body, status=200):
        # DELETE needs no passphrase; sending none proves it.
        headers = {"x-opp-jwt": self.headers["x-opp-jwt"]}
        return self.client.delete_json(f"{self.prefix}/{resource}", body, headers=headers, status=status).json

    def add_categories(self, *names):
        return self.put("categories", {"category_names": list(names)})["categories"]

    def add_items(self, *rows, **options):
        return self.put("items", {"items": list(rows), **options})["items"]


@pytest.fixture
def vault(client, auth):
    """Alice, signed up and logged in, as vault calls."""
    return Vault(client, auth.user("alice"))


def accept_invitations(client, headers, prefix="/v1"):
    """The user of `headers` accepts every invitation they have (GET, then POST /v1/invitations)."""
    token = {"x-opp-jwt": headers["x-opp-jwt"]}
    pending = client.get(f"{prefix}/invitations", headers=token).json["invitations"]
    if pending:
        client.post_json(f"{prefix}/invitations", {"accept": [row["id"] for row in pending]}, headers=token)


def share(manager, collection_id, invitee, name, role):
    """`manager` (a Vault) invites `name`, who accepts with their Vault `invitee`: a member at once."""
    answer = manager.put(f"collections/{collection_id}/members", {"members": [{"username": name, "role": role}]})
    accept_invitations(invitee.client, invitee.headers, invitee.prefix)
    return answer


class Member(Vault):
    """A user's vault calls, plus the collection calls of sharing; `name` is their username, `roster` the
    Members by name whose invitations `add` accepts."""

    def __init__(self, client, headers, name, roster=None):
        super().__init__(client, headers)
        self.name = name
        self.roster = {} if roster is None else roster
        self.roster[name] = self

    def remove(self, collection_id, *usernames, status=200):
        # Removing members rotates the key, which needs the passphrase (unlike other DELETEs).
        return self.client.delete_json(
            f"/v1/collections/{collection_id}/members",
            {"usernames": list(usernames)},
            headers=self.headers,
            status=status,
        ).json

    def invite(self, collection_id, status=200, **roles):
        members = [{"username": name, "role": role} for name, role in roles.items()]
        return self.put(f"collections/{collection_id}/members", {"members": members}, status=status)

    def add(self, collection_id, status=200, **roles):
        """Invite the members named (Members of the same `auth`), who then accept: what sharing took before
        invitations; the manager's answer, as it was before they accepted."""
        answer = self.invite(collection_id, status, **roles)
        if status == 200:
            for name in roles:
                accept_invitations(self.client, self.roster[name].headers)
        return answer

    def delete_collections(self, *collection_ids, status=200):
        # Deleting a collection re-seals its items into the deleter's trash: the passphrase is needed.
        return self.client.delete_json(
            "/v1/collections", {"ids": list(collection_ids)}, headers=self.headers, status=status
        ).json

    def new_collection(self, name="Family"):
        return self.put("collections", {"names": [name]})["collections"][0]["id"]

    def names(self, resource="items"):
        return sorted(item["name"] for item in self.get(resource)["items"])


def member(client, auth, name):
    """`name` signed up (passphrase "<name> passphrase") and logged in, as a Member."""
    return Member(client, auth.user(name, PASSWORD, f"{name} passphrase"), name, auth.members)


@pytest.fixture
def alice(client, auth):
    return member(client, auth, "alice")


@pytest.fixture
def bob(client, auth):
    return member(client, auth, "bob")


@pytest.fixture
def carol(client, auth):
    return member(client, auth, "carol")


@pytest.fixture
def servers(db_url, tmp_path):
    """Two servers, each its own process, on the same database; no secret_key, so the stored one is used."""
    config = write_config(tmp_path, db_connect=db_url, allow_signup="true", threads=4, **CHEAP_ARGON2)
    first, second = LiveServer(config), LiveServer(config)
    with first, second:
        yield first, second


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium (browser.Page), one per test module."""
    page = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield page
    page.driver.quit()


# Files that share a costly session fixture run in one worker, so that
# `make test`'s two workers do not each start one (the Galera cluster takes
# 15-30 s and three servers' memory).
SHARED_WORKER_FILES = ("tests/test_galera_",)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With --dist loadfile, whole files go to a worker, and the SHARED_WORKER_FILES all to one."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class FilesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid):
            path = super()._split_scope(nodeid)
            return next((prefix for prefix in SHARED_WORKER_FILES if path.startswith(prefix)), path)

    return FilesTogether(config, log)


@pytest.fixture(scope="module")
def second_browser(tmp_path_factory):
    """Another headless Chromium with its own profile, one per test module: a second person at their own computer."""
    page = start_chromium(tmp_path_factory.mktemp("second-chromium-profile"))
    yield page
    page.driver.quit()
