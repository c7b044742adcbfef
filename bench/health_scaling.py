"""W16 in process: GET /v1/vault/health over the 2,000-item vault, with a 1 GiB Pwned Passwords file.

The bound: the report costs at most 1.5 x GET /v1/fetchall of the same vault
plus the reads of the file (the report opens what fetchall opens, then looks
at each password). The file is generated under a temporary folder at bench
time, sorted by construction (evenly spaced synthetic hashes, `HASH:COUNT`
CRLF lines as the publisher's), and deleted after. The file's share is
measured apart (PwnedFile over the vault's passwords, with its count of
reads), and the strength estimate's share (zxcvbn over the same passwords)
is printed beside it, since it is the report's largest cost.

Run alone with `python -m bench.health_scaling`; `make bench` runs it with
the other in-process figures.
"""

import statistics
import tempfile
import time
from pathlib import Path

from bench import seed
from bench.inprocess import Wsgi
from oppmini.config import Config
from oppmini.vault.health import strength
from oppmini.vault.health.pwned import PwnedFile
from oppmini.web.app import make_app

ITEMS = 2000
FILE_BYTES = 1 << 30
LINE = "{:040X}:{}\r\n"  # 44 bytes with a one-digit count
BOUND = 1.5
CALLS = 3
LINES_PER_WRITE = 100_000


def write_hash_file(path, size=FILE_BYTES):
    """About `size` bytes of sorted synthetic lines (evenly spaced SHA-1 values); the count of lines."""
    lines = size // len(LINE.format(0, 1))
    step = (1 << 160) // lines
    with open(path, "w", encoding="ascii", newline="") as out:
        for start in range(0, lines, LINES_PER_WRITE):
            end = min(lines, start + LINES_PER_WRITE)
            out.write("".join(LINE.format(number * step, 1 + number % 9) for number in range(start, end)))
    return lines


def median_ms(function, calls=CALLS):
    timings = []
    for _ in range(calls):
        began = time.perf_counter()
        function()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings) * 1000


def measure():
    with tempfile.TemporaryDirectory(prefix="oppmini-health-") as folder:
        folder = Path(folder)
        began = time.perf_counter()
        lines = write_hash_file(folder / "pwned.txt")
        written_s = time.perf_counter() - began
        config = Config(
            db_connect=f"sqlite:///{folder}/bench.db", allow_signup=True, pwned_passwords_file=str(folder / "pwned.txt")
        )
        call = Wsgi(make_app(config))
        call("PUT", "/v1/user", {"username": "bench", "password": seed.PASSWORD, "phrase": seed.PHRASE})
        token = call("POST", "/v1/auth", {"username": "bench", "password": seed.PASSWORD})["access_token"]
        headers = {"x-opp-jwt": token, "x-opp-phrase": seed.PHRASE}
        items = [seed.item_fields(number) for number in range(ITEMS)]
        for start in range(0, ITEMS, seed.BATCH):
            call("PUT", "/v1/items", {"items": items[start : start + seed.BATCH]}, headers)
        if call("GET", "/v1/vault/health", None, headers)["exposed_check"] != "on":
            raise SystemExit("W16: the report did not search the file")
        health_ms = median_ms(lambda: call.serve("GET", "/v1/vault/health", None, headers))
        fetchall_ms = median_ms(lambda: call.serve("GET", "/v1/fetchall", None, headers))
        with PwnedFile(folder / "pwned.txt") as pwned:
            file_ms = median_ms(lambda: [pwned.count(item["password"]) for item in items], 1)
            reads = pwned.reads / len(items)
        zxcvbn_ms = median_ms(lambda: [strength.weakness(i["password"], strength.item_words(i)) for i in items], 1)
    return {
        "items": ITEMS,
        "file_bytes": FILE_BYTES,
        "file_lines": lines,
        "file_written_s": round(written_s, 1),
        "health_ms": round(health_ms, 1),
        "fetchall_ms": round(fetchall_ms, 1),
        "file_ms": round(file_ms, 1),
        "zxcvbn_ms": round(zxcvbn_ms, 1),
        "reads_per_password": round(reads, 1),
        "ratio": round(health_ms / (BOUND * fetchall_ms + file_ms), 2),
    }


def print_report(figures):
    mark = "ok" if figures["ratio"] <= 1 else "MISSED"
    print(
        f"\nW16 in-process: GET /v1/vault/health over {figures['items']} items, a {figures['file_bytes'] >> 20} MiB "
        f"Pwned Passwords file of {figures['file_lines']:,} lines (written in {figures['file_written_s']} s), "
        f"median of {CALLS} calls"
    )
    print(
        f"health {figures['health_ms']} ms, fetchall {figures['fetchall_ms']} ms, file lookups {figures['file_ms']} ms "
        f"({figures['reads_per_password']} reads per password), zxcvbn {figures['zxcvbn_ms']} ms"
    )
    print(f"health / ({BOUND} x fetchall + file): {figures['ratio']} (target <= 1)  {mark}")


if __name__ == "__main__":
    print_report(measure())
