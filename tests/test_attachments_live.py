"""A 25 MiB file up and down a live serve.py, and an export holding two: they come back whole, and the
server's memory stays flat."""

import base64
import hashlib
import http.client
import json
import secrets
import time
from pathlib import Path

from conftest import CHEAP_ARGON2, PASSWORD, PHRASE
from live import LiveServer, request, server_pids, status_bytes, write_config

MIB = 1024 * 1024
FILE_BYTES = 25 * MIB
# How far the server's peak resident size may rise while the file goes up and comes back.
MEMORY_RISE_BYTES = 8 * MIB


def reset_peaks(pids):
    """Each process's peak resident size back to its current one (Linux: 5 into clear_refs)."""
    for pid in pids:
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def round_trip(port, headers, item_id, data):
    """Upload `data` and read it back over one keep-alive connection; the SHA-256 of what came back."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(
            "POST",
            f"/v1/items/{item_id}/attachments?name=big.bin",
            body=data,
            headers={**headers, "Content-Type": "application/octet-stream"},
        )
        answer = conn.getresponse()
        attachment = json.loads(answer.read())["attachment"]
        assert answer.status == 200 and attachment["size"] == len(data)
        conn.request("GET", f"/v1/items/{item_id}/attachments/{attachment['id']}", headers=headers)
        answer = conn.getresponse()
        assert answer.status == 200
        digest = hashlib.sha256()
        while piece := answer.read(MIB):
            digest.update(piece)
        return digest.hexdigest()
    finally:
        conn.close()


def database_file_reaches(path, size, seconds=30):
    deadline = time.monotonic() + seconds
    while path.stat().st_size < size and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.stat().st_size >= size


def signed_up_with_an_item(server):
    """(headers of a new account's requests, the id of its one item)."""
    request("PUT", server.url + "/v1/user", {"username": "u", "password": PASSWORD, "phrase": PHRASE})
    token = request("POST", server.url + "/v1/auth", {"username": "u", "password": PASSWORD})[2]["access_token"]
    headers = {"x-opp-jwt": token, "x-opp-phrase": PHRASE}
    _, _, created = request("PUT", server.url + "/v1/items", {"items": [{"name": "big"}]}, headers)
    return headers, created["items"][0]["id"]


def upload(port, headers, item_id, name, data):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        path = f"/v1/items/{item_id}/attachments?name={name}"
        conn.request("POST", path, body=data, headers={**headers, "Content-Type": "application/octet-stream"})
        assert conn.getresponse().status == 200
    finally:
        conn.close()


def export_with_files(port, headers):
    """(the export's Content-Length, its body) of GET /v1/export?include_attachments=true."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", "/v1/export?include_attachments=true", headers=headers)
        answer = conn.getresponse()
        assert answer.status == 200
        return int(answer.getheader("Content-Length")), answer.read()
    finally:
        conn.close()


def test_25_mib_goes_up_and_down_whole_with_the_servers_peak_rise_under_8_mib(tmp_path):
    config = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", allow_signup="true", **CHEAP_ARGON2)
    with LiveServer(config, extra_args=("--processes", "1")) as server:
        headers, item_id = signed_up_with_an_item(server)
        # Once small, so that what every request loads (modules, caches) is in before the measurement.
        warm = secrets.token_bytes(MIB)
        assert round_trip(server.port, headers, item_id, warm) == hashlib.sha256(warm).hexdigest()

        data = secrets.token_bytes(FILE_BYTES)
        pids = server_pids(server.process.pid)
        before = max(status_bytes(pid, "VmRSS") for pid in pids)
        reset_peaks(pids)
        assert round_trip(server.port, headers, item_id, data) == hashlib.sha256(data).hexdigest()
        peak = max(status_bytes(pid, "VmHWM") for pid in pids)
        assert peak - before <= MEMORY_RISE_BYTES, f"peak rose {(peak - before) / MIB:.1f} MiB"
        print(f"peak rise {(peak - before) / MIB:.2f} MiB for a {FILE_BYTES // MIB} MiB file up and down")
        # The upload's commit left its checkpoint to the server's checkpoint thread: the file reaches
        # the database itself soon after, with no other write to set it off.
        assert database_file_reaches(tmp_path / "opp.db", FILE_BYTES)
        assert "Traceback" not in server.log()


def test_an_export_with_50_mib_of_files_is_streamed_with_the_servers_peak_rise_under_8_mib(tmp_path):
    config = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", allow_signup="true", **CHEAP_ARGON2)
    with LiveServer(config, extra_args=("--processes", "1")) as server:
        headers, item_id = signed_up_with_an_item(server)
        files = {"small.bin": secrets.token_bytes(100)}
        upload(server.port, headers, item_id, "small.bin", files["small.bin"])
        # Once small, so that what every export loads is in before the measurement.
        export_with_files(server.port, headers)
        # Two files of lengths 1 and 2 past a multiple of 3: base64 pads each differently.
        files.update({"one.bin": secrets.token_bytes(FILE_BYTES), "two.bin": secrets.token_bytes(FILE_BYTES - 1)})
        for name in ("one.bin", "two.bin"):
            upload(server.port, headers, item_id, name, files[name])
        pids = server_pids(server.process.pid)
        before = max(status_bytes(pid, "VmRSS") for pid in pids)
        reset_peaks(pids)
        length, body = export_with_files(server.port, headers)
        peak = max(status_bytes(pid, "VmHWM") for pid in pids)
        assert peak - before <= MEMORY_RISE_BYTES, f"peak rose {(peak - before) / MIB:.1f} MiB"
        print(f"peak rise {(peak - before) / MIB:.2f} MiB for an export of {len(body) / MIB:.0f} MiB")
        assert length == len(body)
        (item,) = json.loads(body)["items"]
        written = {one["name"]: base64.b64decode(one["data"], validate=True) for one in item["attachments"]}
        assert written == files
        assert "Traceback" not in server.log()
