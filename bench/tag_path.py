"""W17 in process: an open page's "did anything change?" (GET /v1/fetchall with If-None-Match, 304) against W1.

The page asks every 30 seconds while it is shown, so the unchanged answer must
stay cheap: at least half of W1's (GET /v1/health) requests per second. Both
are timed in turn in one process on W3's vault (5 categories, 50 items), the
server's work only: without HTTP and a load generator, whose fixed cost would
bring the two closer, so the share is a lower bound of the loaded one. The
304 carries the token and the passphrase as every vault read does (the data
key from the process's key cache, no Argon2), reads the categories, the items'
revisions and the memberships, and opens no record; the full fetchall is
timed beside it.

Then the same two under load over HTTP, as `make bench` loads W1: serve.py with
the production defaults, 8 keep-alive connections (wrk when installed, else
bench/loadgen.py), W1 and the 304 in turn for ROUNDS slices each.

Run alone with `python -m bench.tag_path`.
"""

import http.client
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import run, seed
from bench.inprocess import Wsgi
from oppmini.config import Config
from oppmini.web.app import make_app

CALLS = 2000
TARGET = 50  # percent of W1's requests per second
CATEGORIES, ITEMS = 5, 50


def tag_of(app, headers):
    """The ETag fetchall answers now: the request Wsgi.serve would make, with the answer's headers kept."""
    environ, answer = {}, {}

    def keep(request, start_response):
        environ.update(request)
        start_response("200 OK", [])
        return [b""]

    Wsgi(keep).serve("GET", "/v1/fetchall", None, headers)
    b"".join(app(environ, lambda line, answer_headers, exc_info=None: answer.update(answer_headers)))
    return next(value for name, value in answer.items() if name.lower() == "etag")


def measure():
    with tempfile.TemporaryDirectory(prefix="oppmini-tag-") as folder:
        app = make_app(Config(db_connect=f"sqlite:///{Path(folder)}/bench.db", allow_signup=True))
        call = Wsgi(app)
        call("PUT", "/v1/user", {"username": "bench", "password": seed.PASSWORD, "phrase": seed.PHRASE})
        token = call("POST", "/v1/auth", {"username": "bench", "password": seed.PASSWORD})["access_token"]
        headers = {"x-opp-jwt": token, "x-opp-phrase": seed.PHRASE}
        names = [f"Category {n}" for n in range(CATEGORIES)]
        categories = call("PUT", "/v1/categories", {"category_names": names}, headers)["categories"]
        items = [{**seed.item_fields(n), "category_id": categories[n % CATEGORIES]["id"]} for n in range(ITEMS)]
        call("PUT", "/v1/items", {"items": items}, headers)
        tagged = {**headers, "If-None-Match": tag_of(app, headers)}
        timings = {"health": [], "304": [], "fetchall": []}
        for _ in range(CALLS):  # in turn, so that a shared machine's load weighs on all alike
            for name, path, sent, status in (
                ("health", "/v1/health", None, "200"),
                ("304", "/v1/fetchall", tagged, "304"),
                ("fetchall", "/v1/fetchall", headers, "200"),
            ):
                began = time.perf_counter()
                line, _ = call.serve("GET", path, None, sent)
                timings[name].append(time.perf_counter() - began)
                if not line.startswith(status):
                    raise SystemExit(f"GET {path}: {line}, not {status}")
    medians = {name: statistics.median(values) for name, values in timings.items()}
    return {
        "calls": CALLS,
        "per_s": {name: round(1 / seconds) for name, seconds in medians.items()},
        "share": round(100 * medians["health"] / medians["304"], 1),
    }


ROUNDS, SLICE_SECONDS, CONNECTIONS = 5, 2, 8


def loaded():
    """W1 and the 304 over HTTP, in turn: {"W1": req/s, "304": req/s, "share": percent, "tool": ...}."""
    tool = shutil.which("wrk") or "python"
    with tempfile.TemporaryDirectory(prefix="oppmini-tag-http-") as folder:
        workdir, port = Path(folder), run.free_port()
        config = workdir / "opp.cfg"
        config.write_text(f"[DEFAULT]\ndb_connect = sqlite:///{workdir}/bench.db\nallow_signup = true\n")
        base = f"http://127.0.0.1:{port}"
        command = [sys.executable, str(run.ROOT / "serve.py"), "--config", str(config), "--port", str(port)]
        process = run.start(command, workdir / "serve.log", base + "/v1/health")
        try:
            data = seed.seed(base, needs={"reader"})
            headers = data.headers("reader")
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/v1/fetchall", headers=headers)
            answer = conn.getresponse()
            answer.read()
            tagged = {**headers, "If-None-Match": answer.getheader("ETag")}
            conn.request("GET", "/v1/fetchall", headers=tagged)
            if conn.getresponse().status != 304:
                raise SystemExit("GET /v1/fetchall with its own ETag did not answer 304")
            conn.close()
            counts = {"W1": [], "304": []}
            for _ in range(ROUNDS):
                for name, path, sent in (("W1", "/v1/health", {}), ("304", "/v1/fetchall", tagged)):
                    summary = run.load(tool, port, "GET", path, sent, None, CONNECTIONS, SLICE_SECONDS)
                    counts[name].append(summary["requests"] / (summary["duration_us"] / 1e6))
        finally:
            run.stop(process)
    per_s = {name: round(statistics.median(values)) for name, values in counts.items()}
    return {**per_s, "share": round(100 * per_s["304"] / per_s["W1"], 1), "tool": Path(tool).name}


def print_report(figures):
    # W1 is a load over HTTP in `make bench`: the target is judged there (print_loaded); this share, of the
    # server's work alone, is its lower bound.
    per_s = figures["per_s"]
    print(
        f"\nW17 in-process, median of {figures['calls']} calls each in turn, {ITEMS} items in {CATEGORIES} "
        f"categories: GET /v1/health {per_s['health']}/s, GET /v1/fetchall 304 {per_s['304']}/s "
        f"({figures['share']} % of W1 in process, the server's work alone: a lower bound of the share over HTTP), "
        f"full fetchall {per_s['fetchall']}/s"
    )


def print_loaded(figures):
    mark = "ok" if figures["share"] >= TARGET else "MISSED"
    print(
        f"W17 over HTTP ({figures['tool']}, {CONNECTIONS} connections, median of {ROUNDS} slices of "
        f"{SLICE_SECONDS} s in turn, W3's vault): W1 {figures['W1']}/s, fetchall 304 {figures['304']}/s "
        f"({figures['share']} % of W1, target >= {TARGET} %: {mark})"
    )


if __name__ == "__main__":
    print_report(measure())
    print_loaded(loaded())
