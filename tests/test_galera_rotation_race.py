"""A key rotation on one Galera node and a write of its collection on another, in the order that once
left an item sealed under a key the collection no longer had (extensions.md section 3).

The write opens its connection on node 1 (its causal barrier passed); then the rotation commits on node 3,
and reaches node 1 but is not applied there yet when the write takes the collection's lock and reads its
key version. A row lock holds on its own node only, so the write sees nothing of the rotation; only the
cluster's certification can refuse one of the two, and it sees only rows both write (migration 0013).
The lag is made, not hoped for: every applier thread of node 1 is kept busy by an earlier write that
waits on a row a session of node 1 holds (node_1_behind).
"""

import contextlib
import threading
import time

import pymysql
import pytest
import webtest

from conftest import CHEAP_ARGON2, Auth, accept_invitations
from oppmini.config import Config
from oppmini.store import db as store
from oppmini.web.app import make_app
from test_sharing_concurrency import under_current_key

WAIT_SECONDS = 30
# Where a write takes a collection's lock (with migration 0013's claim first, or without it).
LOCKING = ("update_collection_claim", "get_membership_locked", "get_collection_locked")


class WriterHold:
    """Runs one request in a thread of its own and holds each attempt of it where it first takes a
    collection's lock, until `release`; `connections` lists each attempt's database connection."""

    def __init__(self, monkeypatch):
        self.thread = None
        self.held = threading.Event()
        self.release = threading.Event()
        self.connections = []
        run = store.Connection.run

        def held_run(conn, query, /, **params):
            at_lock = query in LOCKING and threading.current_thread() is self.thread
            if at_lock and conn.raw.thread_id() not in self.connections:
                self.connections.append(conn.raw.thread_id())
                self.held.set()
                self.release.wait(WAIT_SECONDS)
            return run(conn, query, **params)

        monkeypatch.setattr(store.Connection, "run", held_run)

    def start(self, request):
        """`request()` started and held; a function that joins it and returns its answer."""
        answers = []
        self.thread = threading.Thread(target=lambda: answers.append(request()))
        self.thread.start()
        assert self.held.wait(WAIT_SECONDS), "the request never took the collection's lock"
        return lambda: (self.thread.join(WAIT_SECONDS), answers[0])[1]


def bystanders(galera):
    """One user name for each applier thread of node 1."""
    with galera.root(galera.nodes[0]) as cursor:
        cursor.execute("SELECT @@wsrep_slave_threads")
        (threads,) = cursor.fetchone()
    return [f"bystander{n}" for n in range(int(threads))]


@contextlib.contextmanager
def node_1_behind(galera, database):
    """While inside, node 1 applies nothing the cluster commits: a session of node 1 with replication off
    (its locks are nothing to Galera) holds the user rows of the bystanders, then one transaction through
    node 3 for each writes one of those rows; each of node 1's applier threads waits on one, and what
    comes after them waits for a thread, as it would behind a busy node's other work."""
    names = bystanders(galera)
    held = pymysql.connect(unix_socket=galera.nodes[0].socket, user="root", database=database)
    try:
        with held.cursor() as cursor:
            cursor.execute("SET SESSION wsrep_on = OFF")
            cursor.execute("BEGIN")
            rows = cursor.execute("SELECT user_id FROM users WHERE username IN %s FOR UPDATE", (names,))
            assert rows == len(names)
        with galera.root(galera.nodes[2]) as cursor:
            for name in names:
                cursor.execute(
                    f"UPDATE {database}.users SET file_claims = file_claims + 1 WHERE username = %s", (name,)
                )
        yield
    finally:
        held.rollback()
        held.close()


def wait_until_committing(galera, connection_id):
    """Until node 1's connection is at its COMMIT (sent to the cluster) or gone (it failed and was closed)."""
    deadline = time.monotonic() + WAIT_SECONDS
    with galera.root(galera.nodes[0]) as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT INFO, STATE FROM information_schema.PROCESSLIST WHERE ID = %s", (connection_id,))
            row = cursor.fetchone()
            if row is None or row[0] == "COMMIT":
                return
            time.sleep(0.02)
    raise AssertionError(f"connection {connection_id} never reached its commit: {row}")


def race(galera, database, monkeypatch, write, rotate):
    """(the rotation's answer, the write's answer, how many times the write ran): `write()` on node 1
    opens its connection, `rotate()` on node 3 commits, then the write goes on before node 1 has applied
    the rotation, and commits."""
    hold = WriterHold(monkeypatch)
    written = hold.start(write)
    with node_1_behind(galera, database):
        rotation = rotate()
        hold.release.set()
        wait_until_committing(galera, hold.connections[0])
    return rotation, written(), len(hold.connections)


@pytest.fixture
def nodes(galera):
    """(database, the app on node 1, the app on node 3), on one new database of the cluster where the
    bystanders have signed up."""
    database = galera.create_database()
    apps = [
        webtest.TestApp(
            make_app(Config(db_connect=galera.url(database, first=node), allow_signup=True, **CHEAP_ARGON2))
        )
        for node in (1, 3)
    ]
    for name in bystanders(galera):
        Auth(apps[0]).sign_up(name)
    return database, *apps


def signed_up(auth, *names):
    return [auth.user(name, phrase=f"{name} passphrase") for name in names]


def team(client, manager, *members):
    """A collection of `manager`'s holding one item with a history entry, `members` ((name, headers, role))
    invited and accepting; its id."""
    (created,) = client.put_json("/v1/collections", {"names": ["Team"]}, headers=manager).json["collections"]
    rows = [{"username": name, "role": role} for name, _, role in members]
    client.put_json(f"/v1/collections/{created['id']}/members", {"members": rows}, headers=manager)
    for _, headers, _ in members:
        accept_invitations(client, headers)
    item = {"name": "Shared", "password": "first", "collection_id": created["id"]}
    (shared,) = client.put_json("/v1/items", {"items": [item]}, headers=manager).json["items"]
    client.post_json("/v1/items", {"items": [{"id": shared["id"], "password": "second"}]}, headers=manager)
    return created["id"]


def removal(client, collection_id, manager, username):
    """A request removing `username` from the collection, which rotates its key."""
    path, body = f"/v1/collections/{collection_id}/members", {"usernames": [username]}
    return lambda: client.delete_json(path, body, headers=manager, status="*")


# Each race: the rotation went first; the write, refused by the cluster, ran again (no client saw it) and
# found the new key.


def test_an_item_moved_in_on_one_node_while_a_rotation_commits_on_another_is_sealed_under_the_new_key(
    galera, nodes, monkeypatch
):
    database, first, third = nodes
    alice, bob, carol = signed_up(Auth(first), "alice", "bob", "carol")
    collection_id = team(first, alice, ("bob", bob, "write"), ("carol", carol, "read"))
    (mine,) = first.put_json("/v1/items", {"items": [{"name": "Moved", "password": "old"}]}, headers=bob).json["items"]
    first.post_json("/v1/items", {"items": [{"id": mine["id"], "password": "new"}]}, headers=bob)
    move = {"items": [{"id": mine["id"], "collection_id": collection_id}]}
    rotation, moved, runs = race(
        galera,
        database,
        monkeypatch,
        lambda: first.post_json("/v1/items", move, headers=bob, status="*"),
        removal(third, collection_id, alice, "carol"),
    )
    assert (rotation.status_int, moved.status_int) == (200, 200), (rotation.json, moved.json)
    assert under_current_key(galera.url(database), "alice", collection_id) == (2, 2)
    assert sorted(item["name"] for item in first.get("/v1/items", headers=bob).json["items"]) == ["Moved", "Shared"]
    assert runs == 2


def test_an_invitation_made_on_one_node_while_a_rotation_commits_on_another_carries_the_new_key(
    galera, nodes, monkeypatch
):
    database, first, third = nodes
    alice, erin, carol, dave = signed_up(Auth(first), "alice", "erin", "carol", "dave")
    collection_id = team(first, alice, ("erin", erin, "manage"), ("carol", carol, "read"))
    invite = {"members": [{"username": "dave", "role": "read"}]}
    rotation, invited, runs = race(
        galera,
        database,
        monkeypatch,
        lambda: first.put_json(f"/v1/collections/{collection_id}/members", invite, headers=erin, status="*"),
        removal(third, collection_id, alice, "carol"),
    )
    assert (rotation.status_int, invited.status_int) == (200, 200), (rotation.json, invited.json)
    accept_invitations(first, dave)
    # dave's copy is of the key of now: what it opens opens every record.
    assert under_current_key(galera.url(database), "dave", collection_id) == (2, 1)
    assert [item["name"] for item in first.get("/v1/items", headers=dave).json["items"]] == ["Shared"]
    assert runs == 2


def test_an_invitation_accepted_on_one_node_while_a_rotation_commits_on_another_gets_the_new_key(
    galera, nodes, monkeypatch
):
    database, first, third = nodes
    alice, bob, dave = signed_up(Auth(first), "alice", "bob", "dave")
    collection_id = team(first, alice, ("bob", bob, "read"))
    invite = {"members": [{"username": "dave", "role": "read"}]}
    first.put_json(f"/v1/collections/{collection_id}/members", invite, headers=alice)
    token = {"x-opp-jwt": dave["x-opp-jwt"]}
    (pending,) = first.get("/v1/invitations", headers=token).json["invitations"]
    # (The accept conflicted before migration 0013 too: it deletes the invitation whose copy the rotation
    # rewrites. The claim makes that hold for any accept, not through a row that happens to be shared.)
    rotation, accepted, runs = race(
        galera,
        database,
        monkeypatch,
        lambda: first.post_json("/v1/invitations", {"accept": [pending["id"]]}, headers=token, status="*"),
        removal(third, collection_id, alice, "bob"),
    )
    assert (rotation.status_int, accepted.status_int) == (200, 200), (rotation.json, accepted.json)
    assert under_current_key(galera.url(database), "dave", collection_id) == (2, 1)
    assert [item["name"] for item in first.get("/v1/items", headers=dave).json["items"]] == ["Shared"]
    assert runs == 2
