"""W15: a 10 MiB attachment up and down a live serve.py over keep-alive, against the bare WSGI floor.

The floor here moves the same 10 MiB through a WSGI app that does nothing
else: it reads a POST's body in pieces of 64 KiB and drops them, and answers
a GET with 10 MiB in pieces of 64 KiB, on waitress with its defaults (as
serve.py uses them, but for the pending output it bounds). Both are driven
the same way: one keep-alive connection each, an upload then a download,
ROUNDS times, a round of the floor and one of the server in turn, so that
the two are measured at the same moments of a shared machine (whose speed
drifts by a fifth within a minute). After every round, the floor's as the
server's, the bench waits SETTLE_SECONDS: the checkpoint a server upload
leaves to a thread (oppmini/store/checkpoints.py) runs during that round's
download, which pays for it, and is over before the floor's round begins,
which does not. The medians give MiB/s, and the server's over the floor's
is held against a third (extensions.md section 8, issue 27).

Run alone with `python -m bench.files`; `make bench` runs it after the loaded workloads.
"""

import hashlib
import http.client
import json
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import waitress

from bench import run, seed

FILE_BYTES = 10 * 1024 * 1024
PIECE_BYTES = 64 * 1024
ROUNDS = 9
# The pause after each round: a 10 MiB checkpoint takes about 30 ms.
SETTLE_SECONDS = 0.2
TARGET = 1 / 3
MIB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent
READY_SECONDS = 60


def floor_app(environ, start_response):
    """POST: the body read and dropped; GET: FILE_BYTES of zeros, both a piece at a time."""
    if environ["REQUEST_METHOD"] == "POST":
        left = int(environ.get("CONTENT_LENGTH") or 0)
        stream = environ["wsgi.input"]
        while left > 0:
            left -= len(stream.read(min(PIECE_BYTES, left)) or b"x" * left)
        body = b'{"result":"success"}'
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(FILE_BYTES))])
    piece = bytes(PIECE_BYTES)
    return (piece for _ in range(FILE_BYTES // PIECE_BYTES))


class RoundTrips:
    """One keep-alive connection to a server, an upload then a download of `data` per round; the
    download's SHA-256 checked against `data` when `download_path` is a function of the upload's
    answer. The times of every round are kept."""

    def __init__(self, port, upload_path, download_path, headers, data):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.upload_path, self.download_path, self.headers, self.data = upload_path, download_path, headers, data
        self.uploads, self.downloads = [], []

    def round(self):
        began = time.perf_counter()
        headers = {**self.headers, "Content-Type": "application/pdf"}
        self.conn.request("POST", self.upload_path, body=self.data, headers=headers)
        answer = self.conn.getresponse()
        text = answer.read()
        self.uploads.append(time.perf_counter() - began)
        if answer.status != 200:
            raise SystemExit(f"W15: POST {self.upload_path} answered {answer.status}: {text[:300]!r}")
        checked = callable(self.download_path)
        path = self.download_path(json.loads(text)) if checked else self.download_path
        began = time.perf_counter()
        self.conn.request("GET", path, headers=self.headers)
        answer = self.conn.getresponse()
        digest = hashlib.sha256()
        while piece := answer.read(MIB):
            digest.update(piece)
        self.downloads.append(time.perf_counter() - began)
        if checked and digest.digest() != hashlib.sha256(self.data).digest():
            raise SystemExit("W15: the file came back different")

    def medians(self):
        """(upload seconds, download seconds), the medians of the rounds."""
        return statistics.median(self.uploads), statistics.median(self.downloads)

    def close(self):
        self.conn.close()


def wait_for(port, path="/"):
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"W15: nothing answered on port {port} within {READY_SECONDS} s")


def running(command, log_path):
    with open(log_path, "wb") as log:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)


def measure():
    data = secrets.token_bytes(FILE_BYTES)
    with tempfile.TemporaryDirectory(prefix="oppmini-files-") as folder:
        folder = Path(folder)
        floor_port, server_port = free_port(), free_port()
        config = folder / "opp.cfg"
        # Production Argon2 and key-cache defaults, as the other workloads.
        config.write_text(f"[DEFAULT]\ndb_connect = sqlite:///{folder}/bench.db\nallow_signup = true\n")
        command = [sys.executable, str(ROOT / "serve.py"), "--config", str(config), "--port", str(server_port)]
        floor = running([sys.executable, "-m", "bench.files", "--floor", str(floor_port)], folder / "floor.log")
        server = running([*command, "--processes", "1"], folder / "serve.log")
        try:
            wait_for(floor_port)
            wait_for(server_port, "/v1/health")
            headers = account(server_port)
            item_id = call(server_port, "PUT", "/v1/items", {"items": [{"name": "Scans"}]}, headers)["items"][0]["id"]

            def download(answer):
                return f"/v1/items/{item_id}/attachments/{answer['attachment']['id']}"

            upload = f"/v1/items/{item_id}/attachments?name=scan.pdf"
            floor_trips = RoundTrips(floor_port, "/file", "/file", {}, data)
            server_trips = RoundTrips(server_port, upload, download, headers, data)
            try:
                for _ in range(ROUNDS):
                    for trips in (floor_trips, server_trips):
                        trips.round()
                        time.sleep(SETTLE_SECONDS)
            finally:
                floor_trips.close()
                server_trips.close()
        finally:
            run.stop(server)
            run.stop(floor)
    (floor_up, floor_down), (server_up, server_down) = floor_trips.medians(), server_trips.medians()
    mib = FILE_BYTES / MIB
    figures = {
        "file_mib": mib,
        "rounds": ROUNDS,
        "upload_mib_per_s": round(mib / server_up, 1),
        "download_mib_per_s": round(mib / server_down, 1),
        "floor_upload_mib_per_s": round(mib / floor_up, 1),
        "floor_download_mib_per_s": round(mib / floor_down, 1),
    }
    figures["upload_ratio"] = round(floor_up / server_up, 3)
    figures["download_ratio"] = round(floor_down / server_down, 3)
    return figures


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(port, method, path, body, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            method, path, body=json.dumps(body), headers={**(headers or {}), "Content-Type": "application/json"}
        )
        answer = conn.getresponse()
        text = answer.read()
        if answer.status != 200:
            raise SystemExit(f"W15: {method} {path} answered {answer.status}: {text[:300]!r}")
        return json.loads(text)
    finally:
        conn.close()


def account(port):
    call(port, "PUT", "/v1/user", {"username": "files", "password": seed.PASSWORD, "phrase": seed.PHRASE})
    body = {"username": "files", "password": seed.PASSWORD, "exp_delta": seed.TOKEN_SECONDS}
    token = call(port, "POST", "/v1/auth", body)["access_token"]
    return {"x-opp-jwt": token, "x-opp-phrase": seed.PHRASE}


def print_report(figures):
    print(
        f"\nW15: a {figures['file_mib']:g} MiB attachment up and down one keep-alive connection, median of "
        f"{figures['rounds']} rounds taken in turns with the bare WSGI floor moving the same bytes"
    )
    for way in ("upload", "download"):
        ratio = figures[f"{way}_ratio"]
        mark = "ok" if ratio >= TARGET else "MISSED"
        print(
            f"  {way}: {figures[f'{way}_mib_per_s']} MiB/s, floor {figures[f'floor_{way}_mib_per_s']} MiB/s, "
            f"ratio {ratio} (target >= {TARGET:.2f})  {mark}"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--floor"]:
        waitress.serve(floor_app, host="127.0.0.1", port=int(sys.argv[2]), _quiet=True)
    else:
        print_report(measure())
