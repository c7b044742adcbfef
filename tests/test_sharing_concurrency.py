"""Item writes racing key rotations, over real HTTP against two serve.py processes on one database:
no item is lost or left sealed under an old key (extensions.md §3)."""

import threading

from conftest import CHEAP_ARGON2, PASSWORD
from live import request
from oppmini.config import Config
from oppmini.seal import crypto, keys
from oppmini.store.db import Database
from oppmini.web.app import make_app

WRITES = 12
ROTATIONS = 6


def user(server, name):
    phrase = f"{name} passphrase"
    assert request("PUT", server.url + "/v1/user", {"username": name, "password": PASSWORD, "phrase": phrase})[0] == 200
    token = request("POST", server.url + "/v1/auth", {"username": name, "password": PASSWORD})[2]["access_token"]
    return {"x-opp-jwt": token, "x-opp-phrase": phrase}


def accept(server, headers):
    """The user of `headers` accepts every invitation they have."""
    token = {"x-opp-jwt": headers["x-opp-jwt"]}
    pending = request("GET", server.url + "/v1/invitations", headers=token)[2]["invitations"]
    body = {"accept": [row["id"] for row in pending]}
    assert request("POST", server.url + "/v1/invitations", body, token)[0] == 200


def current_key(db_url, username, collection_id):
    """The collection key as `username`'s copy holds it now, opened with the crypto module."""
    with Database(db_url).connect() as conn:
        user_row = conn.run("get_user_by_name", username=username)
        copy = conn.run("get_membership", collection_id=collection_id, user_id=user_row["user_id"])
    data_key = make_app(Config(db_connect=db_url, **CHEAP_ARGON2)).services.accounts.unlock(
        user_row, f"{username} passphrase"
    )
    private_key = keys.open_private_key(data_key, user_row["user_id"], user_row["sealed_private_key"])
    return keys.open_member_copy(
        private_key, copy["sealed_key"], collection_id, user_row["user_id"], copy["member_version"]
    )


def test_two_writers_and_a_rotating_manager_lose_nothing_and_leave_nothing_under_an_old_key(servers, db_url):
    first, second = servers
    alice, bob, carol = user(first, "alice"), user(second, "bob"), user(first, "carol")
    dave = user(second, "dave")
    status, _, answer = request("PUT", first.url + "/v1/collections", {"names": ["Team"]}, alice)
    team = answer["collections"][0]["id"]
    members = {"members": [{"username": "bob", "role": "write"}, {"username": "carol", "role": "write"}]}
    assert request("PUT", first.url + f"/v1/collections/{team}/members", members, alice)[0] == 200
    accept(first, bob)
    accept(second, carol)
    written, failures = [], []

    def write(server, headers, name):
        item_id = None
        for n in range(WRITES):
            if item_id is None or n % 3:
                status, _, answer = request(
                    "PUT",
                    server.url + "/v1/items",
                    {"items": [{"name": f"{name}{n}", "password": "pw", "collection_id": team}]},
                    headers,
                )
                if status == 200:
                    item_id = answer["items"][0]["id"]
                    written.append(f"{name}{n}")
            else:  # an edit of the last item (with its history entry), and a move out and back in
                status, _, answer = request(
                    "POST", server.url + "/v1/items", {"items": [{"id": item_id, "password": f"pw{n}"}]}, headers
                )
                for place in (None, team):
                    moved = request(
                        "POST", server.url + "/v1/items", {"items": [{"id": item_id, "collection_id": place}]}, headers
                    )
                    if moved[0] != 200:
                        failures.append((name, n, "move", moved[0], moved[2]))
            if status != 200:
                failures.append((name, n, status, answer))

    def rotate():
        # dave joins (invited, accepting) and is removed, which rotates the key.
        for _ in range(ROTATIONS):
            add = {"members": [{"username": "dave", "role": "read"}]}
            for method, body in (("PUT", add), ("DELETE", {"usernames": ["dave"]})):
                status, _, answer = request(method, second.url + f"/v1/collections/{team}/members", body, alice)
                if status != 200:
                    failures.append(("rotation", method, status, answer))
                if method == "PUT":
                    accept(second, dave)

    threads = [
        threading.Thread(target=write, args=(first, bob, "bob")),
        threading.Thread(target=write, args=(second, carol, "carol")),
        threading.Thread(target=rotate),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert failures == []

    # Every item written is there, and every record of the collection opens under the key of now.
    status, _, answer = request("GET", first.url + "/v1/items", headers=alice)
    assert status == 200, answer
    assert sorted(item["name"] for item in answer["items"]) == sorted(written)
    assert under_current_key(db_url, "alice", team) == (1 + ROTATIONS, len(written))


def under_current_key(db_url, username, collection_id):
    """(the collection's key version, how many items it holds), once every item record and history entry
    of it has been opened under the key `username`'s copy holds now; asserts it has some history."""
    key = current_key(db_url, username, collection_id)
    owner = keys.collection_owner(collection_id)
    with Database(db_url).connect() as conn:
        user_id = conn.run("get_user_by_name", username=username)["user_id"]
        version = conn.run("get_membership", collection_id=collection_id, user_id=user_id)["key_version"]
        items = conn.run("list_collection_records_locked", collection_id=collection_id)
        history = conn.run("list_collection_history_locked", collection_id=collection_id)
    assert history
    for row in items:
        crypto.open_sealed(key, row["sealed_fields"], crypto.bind("items", owner, row["item_id"]))
    for entry in history:
        crypto.open_sealed(
            key,
            entry["sealed_password"],
            crypto.bind("item_history", owner, f"{entry['item_id']}.{entry['history_id']}"),
        )
    return version, len(items)
