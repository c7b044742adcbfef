"""W12 shared fetchall, and the in-process cost of a key rotation.

W12: GET /v1/fetchall for a member of one collection of 50 items who has 50
personal items, one request at a time in turn with GET /v1/fetchall of an
account of 100 personal items (same item shape, same server), so both see the
same load; the member's costs at most 1.1 x the other's (one collection key
opened per request, or none when cached).

Rotation: alice removes bob from a collection of 2,000 items, the app called
in-process (no HTTP), against 2,000 x (one record open + one seal) under a
collection key, measured in the same run just before; at most 2.5 x.
"""

import json
import statistics
import tempfile
import time
from pathlib import Path

from bench import inprocess, seed
from bench.transfer import Client, fresh_account
from oppmini.config import Config
from oppmini.seal import crypto, records
from oppmini.web.app import make_app

SHARED_ITEMS = PERSONAL_ITEMS = 50
FETCHALL_BOUND = 1.1  # x fetchall of 100 personal items
ROTATION_ITEMS = 2000
ROTATION_BOUND = 2.5  # x (items x (one open + one seal))
JSON_HEADERS = {"Content-Type": "application/json"}


def _put(client, path, body, headers):
    return json.loads(client.ok("PUT", path, json.dumps(body), {**headers, **JSON_HEADERS})[0])


def _items(client, headers, count, collection_id=None):
    for start in range(0, count, seed.BATCH):
        rows = [
            {**seed.item_fields(n), "collection_id": collection_id}
            for n in range(start, min(count, start + seed.BATCH))
        ]
        for row in rows:
            if collection_id is None:
                del row["collection_id"]
        _put(client, "/v1/items", {"items": rows}, headers)


def _share(call, owner, member, member_headers, collection_name, role="read"):
    """A collection made by `owner` (headers) with `member` (a username) in it; its id."""
    made = call("PUT", "/v1/collections", {"names": [collection_name]}, owner)["collections"][0]
    _join(call, owner, made["id"], member, member_headers, role)
    return made["id"]


def _join(call, owner, collection_id, member, member_headers, role="read"):
    """`owner` invites `member`, who accepts every invitation they have."""
    call("PUT", f"/v1/collections/{collection_id}/members", {"members": [{"username": member, "role": role}]}, owner)
    token = {"x-opp-jwt": member_headers["x-opp-jwt"]}
    pending = call("GET", "/v1/invitations", None, token)["invitations"]
    call("POST", "/v1/invitations", {"accept": [invitation["id"] for invitation in pending]}, token)


def measure_w12(port, rounds):
    """Median ms of each fetchall, taken in turn, and their ratio."""
    client = Client(port)
    try:
        owner = fresh_account(client, "w12owner")
        member = fresh_account(client, "w12member")
        personal = fresh_account(client, "w12personal")

        def call(method, path, body, headers):
            return json.loads(client.ok(method, path, json.dumps(body), {**headers, **JSON_HEADERS})[0])

        collection_id = _share(call, owner, "w12member", member, "Household")
        _items(client, owner, SHARED_ITEMS, collection_id)
        _items(client, member, PERSONAL_ITEMS)
        _items(client, personal, SHARED_ITEMS + PERSONAL_ITEMS)
        answer = json.loads(client.ok("GET", "/v1/fetchall", None, member)[0])
        shared = [item for item in answer["items"] if item.get("collection_id") == collection_id]
        if len(shared) != SHARED_ITEMS or len(answer["items"]) != SHARED_ITEMS + PERSONAL_ITEMS:
            raise SystemExit("W12: the member does not see 50 shared and 50 personal items")
        for headers in (member, personal) * 5:  # warm up, keys cached
            client.ok("GET", "/v1/fetchall", None, headers)
        timings = {"member": [], "personal": []}
        for _ in range(rounds):
            timings["member"].append(client.ok("GET", "/v1/fetchall", None, member)[1])
            timings["personal"].append(client.ok("GET", "/v1/fetchall", None, personal)[1])
    finally:
        client.close()
    member_ms, personal_ms = statistics.median(timings["member"]), statistics.median(timings["personal"])
    ratio = member_ms / personal_ms
    return {
        "rounds": rounds,
        "member_ms": round(member_ms, 2),
        "personal_ms": round(personal_ms, 2),
        "ratio": round(ratio, 3),
        "ok": ratio <= FETCHALL_BOUND,
    }


def open_seal_us(count=ROTATION_ITEMS):
    """Microseconds for one record open + one seal of a collection item record under a collection key."""
    key = crypto.new_data_key()
    opener = crypto.DataKey(key)
    rows = []
    for number in range(1, count + 1):
        fields = seed.sealed_fields(number)
        binding = crypto.bind(records.ITEMS_TABLE, 1, number)
        rows.append((records.seal_item(key, 1, number, fields), binding, fields))

    def open_and_seal():
        for number, (record, binding, fields) in enumerate(rows, start=1):
            crypto.open_sealed(opener, record, binding)
            records.seal_item(key, 1, number, fields)

    return inprocess.best_of(open_and_seal, 3) / count * 1e6


def measure_rotation(rounds):
    """Rounds of (server ms of removing bob from alice's 2,000-item collection, open + seal µs just before)."""
    with tempfile.TemporaryDirectory(prefix="oppmini-rotation-") as folder:
        config = Config(db_connect=f"sqlite:///{Path(folder)}/bench.db", allow_signup=True)
        call = inprocess.Wsgi(make_app(config))
        headers = {}
        for name in ("alice", "bob"):
            call("PUT", "/v1/user", {"username": name, "password": seed.PASSWORD, "phrase": seed.PHRASE})
            token = call("POST", "/v1/auth", {"username": name, "password": seed.PASSWORD})["access_token"]
            headers[name] = {"x-opp-jwt": token, "x-opp-phrase": seed.PHRASE}
        call("GET", "/v1/collections", None, headers["bob"])  # bob's key pair, made at his first unlock
        collection_id = _share(lambda *args: call(*args), headers["alice"], "bob", headers["bob"], "Rotation")
        for start in range(0, ROTATION_ITEMS, seed.BATCH):
            rows = [
                {**seed.item_fields(n), "collection_id": collection_id}
                for n in range(start, min(ROTATION_ITEMS, start + seed.BATCH))
            ]
            call("PUT", "/v1/items", {"items": rows}, headers["alice"])
        runs = []
        for _ in range(rounds):
            _join(lambda *args: call(*args), headers["alice"], collection_id, "bob", headers["bob"])
            unit_us = open_seal_us()
            began = time.perf_counter()
            status, payload = call.serve(
                "DELETE", f"/v1/collections/{collection_id}/members", {"usernames": ["bob"]}, headers["alice"]
            )
            server_ms = (time.perf_counter() - began) * 1000
            if not status.startswith("2"):
                raise SystemExit(f"rotation: {status} {payload[:200]!r}")
            runs.append((server_ms, unit_us))
    server_ms = statistics.median(run[0] for run in runs)
    unit_us = statistics.median(run[1] for run in runs)
    yardstick_ms = ROTATION_ITEMS * unit_us / 1000
    return {
        "items": ROTATION_ITEMS,
        "rounds": rounds,
        "server_ms": round(server_ms, 1),
        "open_seal_us": round(unit_us, 1),
        "items_x_open_seal_ms": round(yardstick_ms, 1),
        "ratio": round(server_ms / yardstick_ms, 3),
        "ok": server_ms <= ROTATION_BOUND * yardstick_ms,
    }


def mark(ok):
    return "  ok" if ok else "  MISSED"


def print_w12(w12):
    print(
        f"\nW12 GET /v1/fetchall as a member of one collection ({SHARED_ITEMS} shared + {PERSONAL_ITEMS} personal "
        f"items), median of {w12['rounds']} in turn with GET /v1/fetchall of {SHARED_ITEMS + PERSONAL_ITEMS} personal "
        f"items {w12['personal_ms']} ms: {w12['member_ms']} ms  ratio {w12['ratio']} (target <= {FETCHALL_BOUND})"
        f"{mark(w12['ok'])}"
    )


def print_rotation(rotation):
    print(
        f"\nrotation, in-process: removing a member of a {rotation['items']}-item collection, median of "
        f"{rotation['rounds']}: {rotation['server_ms']} ms; one record open + one seal {rotation['open_seal_us']} µs, "
        f"x {rotation['items']} = {rotation['items_x_open_seal_ms']} ms; ratio {rotation['ratio']} "
        f"(target <= {ROTATION_BOUND}){mark(rotation['ok'])}"
    )
