"""W14: W3 (fetchall, 50 items) and W5 (create one item) on three app nodes over a three-node Galera cluster,
against one app node on a single MariaDB, in the same run.

Both databases are private servers started here, as the tests start them
(tests/dbserver.py, tests/galera.py: small buffers, no fsync), so the
figures compare the shapes, not tuned servers. Each app node is one
`serve.py` (1 process x 4 threads, production Argon2 defaults); app node n
lists database node n first. The load is 8 keep-alive connections in all,
spread over the app nodes, in slices taken in turn with the single setup so
that both see the same load from the rest of the machine. The ratios say
what the cluster gives: reads scale with app nodes only where there are
cores to run them; every write pays a certification round trip through the
group.

Run alone with `python -m bench.cluster [seconds]`; `make bench` runs it
when W14 is chosen (`BENCH_ARGS=--only W14`).
"""

import json
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from bench import seed
from bench.loadgen import run as load_python

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the private database servers of the tests

CONNECTIONS = 8
ROUNDS = 3
THREADS = 4
WORKLOADS = {
    "W3": ("GET", "/v1/fetchall", "reader", None),
    "W5": ("PUT", "/v1/items", "writer", seed.new_item_body),
}


def start_apps(urls, folder):
    """One serve.py per db_connect URL; the LiveServers, started."""
    from live import LiveServer, write_config

    apps = []
    for number, url in enumerate(urls, 1):
        where = folder / f"app{number}"
        where.mkdir(parents=True)
        config = write_config(where, db_connect=url, allow_signup="true", log_level="WARNING")
        apps.append(LiveServer(config, extra_args=["--processes", "1", "--threads", str(THREADS)]).start())
    return apps


def load(apps, method, path, headers, body, seconds):
    """Requests per second over all of `apps` together, the connections spread over them."""
    results = [None] * len(apps)
    share = [CONNECTIONS // len(apps) + (n < CONNECTIONS % len(apps)) for n in range(len(apps))]

    def one(n):
        results[n] = load_python(apps[n].port, method, path, headers, body, share[n], seconds)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(len(apps))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = sum(result["non_2xx"] + result["socket_errors"] for result in results)
    rate = sum(result["requests"] / (result["duration_us"] / 1e6) for result in results)
    return rate, errors


def measure(seconds=6):
    """{"W3": {...}, "W5": {...}}: each setup's req/s, the cluster's over the single's, errors."""
    from dbserver import MariaDB
    from galera import GaleraCluster

    single, cluster = MariaDB(), GaleraCluster()
    setups = {}
    with tempfile.TemporaryDirectory(prefix="oppmini-w14-") as folder:
        try:
            single.start()
            cluster.start()
            setups["single"] = start_apps([single.url(single.create_database())], Path(folder) / "single")
            database = cluster.create_database()
            urls = [cluster.url(database, first=node) for node in (1, 2, 3)]
            setups["cluster"] = start_apps(urls, Path(folder) / "cluster")
            seeded = {name: seed.seed(apps[0].url, needs={"reader", "writer"}) for name, apps in setups.items()}
            return {key: compare(setups, seeded, *workload, seconds) for key, workload in WORKLOADS.items()}
        finally:
            for app in (app for apps in setups.values() for app in apps):
                app.stop()
            cluster.stop()
            single.stop()


def compare(setups, seeded, method, path, user, body, seconds):
    """One workload on every setup, in slices taken in turn; mean req/s each, and the ratio."""
    rates, errors = {name: [] for name in setups}, 0
    for _ in range(ROUNDS):
        for name, apps in setups.items():
            data = seeded[name]
            text = json.dumps(body(data)) if body else None
            rate, failed = load(apps, method, path, data.headers(user), text, seconds / ROUNDS)
            rates[name].append(rate)
            errors += failed
    row = {name: round(sum(values) / len(values), 1) for name, values in rates.items()}
    return {**row, "ratio": round(row["cluster"] / row["single"], 2), "errors": errors}


def print_report(figures):
    print("\nW14, 8 connections: three app nodes on three Galera nodes against one app node on one MariaDB")
    for key, title in (("W3", "GET /v1/fetchall, 50 items"), ("W5", "PUT /v1/items, one new item")):
        row = figures[key]
        print(
            f"  {key} {title}: single {row['single']} req/s, cluster {row['cluster']} req/s, "
            f"ratio {row['ratio']} ({row['errors']} errors)"
        )


def missing():
    """What W14 lacks on this machine (Debian packages), or None."""
    from galera import PROVIDER

    server = shutil.which("mariadbd") or Path("/usr/sbin/mariadbd").exists()
    if not server or not Path(PROVIDER).exists() or not shutil.which("rsync"):
        return "W14 needs the Debian packages mariadb-server, galera-4 and rsync"
    return None


if __name__ == "__main__":
    if missing():
        sys.exit(missing())
    print_report(measure(*(float(arg) for arg in sys.argv[1:])))
