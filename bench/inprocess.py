"""In-process figures: one record open, Argon2 verify, and fetchall's server time by vault size."""

import io
import json
import statistics
import tempfile
import time
from pathlib import Path

from argon2 import PasswordHasher
from Crypto.Cipher import AES

from bench import seed
from oppmini.config import Config
from oppmini.seal import crypto, records
from oppmini.web.app import make_app

SIZES = (100, 1000, 2000, 5000)
# The bounds for fetchall at 2,000 items: a multiple of items x our own open cost, and of
# items x one pycryptodome EAX decrypt_and_verify of the same record (batched opening).
FETCHALL_BOUND = 1.3
STOCK_BOUND = 0.12


def best_of(function, repeat):
    """Median seconds of `repeat` calls."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def password_hasher():
    """A hasher at the production defaults, and the benchmark password hashed by it."""
    defaults = Config()
    hasher = PasswordHasher(
        time_cost=defaults.argon2_time_cost,
        memory_cost=defaults.argon2_memory_kib,
        parallelism=defaults.argon2_parallelism,
    )
    return hasher, hasher.hash(seed.PASSWORD)


def open_cost_us(count=1000):
    """Microseconds for crypto.open_sealed of one item record as the vault seals it.

    Under a data key as the server holds one (its EAX state prepared once), over
    `count` distinct records, as a fetchall opens them.
    """
    key = crypto.DataKey(crypto.new_data_key())
    sealed = []
    for item_id in range(1, count + 1):
        fields = seed.sealed_fields(item_id)
        sealed.append((records.seal_item(key, 1, item_id, fields), crypto.bind(records.ITEMS_TABLE, 1, item_id)))

    def open_all():
        for record, binding in sealed:
            crypto.open_sealed(key, record, binding)

    def stock_open_all():
        # pycryptodome's own EAX, set up for every record: the yardstick for fetchall.
        for record, binding in sealed:
            nonce, tag = record[1 : 1 + crypto.NONCE_BYTES], record[1 + crypto.NONCE_BYTES : crypto.RECORD_OVERHEAD]
            cipher = AES.new(key, AES.MODE_EAX, nonce=nonce, mac_len=crypto.TAG_BYTES)
            cipher.update(record[:1] + binding)
            cipher.decrypt_and_verify(record[crypto.RECORD_OVERHEAD :], tag)

    record_bytes = round(statistics.mean(len(record) for record, _ in sealed))
    return best_of(open_all, 5) / count * 1e6, record_bytes, best_of(stock_open_all, 3) / count * 1e6


class Wsgi:
    """Calls the app directly: server time without HTTP or a load generator."""

    def __init__(self, app):
        self.app = app

    def __call__(self, method, path, body=None, headers=None):
        """The answer parsed, after a check that it is a 2xx."""
        status, payload = self.serve(method, path, body, headers)
        if not status.startswith("2"):
            raise SystemExit(f"{method} {path}: {status} {payload[:200]!r}")
        return json.loads(payload)

    def serve(self, method, path, body=None, headers=None):
        """(status line, body bytes): the server's work only, as a WSGI server would drive it."""
        raw = b"" if body is None else json.dumps(body).encode("utf-8")
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "bench",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(raw),
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(raw)),
        }
        if body is not None:
            environ["CONTENT_TYPE"] = "application/json"
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        status = []
        chunks = self.app(environ, lambda line, headers, exc_info=None: status.append(line))
        return status[0], b"".join(chunks)


def fetchall_ms(sizes=SIZES):
    """{items: (median ms of GET /v1/fetchall, open cost in µs measured just before)}.

    The vault grows through the API; the open cost is measured next to each
    size, so that a shared machine's load weighs on both sides of the ratio alike.
    """
    with tempfile.TemporaryDirectory(prefix="oppmini-inprocess-") as folder:
        config = Config(db_connect=f"sqlite:///{Path(folder)}/bench.db", allow_signup=True)
        call = Wsgi(make_app(config))
        call("PUT", "/v1/user", {"username": "bench", "password": seed.PASSWORD, "phrase": seed.PHRASE})
        token = call("POST", "/v1/auth", {"username": "bench", "password": seed.PASSWORD})["access_token"]
        headers = {"x-opp-jwt": token, "x-opp-phrase": seed.PHRASE}
        made = call("PUT", "/v1/categories", {"category_names": [f"Category {n}" for n in range(5)]}, headers)
        category_ids = [category["id"] for category in made["categories"]]
        timings, stored = {}, 0
        for size in sizes:
            while stored < size:
                batch = min(seed.BATCH, size - stored)
                rows = [seed.item_fields(n, category_ids[n % 5]) for n in range(stored, stored + batch)]
                call("PUT", "/v1/items", {"items": rows}, headers)
                stored += batch
            assert len(call("GET", "/v1/fetchall", None, headers)["items"]) == size
            repeat = max(5, min(50, 20000 // size))
            open_us, _, stock_us = open_cost_us()
            timings[size] = (
                best_of(lambda: call.serve("GET", "/v1/fetchall", None, headers), repeat) * 1000,
                open_us,
                stock_us,
            )
        return timings


def measure():
    open_us, record_bytes, stock_us = open_cost_us()
    rows = []
    for size, (milliseconds, adjacent_open_us, adjacent_stock_us) in fetchall_ms().items():
        opens_ms = size * adjacent_open_us / 1000
        rows.append(
            {
                "items": size,
                "fetchall_ms": round(milliseconds, 2),
                "open_us": round(adjacent_open_us, 1),
                "items_x_open_ms": round(opens_ms, 2),
                "ratio": round(milliseconds / opens_ms, 3),
                "stock_eax_us": round(adjacent_stock_us, 1),
                "stock_ratio": round(milliseconds / (size * adjacent_stock_us / 1000), 3),
            }
        )
    return {
        "open_us": round(open_us, 2),
        "record_bytes": record_bytes,
        "stock_eax_us": round(stock_us, 2),
        "fetchall": rows,
    }


def print_report(figures):
    print(
        f"\nin-process: one record open ({figures['record_bytes']}-byte item record) {figures['open_us']:.1f} µs, "
        f"pycryptodome EAX decrypt_and_verify {figures['stock_eax_us']:.1f} µs"
    )
    print(f"{'items':>8}{'fetchall ms':>14}{'open µs':>10}{'items x open ms':>18}{'ratio':>8}{'EAX µs':>9}{'x EAX':>8}")
    for row in figures["fetchall"]:
        mark = ""
        if row["items"] == 2000:
            mark = (
                f"  (targets <= {FETCHALL_BOUND}{'  ok' if row['ratio'] <= FETCHALL_BOUND else '  MISSED'}, "
                f"x EAX <= {STOCK_BOUND}{'  ok' if row['stock_ratio'] <= STOCK_BOUND else '  MISSED'})"
            )
        print(
            f"{row['items']:>8}{row['fetchall_ms']:>14}{row['open_us']:>10}{row['items_x_open_ms']:>18}"
            f"{row['ratio']:>8}{row['stock_eax_us']:>9}{row['stock_ratio']:>8}{mark}"
        )
