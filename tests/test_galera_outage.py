"""A database node killed under load: three serve.py app nodes, eight writers, `kill -9` of one Galera node
mid-burst. Nothing acknowledged is lost, no client sees a 500, and the node comes back holding everything."""

import http.client
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from conftest import CHEAP_ARGON2, PASSWORD, PHRASE
from live import LiveServer, request, write_config

WRITERS = 8
BURST_SECONDS = 5.0
KILL_AFTER_SECONDS = 1.5


def call(server, method, path, body=None, token=None):
    """(status, answer), or (None, the error's name) when the connection failed."""
    headers = {"x-opp-jwt": token, "x-opp-phrase": PHRASE} if token else {}
    try:
        status, _, answer = request(method, server.url + path, body, headers, timeout=30)
    except (OSError, http.client.HTTPException) as error:
        return None, type(error).__name__
    return status, answer


def test_a_node_killed_under_load_loses_nothing_acknowledged(galera, galera_database, tmp_path):
    apps = []
    for node in (1, 2, 3):
        folder = tmp_path / f"app{node}"
        folder.mkdir()
        settings = dict(db_connect=galera.url(galera_database, first=node), allow_signup="true", threads=4)
        apps.append(LiveServer(write_config(folder, **settings, **CHEAP_ARGON2)))
    with apps[0], apps[1], apps[2]:
        tokens = []
        for writer in range(WRITERS):
            body = {"username": f"writer{writer}", "password": PASSWORD, "phrase": PHRASE}
            assert call(apps[0], "PUT", "/v1/user", body)[0] == 200
            status, answer = call(apps[writer % 3], "POST", "/v1/auth", body)
            tokens.append(answer["access_token"])
        statuses = Counter()
        statuses_lock = threading.Lock()
        stop_at = time.monotonic() + BURST_SECONDS

        def write(writer):
            """Create items and edit each once, through the three app nodes in turn; what was acknowledged."""
            created, edited, n = {}, {}, 0
            while time.monotonic() < stop_at:
                app = apps[(writer + n) % 3]
                name = f"w{writer}-{n}"
                status, answer = call(
                    app, "PUT", "/v1/items", {"items": [{"name": name, "password": "one"}]}, tokens[writer]
                )
                with statuses_lock:
                    statuses[status] += 1
                if status == 200:
                    created[name] = answer["items"][0]["id"]
                    body = {"items": [{"id": created[name], "password": "two"}]}
                    status, _ = call(apps[(writer + n + 1) % 3], "POST", "/v1/items", body, tokens[writer])
                    with statuses_lock:
                        statuses[status] += 1
                    if status == 200:
                        edited[name] = True
                n += 1
            return created, edited

        killed = galera.nodes[1]
        with ThreadPoolExecutor(WRITERS) as pool:
            results = [pool.submit(write, writer) for writer in range(WRITERS)]
            time.sleep(KILL_AFTER_SECONDS)
            galera.kill(killed)
            results = [result.result() for result in results]
        assert set(statuses) <= {200, 503, None}, statuses  # None: a connection the kill broke
        # Every acknowledged write, through every app node (two of them on node 1 or 3 now).
        for app in apps:
            for writer, (created, edited) in enumerate(results):
                status, answer = call(app, "GET", "/v1/fetchall", token=tokens[writer])
                assert status == 200, answer
                stored = {item["name"]: item["password"] for item in answer["items"]}
                assert len(stored) == len(answer["items"])  # a retried create made no second item
                for name in created:
                    assert name in stored
                    if name in edited:
                        assert stored[name] == "two"
        restarted = time.monotonic()
        galera.restart(killed)
        galera.wait_synced(killed)
        rejoin_seconds = time.monotonic() - restarted
        with galera.root(killed) as cursor:
            cursor.execute(f"SELECT item_id FROM {galera_database}.items")
            on_killed = {row[0] for row in cursor.fetchall()}
        acknowledged = sum(len(created) for created, _ in results)
        assert {item_id for created, _ in results for item_id in created.values()} <= on_killed
        print(
            f"\nkill under load: {acknowledged} creates and {sum(len(e) for _, e in results)} edits acknowledged, "
            f"0 lost, {statuses[503]} x 503, {statuses[None]} connection errors, {statuses[500]} x 500; "
            f"the killed node rejoined in {rejoin_seconds:.1f}s"
        )
