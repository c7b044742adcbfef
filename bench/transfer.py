"""W10 import and W11 export: single slow requests, timed one at a time against yardsticks of the same run.

W10 POSTs a generated 2,000-entry Bitwarden JSON export to /v1/import, each
round into a fresh account (an empty vault, so every round imports all 2,000
entries under the default duplicates=skip, as a household moving in would).
Its time is held against 2 x (2,000 x one item seal + insert), measured
in-process just before on a database file of its own, and the server's peak
resident memory during it against 4 x the file size + 50 MiB. W11 GETs
/v1/export of that 2,000-item vault, taken in turn with GET /v1/fetchall.
"""

import base64
import http.client
import json
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench import inprocess, seed
from oppmini.config import Config
from oppmini.seal import crypto, records
from oppmini.store.db import Database
from oppmini.vault.sites import item_tag
from oppmini.web.app import make_app

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the tests' /proc helpers
from live import server_pids, status_bytes  # noqa: E402

ENTRIES = 2000
FOLDERS = 12
IMPORT_BOUND = 2.0  # x (entries x one item seal + insert)
MEMORY_FILE_FACTOR = 4
MEMORY_BASE_MIB = 50
EXPORT_BOUND = 1.5  # x fetchall of the same vault
EXPORT_FORMATS = ("oppmini-json", "bitwarden-json", "bitwarden-csv")
MIB = 1024 * 1024


def bitwarden_export(count=ENTRIES):
    """An unencrypted Bitwarden JSON export as Bitwarden writes it: logins in folders, with notes,
    a custom field each, a TOTP seed for every third and a second URI for every fifth."""
    folders = [{"id": str(uuid.uuid4()), "name": f"Folder {number}"} for number in range(FOLDERS)]
    items = []
    for number in range(count):
        uris = [{"match": None, "uri": f"https://login.example{number}.com/account"}]
        if number % 5 == 0:
            uris.append({"match": None, "uri": f"https://m.example{number}.com/"})
        totp = base64.b32encode(secrets.token_bytes(20)).decode("ascii") if number % 3 == 0 else None
        items.append(
            {
                "id": str(uuid.uuid4()),
                "organizationId": None,
                "folderId": folders[number % FOLDERS]["id"] if number % 7 else None,
                "type": 1,
                "reprompt": 0,
                "name": f"Service {number}",
                "notes": seed.random_text(120) if number % 2 else None,
                "favorite": number % 10 == 0,
                "fields": [{"name": "PIN", "value": f"{number % 10000:04d}", "type": 1, "linkedId": None}],
                "login": {
                    "uris": uris,
                    "username": f"user{number}@example.org",
                    "password": seed.random_text(20),
                    "totp": totp,
                },
                "collectionIds": None,
            }
        )
    return json.dumps({"encrypted": False, "folders": folders, "items": items}, indent=2).encode("utf-8")


def seal_insert_us(workdir, count=ENTRIES):
    """Microseconds for one item's seal + insert as the import writes it (insert, seal bound to the new id,
    update), `count` of them in one transaction on a SQLite file of its own, divided by `count`."""
    url = f"sqlite:///{workdir}/sealinsert-{secrets.token_hex(4)}.db"
    call = inprocess.Wsgi(make_app(Config(db_connect=url, allow_signup=True)))
    call("PUT", "/v1/user", {"username": "bench", "password": seed.PASSWORD, "phrase": seed.PHRASE})
    key = crypto.DataKey(crypto.new_data_key())
    rows = []
    for number in range(count):
        fields = seed.sealed_fields(number)
        rows.append(fields)
    db = Database(url)
    with db.connect() as conn:
        user_id = conn.run("get_user_by_name", username="bench")["user_id"]
        now = int(time.time())
        began = time.perf_counter()
        with conn.transaction():
            for fields in rows:
                item_id = conn.run(
                    "insert_item", user_id=user_id, category_id=None, sort_id=0, sealed_fields=b"", now=now
                )
                conn.run(
                    "update_item",
                    item_id=item_id,
                    user_id=user_id,
                    category_id=None,
                    sort_id=0,
                    sealed_fields=records.seal_item(key, user_id, item_id, fields),
                    domain_tag=item_tag(key, fields["url"]),
                    now=now,
                )
        elapsed = time.perf_counter() - began
    return elapsed / count * 1e6


def reset_peaks(pids):
    """Each process's peak resident size back to its current one (Linux: 5 into clear_refs)."""
    for pid in pids:
        Path(f"/proc/{pid}/clear_refs").write_text("5")


class Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def request(self, method, path, body=None, headers=None):
        """(status, body bytes, milliseconds from sending to the last byte read)."""
        began = time.perf_counter()
        self.conn.request(method, path, body=body, headers=dict(headers or {}))
        response = self.conn.getresponse()
        payload = response.read()
        return response.status, payload, (time.perf_counter() - began) * 1000

    def ok(self, method, path, body=None, headers=None):
        status, payload, milliseconds = self.request(method, path, body, headers)
        if not 200 <= status < 300:
            raise SystemExit(f"{method} {path} answered {status}: {payload[:300]!r}")
        return payload, milliseconds

    def close(self):
        self.conn.close()


def fresh_account(client, name):
    body = {"username": name, "password": seed.PASSWORD, "phrase": seed.PHRASE}
    client.ok("PUT", "/v1/user", json.dumps(body), {"Content-Type": "application/json"})
    body = {"username": name, "password": seed.PASSWORD, "exp_delta": seed.TOKEN_SECONDS}
    answer, _ = client.ok("POST", "/v1/auth", json.dumps(body), {"Content-Type": "application/json"})
    headers = {"x-opp-jwt": json.loads(answer)["access_token"], "x-opp-phrase": seed.PHRASE}
    client.ok("GET", "/v1/categories", None, headers)  # the data key unlocked and cached before the timing
    return headers


def measure_import(port, server_pid, workdir, rounds):
    """W10: rounds of (in-process seal + insert cost, one import into a fresh account with its memory peak)."""
    export = bitwarden_export()
    client = Client(port)
    runs, headers = [], None
    try:
        for number in range(rounds):
            headers = fresh_account(client, f"import{number}")
            unit_us = seal_insert_us(workdir)
            pids = server_pids(server_pid)
            before_kib = max(status_bytes(pid, "VmRSS") // 1024 for pid in pids)
            reset_peaks(pids)
            answer, milliseconds = client.ok("POST", "/v1/import", export, headers)
            peak_kib = max(status_bytes(pid, "VmHWM") // 1024 for pid in pids)
            imported = json.loads(answer)["imported"]
            if imported != ENTRIES:
                raise SystemExit(f"POST /v1/import imported {imported} of {ENTRIES}: {answer[:300]!r}")
            runs.append(
                {
                    "import_ms": milliseconds,
                    "seal_insert_us": unit_us,
                    "rss_before_kib": before_kib,
                    "peak_kib": peak_kib,
                }
            )
    finally:
        client.close()
    file_bytes = len(export)
    import_ms = statistics.median(run["import_ms"] for run in runs)
    unit_us = statistics.median(run["seal_insert_us"] for run in runs)
    bound_ms = IMPORT_BOUND * ENTRIES * unit_us / 1000
    peak_mib = max(run["peak_kib"] for run in runs) / 1024
    memory_bound_mib = MEMORY_FILE_FACTOR * file_bytes / MIB + MEMORY_BASE_MIB
    result = {
        "entries": ENTRIES,
        "file_bytes": file_bytes,
        "rounds": rounds,
        "import_ms": round(import_ms, 1),
        "seal_insert_us": round(unit_us, 1),
        "entries_x_seal_insert_ms": round(ENTRIES * unit_us / 1000, 1),
        "ratio": round(import_ms / (ENTRIES * unit_us / 1000), 3),
        "peak_rss_mib": round(peak_mib, 1),
        # The largest rise during one import over the server's resident size just before it.
        "growth_mib": round(max(run["peak_kib"] - run["rss_before_kib"] for run in runs) / 1024, 1),
        "memory_bound_mib": round(memory_bound_mib, 1),
        "runs": [{key: round(value, 1) for key, value in run.items()} for run in runs],
    }
    result["import_ok"] = import_ms <= bound_ms
    result["memory_ok"] = peak_mib <= memory_bound_mib
    return result, headers


def measure_export(port, headers, rounds):
    """W11: each export format and GET /v1/fetchall of the same 2,000-item vault, taken in turn."""
    client = Client(port)
    timings = {name: [] for name in ("fetchall", *EXPORT_FORMATS)}
    try:
        payload, _ = client.ok("GET", "/v1/fetchall", None, headers)
        if len(json.loads(payload)["items"]) != ENTRIES:
            raise SystemExit("W11: the vault does not hold the imported items")
        for export_format in EXPORT_FORMATS:
            client.ok("GET", f"/v1/export?format={export_format}", None, headers)  # warm up
        for _ in range(rounds):
            timings["fetchall"].append(client.ok("GET", "/v1/fetchall", None, headers)[1])
            for export_format in EXPORT_FORMATS:
                timings[export_format].append(client.ok("GET", f"/v1/export?format={export_format}", None, headers)[1])
    finally:
        client.close()
    fetchall_ms = statistics.median(timings["fetchall"])
    rows = {}
    for export_format in EXPORT_FORMATS:
        milliseconds = statistics.median(timings[export_format])
        rows[export_format] = {"export_ms": round(milliseconds, 1), "ratio": round(milliseconds / fetchall_ms, 3)}
    return {
        "items": ENTRIES,
        "rounds": rounds,
        "fetchall_ms": round(fetchall_ms, 1),
        "formats": rows,
        "ok": all(row["ratio"] <= EXPORT_BOUND for row in rows.values()),
    }


def measure(port, server_pid, wanted, import_rounds, export_rounds):
    """{W10: ..., W11: ...} for those of them `wanted`; W11 exports the vault W10's last round filled."""
    if not wanted:
        return {}
    with tempfile.TemporaryDirectory(prefix="oppmini-transfer-") as folder:
        result, headers = measure_import(port, server_pid, Path(folder), import_rounds)
    figures = {}
    if "W10" in wanted:
        figures["W10"] = result
    if "W11" in wanted:
        figures["W11"] = measure_export(port, headers, export_rounds)
    return figures


def mark(ok):
    return "  ok" if ok else "  MISSED"


def print_report(figures):
    w10, w11 = figures.get("W10"), figures.get("W11")
    if w10:
        print(
            f"\nW10 POST /v1/import, {w10['entries']}-entry Bitwarden JSON ({w10['file_bytes'] / MIB:.2f} MiB), "
            f"fresh account, median of {w10['rounds']}: {w10['import_ms']} ms; one item seal + insert in-process "
            f"{w10['seal_insert_us']} µs, x {w10['entries']} = {w10['entries_x_seal_insert_ms']} ms; "
            f"ratio {w10['ratio']} (target <= {IMPORT_BOUND}){mark(w10['import_ok'])}"
        )
        print(
            f"    server peak resident memory during it {w10['peak_rss_mib']} MiB "
            f"(largest rise during one import {w10['growth_mib']} MiB; "
            f"target <= {MEMORY_FILE_FACTOR} x file + {MEMORY_BASE_MIB} MiB = {w10['memory_bound_mib']} MiB)"
            f"{mark(w10['memory_ok'])}"
        )
    if w11:
        print(
            f"W11 GET /v1/export, {w11['items']} items, median of {w11['rounds']} in turn with "
            f"GET /v1/fetchall {w11['fetchall_ms']} ms:"
        )
        for export_format, row in w11["formats"].items():
            print(
                f"    {export_format:<16}{row['export_ms']:>8} ms  ratio {row['ratio']} (target <= {EXPORT_BOUND})"
                f"{mark(row['ratio'] <= EXPORT_BOUND)}"
            )
