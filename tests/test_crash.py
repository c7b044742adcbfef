"""Crash safety: whatever got a 200 survives SIGKILL (and a full disk), and the file stays sound."""

import http.client
import signal
import sqlite3
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import CHEAP_ARGON2
from live import LiveServer, request, write_config

USERNAME, PASSWORD, PHRASE = "crash", "crash password", "crash phrase"
BURST = 400
KILL_AFTER = 60  # acknowledged creates before the kill
# Starts serve.py with a cap on the size of any file it writes: a disk that is
# nearly full, as seen by SQLite, without root or a special file system.
WITH_FILE_SIZE_LIMIT = (
    "import os, resource, sys; limit = int(sys.argv[1]); "
    "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)); os.execv(sys.argv[2], sys.argv[2:])"
)


def config_for(folder):
    return write_config(folder, db_connect=f"sqlite:///{folder}/opp.db", allow_signup="true", threads=8, **CHEAP_ARGON2)


def vault_headers(server):
    request("PUT", server.url + "/v1/user", {"username": USERNAME, "password": PASSWORD, "phrase": PHRASE})
    status, _, answer = request("POST", server.url + "/v1/auth", {"username": USERNAME, "password": PASSWORD})
    assert status == 200
    return {"x-opp-jwt": answer["access_token"], "x-opp-phrase": PHRASE}


def burst(server, headers, stop_when=None):
    """Create items from 8 threads; {item id: fields} of every create answered 200, and every status."""
    acknowledged, statuses, lock = {}, [], threading.Lock()

    def create(number):
        fields = {"name": f"item {number}", "password": f"secret {number}", "blob": "x" * 500}
        try:
            status, _, answer = request("PUT", server.url + "/v1/items", {"items": [fields]}, headers, timeout=10)
        except (OSError, http.client.HTTPException):
            return  # the server is gone: never acknowledged
        with lock:
            statuses.append(status)
            if status == 200:
                acknowledged[answer["items"][0]["id"]] = fields
            if stop_when is not None and stop_when(acknowledged):
                stop_when.fire()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(create, range(BURST)))
    return acknowledged, statuses


class KillAt:
    """Calls `kill` once, when `count` creates have been acknowledged."""

    def __init__(self, count, kill):
        self.count, self.kill, self.fired = count, kill, False

    def __call__(self, acknowledged):
        return not self.fired and len(acknowledged) >= self.count

    def fire(self):
        self.fired = True
        self.kill()


def assert_all_present_and_sound(folder, acknowledged):
    with LiveServer(config_for(folder)) as server:
        headers = vault_headers(server)
        status, _, answer = request("GET", server.url + "/v1/items", headers=headers)
    assert status == 200
    stored = {item["id"]: item for item in answer["items"]}
    for item_id, fields in acknowledged.items():
        assert item_id in stored, f"acknowledged item {item_id} was lost"
        assert {name: stored[item_id][name] for name in fields} == fields
    raw = sqlite3.connect(folder / "opp.db")
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        raw.close()


def test_sigkill_mid_burst_loses_no_acknowledged_create(tmp_path):
    server = LiveServer(config_for(tmp_path)).start()
    try:
        headers = vault_headers(server)
        acknowledged, statuses = burst(server, headers, KillAt(KILL_AFTER, lambda: server.process.kill()))
    finally:
        server.stop()
    print(f"SIGKILL after {len(acknowledged)} of {BURST} creates acknowledged")
    assert server.process.returncode == -signal.SIGKILL
    assert KILL_AFTER <= len(acknowledged) < BURST  # killed midway, with creates in flight
    assert set(statuses) <= {200}  # refused connections are not answers
    assert_all_present_and_sound(tmp_path, acknowledged)


def test_a_full_disk_refuses_cleanly_and_loses_nothing(tmp_path):
    server = LiveServer(config_for(tmp_path))
    server.start()  # once without a limit: the schema and the first pages
    headers = vault_headers(server)
    server.stop()
    limit = (tmp_path / "opp.db").stat().st_size + 96 * 1024
    server = LiveServer(config_for(tmp_path))
    server.args = [sys.executable, "-c", WITH_FILE_SIZE_LIMIT, str(limit), *server.args]
    server.start()
    try:
        acknowledged, statuses = burst(server, headers)
        assert server.process.poll() is None, "the server died on a full disk"
        status, _, _ = request("GET", server.url + "/v1/health")
        assert status in (200, 503)
    finally:
        server.process.kill()
        server.process.wait()
    refused = [status for status in statuses if status != 200]
    print(f"file size limit {limit} bytes: {len(acknowledged)} creates acknowledged, {len(refused)} refused")
    assert acknowledged and refused, "the file size limit was never reached"
    assert set(refused) == {503}, f"a full disk must be a 503, not {sorted(set(refused))}"
    assert_all_present_and_sound(tmp_path, acknowledged)
