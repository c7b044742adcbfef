"""W16 in process: GET /v1/vault/health over the 2,000-item vault, with a 1 GiB Pwned Passwords file.

The bound: the report costs at most 1.5 x GET /v1/fetchall of the same vault
plus the reads of the file (the report opens what fetchall opens, then looks
at each password). The file is generated under a temporary folder at bench
time, sorted by construction (random hashes spread as SHA-1 values are,
`HASH:COUNT` CRLF lines as the publisher's), and deleted after. The file's share is
measured apart (PwnedFile over the vault's passwords, with its count of
reads).

The vault is seeded through PUT /v1/items; the first report after that
derives each item's strength estimate and seed form and keeps them sealed
(oppmini/vault/health/kept.py), and is timed alone. Cold: the first report
of a new app on the same database (nothing kept in memory: no connection,
no open key; the passphrase unlock, the same for any first request, done by
a GET /v1/categories before it and timed apart), against the first fetchall
of other new apps likewise, medians of 3. Warm: the median of 3 calls of
each on one app, and of the report without the file (what it adds to
fetchall, free of the file's disk reads). Each figure is given in wall time
and in CPU time of this thread, which a shared machine's load inflates
least. zxcvbn over the same passwords is printed beside them: what the first
report pays once.

Run alone with `python -m bench.health_scaling`; `make bench` runs it with
the other in-process figures.
"""

import random
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
SEED = 16


def write_hash_file(path, size=FILE_BYTES):
    """About `size` bytes of sorted lines of hashes spread as SHA-1 values are; the count of lines.

    Sorted uniform draws are the running sums of exponential gaps scaled to
    the hash range: two passes of one seeded generator, the first for the
    sum, so nothing is held in memory. Evenly spaced hashes would make the
    interpolation search find every line at its first guess.
    """
    lines = size // len(LINE.format(0, 1))
    total = sum(_gaps(lines + 1))
    scale = (1 << 160) / total
    position = 0.0
    gaps = _gaps(lines)
    with open(path, "w", encoding="ascii", newline="") as out:
        for start in range(0, lines, LINES_PER_WRITE):
            piece = []
            for number in range(start, min(lines, start + LINES_PER_WRITE)):
                position += next(gaps)
                piece.append(LINE.format(int(position * scale), 1 + number % 9))
            out.write("".join(piece))
    return lines


def _gaps(count):
    draw = random.Random(SEED).expovariate
    return (draw(1.0) for _ in range(count))


def median_ms(function, calls=CALLS):
    """(median wall ms, median CPU ms of this thread) of `calls` calls of `function`."""
    walls, cpus = [], []
    for _ in range(calls):
        wall, cpu = time.perf_counter(), time.thread_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.thread_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def cold_ms(config, path, headers):
    """median_ms of the first `path` on each of CALLS new apps, after their unlock (a GET /v1/categories),
    and the wall ms of that unlock."""
    firsts, unlocks = [], []
    for _ in range(CALLS):
        call = Wsgi(make_app(config))
        unlocks.append(median_ms(lambda app=call: app("GET", "/v1/categories", None, headers), 1)[0])
        firsts.append(median_ms(lambda app=call: app("GET", path, None, headers), 1))
    walls, cpus = zip(*firsts, strict=True)
    return (statistics.median(walls), statistics.median(cpus)), statistics.median(unlocks)


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
        timed = {}
        # The first report derives each item's strength estimate and seed form and keeps them (kept.py).
        timed["first_health"] = median_ms(lambda: call("GET", "/v1/vault/health", None, headers), 1)
        timed["cold_health"], unlock_ms = cold_ms(config, "/v1/vault/health", headers)
        timed["cold_fetchall"], _ = cold_ms(config, "/v1/fetchall", headers)
        if call("GET", "/v1/vault/health", None, headers)["exposed_check"] != "on":
            raise SystemExit("W16: the report did not search the file")
        timed["health"] = median_ms(lambda: call.serve("GET", "/v1/vault/health", None, headers))
        # The report without the file: what it adds to fetchall, free of the file's disk reads.
        no_file = Wsgi(make_app(config.replace(pwned_passwords_file=None)))
        no_file("GET", "/v1/vault/health", None, headers)
        timed["health_without_file"] = median_ms(lambda: no_file.serve("GET", "/v1/vault/health", None, headers))
        timed["fetchall"] = median_ms(lambda: call.serve("GET", "/v1/fetchall", None, headers))
        with PwnedFile(folder / "pwned.txt") as pwned:
            timed["file"] = median_ms(lambda: [pwned.count(item["password"]) for item in items], 1)
            reads = pwned.reads / len(items)
        timed["zxcvbn"] = median_ms(
            lambda: [strength.weakness(i["password"], strength.item_words(i)) for i in items], 1
        )
    figures = {
        "items": ITEMS,
        "file_bytes": FILE_BYTES,
        "file_lines": lines,
        "file_written_s": round(written_s, 1),
        "unlock_ms": round(unlock_ms, 1),
        "reads_per_password": round(reads, 1),
    }
    for name, (wall, cpu) in timed.items():
        figures[f"{name}_ms"], figures[f"{name}_cpu_ms"] = round(wall, 1), round(cpu, 1)
    for clock in ("", "_cpu"):
        for start in ("", "cold_"):
            bound = BOUND * figures[f"{start}fetchall{clock}_ms"] + figures[f"file{clock}_ms"]
            figures[f"{start}ratio{clock}"] = round(figures[f"{start}health{clock}_ms"] / bound, 2)
    return figures


def print_report(figures):
    print(
        f"\nW16 in-process: GET /v1/vault/health over {figures['items']} items, a {figures['file_bytes'] >> 20} MiB "
        f"Pwned Passwords file of {figures['file_lines']:,} lines (written in {figures['file_written_s']} s); "
        f"{figures['reads_per_password']} reads per password"
    )
    print(
        f"the first report after the writes (derives and keeps every estimate): {figures['first_health_ms']} ms, "
        f"CPU {figures['first_health_cpu_ms']} ms; then cold: a new app's first call, after its unlock "
        f"({figures['unlock_ms']} ms); warm: median of {CALLS}"
    )
    for clock, title in (("", "wall"), ("_cpu", "CPU of this thread (what a shared machine's load inflates least)")):
        print(
            f"{title}: cold health {figures[f'cold_health{clock}_ms']} ms, fetchall "
            f"{figures[f'cold_fetchall{clock}_ms']} ms; warm health {figures[f'health{clock}_ms']} ms, fetchall "
            f"{figures[f'fetchall{clock}_ms']} ms, health without the file {figures[f'health_without_file{clock}_ms']} "
            f"ms; file lookups {figures[f'file{clock}_ms']} ms; zxcvbn over every password "
            f"{figures[f'zxcvbn{clock}_ms']} ms (paid once, by the first report)"
        )
        ratios = (figures[f"cold_ratio{clock}"], figures[f"ratio{clock}"])
        mark = "ok" if max(ratios) <= 1 else "MISSED"
        print(f"  health / ({BOUND} x fetchall + file): cold {ratios[0]}, warm {ratios[1]} (target <= 1)  {mark}")


if __name__ == "__main__":
    print_report(measure())
