"""`make bench`: workloads W1..W9 and W13 against a bare-WSGI floor measured in the same run, then W10..W12, W14.

Starts `serve.py` on a temporary SQLite database with production Argon2
defaults, seeds benchmark accounts through the API, loads each workload with
8 keep-alive connections (wrk when installed, else bench/loadgen.py), then
serves the floor (bench/floor.py) the same way, and prints and writes to JSON
each workload's req/s, p50, p99, share of the floor and non-2xx count; then
W10 import and W11 export, single slow requests timed against their own
yardsticks (bench/transfer.py), and W12 shared fetchall against fetchall of
as many personal items (bench/sharing.py); then W14, three app nodes on a
Galera cluster against one on a single MariaDB (bench/cluster.py), W15 a 10
MiB attachment up and down against a bare WSGI app moving as much
(bench/files.py) and W17 an unchanged fetchall's 304 against W1
(bench/tag_path.py); then in process: W13 by vault size (match_scaling.py),
W16's health report with a 1 GiB Pwned Passwords file (health_scaling.py),
W17's 304, bench/inprocess.py's figures and a key rotation (sharing.py).
"""

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from Crypto.Util import _raw_api  # noqa: E402

from bench import (  # noqa: E402
    cluster,
    files,
    health_scaling,
    inprocess,
    loadgen,
    match_scaling,
    seed,
    sharing,
    tag_path,
    transfer,
)
from bench.workloads import LOGIN_OVERHEAD_MS, SHARED, TRANSFERS, WORKLOADS, print_table  # noqa: E402
from oppmini.config import Config  # noqa: E402

START_TIMEOUT_SECONDS = 60
WARM_UP_SECONDS = 2


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(process, url, log_path):
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited with {process.returncode}:\n{Path(log_path).read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.1)
    process.terminate()
    sys.exit(f"server did not answer {url} within {START_TIMEOUT_SECONDS}s")


def start(args, log_path, url):
    with open(log_path, "wb") as log:
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    wait_until_up(process, url, log_path)
    return process


def stop(process):
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def load(tool, port, method, path, headers, body, connections, seconds):
    """One measured run; the summary of wrk.lua or loadgen.run."""
    if tool == "python":
        return loadgen.run(port, method, path, headers, body, connections, seconds)
    command = [tool, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "-s", str(BENCH / "wrk.lua")]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    env = {**os.environ, "BENCH_METHOD": method, "BENCH_BODY": body or ""}
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    return json.loads(line.removeprefix("BENCH_JSON "))


def figures(slices):
    """One workload's figures from its slices: totals for rates and counts, medians for latencies."""
    seconds = sum(run["duration_us"] for run in slices) / 1e6
    requests = sum(run["requests"] for run in slices)
    return {
        "req_per_s": round(requests / seconds, 2),
        "p50_ms": round(statistics.median(run["p50_us"] for run in slices) / 1000, 2),
        "p99_ms": round(statistics.median(run["p99_us"] for run in slices) / 1000, 2),
        "requests": requests,
        "seconds": round(seconds, 1),
        "non_2xx": sum(run["non_2xx"] for run in slices),
        "socket_errors": sum(run["socket_errors"] for run in slices),
    }


class Floor:
    """The bare-WSGI floor, served for the whole run and measured in turn with each workload.

    The machine may be shared: slices of floor and workload taken in turn see
    the same load from others, so a share of the floor stays meaningful.
    """

    def __init__(self, options, tool, workdir):
        self.options, self.tool, self.port = options, tool, free_port()
        self.process = start(
            [sys.executable, str(BENCH / "floor.py"), str(self.port)],
            workdir / "floor.log",
            f"http://127.0.0.1:{self.port}/",
        )
        self.runs = []

    def slice(self, seconds):
        return load(self.tool, self.port, "GET", "/", {}, None, self.options.connections, seconds)

    def record(self, slices):
        run = figures(slices)
        self.runs.append(run)
        return run

    def summary(self):
        """The median run by req/s, and every run's req/s."""
        ordered = sorted(self.runs, key=lambda run: run["req_per_s"])
        return {**ordered[len(ordered) // 2], "runs_req_per_s": [run["req_per_s"] for run in self.runs]}

    def stop(self):
        stop(self.process)


def login_latency(base, data, repeat):
    """Pairs of (in-process Argon2 verify, one HTTP login) taken in turn, so both see the same machine load."""
    import http.client
    from urllib.parse import urlsplit

    hasher, encoded = inprocess.password_hasher()
    body = json.dumps(seed.login_body(data))
    conn = http.client.HTTPConnection(urlsplit(base).hostname, urlsplit(base).port, timeout=60)
    verify_ms, login_ms = [], []
    try:
        for _ in range(repeat):
            began = time.perf_counter()
            hasher.verify(encoded, seed.PASSWORD)
            verify_ms.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            conn.request("POST", "/v1/auth", body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            login_ms.append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                raise SystemExit(f"POST /v1/auth answered {response.status}")
    finally:
        conn.close()
    verify, login = statistics.median(verify_ms), statistics.median(login_ms)
    return {
        "argon2_verify_ms": round(verify, 2),
        "login_ms": round(login, 2),
        "overhead_ms": round(login - verify, 2),
        "pairs": repeat,
    }


def run_workloads(options, tool, workdir, chosen, transfers, shared, floor):
    port = free_port()
    config_path = workdir / "opp.cfg"
    # Production Argon2 and key-cache defaults: nothing about them is set here.
    settings = {"db_connect": f"sqlite:///{workdir}/bench.db", "allow_signup": "true", "log_level": options.log_level}
    config_path.write_text("[DEFAULT]\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))
    command = [sys.executable, str(ROOT / "serve.py"), "--config", str(config_path), "--port", str(port)]
    if options.processes:
        command += ["--processes", str(options.processes)]
    if options.threads:
        command += ["--threads", str(options.threads)]
    base = f"http://127.0.0.1:{port}"
    process = start(command, workdir / "serve.log", base + "/v1/health")
    results, login = {}, None
    try:
        data = seed.seed(base, needs={w.user for w in chosen if w.user})
        for workload in chosen:
            headers = data.headers(workload.user) if workload.user else {}
            body = workload.body(data) if callable(workload.body) else workload.body
            body = json.dumps(body) if body is not None else None
            data.check(workload.method, workload.path, headers, body)
            seconds = options.slow_seconds if workload.slow else options.seconds
            rounds = options.slow_rounds if workload.slow else options.rounds
            slice_seconds = max(1, round(seconds / rounds))
            floor.slice(WARM_UP_SECONDS)
            load(tool, port, workload.method, workload.path, headers, body, options.connections, WARM_UP_SECONDS)
            floor_slices, slices = [], []
            for _ in range(rounds):
                floor_slices.append(floor.slice(slice_seconds))
                slices.append(
                    load(tool, port, workload.method, workload.path, headers, body, options.connections, slice_seconds)
                )
            adjacent = floor.record(floor_slices)
            row = figures(slices)
            row["floor_req_per_s"] = adjacent["req_per_s"]
            row["share_of_floor_pct"] = round(100 * row["req_per_s"] / adjacent["req_per_s"], 3)
            results[workload.key] = row
            print(
                f"  {workload.key}: {row['req_per_s']} req/s, floor in turn with it {adjacent['req_per_s']} req/s",
                flush=True,
            )
            if workload.key == "W2":
                login = login_latency(base, data, options.login_pairs)
        moved = transfer.measure(port, process.pid, transfers, options.import_rounds, options.export_rounds)
        if shared:
            moved[SHARED] = sharing.measure_w12(port, options.shared_rounds)
    finally:
        stop(process)
    return results, login, moved


def machine_facts(tool):
    model = ""
    if Path("/proc/cpuinfo").exists():
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    versions = {}
    for package in ("waitress", "bottle", "pycryptodome", "argon2-cffi", "orjson"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:
            versions[package] = "?"
    tool_version = "bench/loadgen.py"
    if tool != "python":
        tool_version = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        tool_version = tool_version.split(" Copyright")[0]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load_generator": tool_version,
        "packages": versions,
        "pycryptodome_backend": _raw_api.backend,
    }


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each run (default 10)")
    parser.add_argument("--slow-seconds", type=int, default=24, help="length of W2, W4 and W8 runs (default 24)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument(
        "--rounds", type=int, default=5, help="slices each run is cut into, taken in turn with the floor's (default 5)"
    )
    parser.add_argument("--slow-rounds", type=int, default=2, help="the same for W2, W4 and W8 (default 2)")
    parser.add_argument(
        "--import-rounds", type=int, default=3, help="W10 imports, each into a fresh account (default 3)"
    )
    parser.add_argument(
        "--export-rounds",
        type=int,
        default=15,
        help="W11 rounds of fetchall and each export format in turn (default 15)",
    )
    parser.add_argument(
        "--shared-rounds",
        type=int,
        default=100,
        help="W12 rounds of the member's and the personal fetchall in turn (default 100)",
    )
    parser.add_argument(
        "--rotation-rounds", type=int, default=3, help="in-process key rotations of a 2,000-item collection (default 3)"
    )
    parser.add_argument("--processes", type=int, help="serve.py --processes (default: serve.py's own)")
    parser.add_argument("--threads", type=int, help="serve.py --threads (default: serve.py's own)")
    parser.add_argument("--only", help="comma-separated workload ids, e.g. W1,W3")
    parser.add_argument("--login-pairs", type=int, default=15, help="Argon2/login pairs for W2's latency (default 15)")
    parser.add_argument("--loader", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument(
        "--log-level",
        default=Config().log_level,
        help="the server's log_level (default: the server's own, INFO, an access line per request)",
    )
    parser.add_argument("--skip-inprocess", action="store_true", help="skip the in-process measurements")
    parser.add_argument("--output", default=str(ROOT / "test-output" / "bench.json"), help="JSON results file")
    return parser.parse_args(argv)


def main(argv=None):
    options = parse_args(argv)
    tool = "python" if options.loader == "python" else shutil.which("wrk")
    if tool is None:
        if options.loader == "wrk":
            sys.exit("wrk is not installed (Debian package wrk)")
        tool = "python"
    wanted = set(options.only.split(",")) if options.only else None
    chosen = [w for w in WORKLOADS if wanted is None or w.key in wanted]
    transfers = {key for key in TRANSFERS if wanted is None or key in wanted}
    shared = wanted is None or SHARED in wanted
    defaults = Config()
    serving = {"processes": options.processes or defaults.processes, "threads": options.threads or defaults.threads}
    report = {"machine": machine_facts(tool), "serving": serving, "load_average_before": os.getloadavg()}
    machine = report["machine"]
    print(
        f"oppmini bench, {machine['date']}, {machine['cores']} cores ({machine['cpu']}), {machine['system']}, "
        f"Python {machine['python']}, pycryptodome {machine['packages']['pycryptodome']} "
        f"({machine['pycryptodome_backend']}), orjson {machine['packages']['orjson']}, {machine['load_generator']}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="oppmini-bench-") as folder:
        workdir = Path(folder)
        floor = Floor(options, tool, workdir) if chosen else None  # W10..W12 alone need no floor
        try:
            results, login, moved = run_workloads(options, tool, workdir, chosen, transfers, shared, floor)
        finally:
            if floor:
                floor.stop()
    report.update(floor=floor.summary() if floor else None, workloads=results, load_average_after=os.getloadavg())
    if floor:
        print_table(results, report["floor"], serving)
    if login:
        report["login"] = login
        mark = "  ok" if login["overhead_ms"] <= LOGIN_OVERHEAD_MS else "  MISSED"
        print(
            f"\nW2 latency, one connection, {login['pairs']} pairs taken in turn: Argon2 verify in-process "
            f"{login['argon2_verify_ms']} ms, POST /v1/auth {login['login_ms']} ms, "
            f"overhead {login['overhead_ms']} ms (target <= {LOGIN_OVERHEAD_MS}){mark}"
        )
    if moved:
        report["transfer"] = moved
        transfer.print_report(moved)
        if SHARED in moved:
            sharing.print_w12(moved[SHARED])
    if wanted is None or "W14" in wanted:
        if cluster.missing():
            print(f"\n{cluster.missing()}: skipped")
        else:
            report["cluster"] = cluster.measure()
            cluster.print_report(report["cluster"])
    measured(report, wanted, "W15", "attachments", files.measure, files.print_report)
    measured(report, wanted, "W17", "unchanged_fetchall", tag_path.loaded, tag_path.print_loaded)
    if not options.skip_inprocess:
        measured(report, wanted, "W13", "match_scaling", match_scaling.measure, match_scaling.print_report)
        measured(report, wanted, "W16", "health", health_scaling.measure, health_scaling.print_report)
        measured(report, wanted, "W17", "unchanged_fetchall_in_process", tag_path.measure, tag_path.print_report)
        report["inprocess"] = inprocess.measure()
        inprocess.print_report(report["inprocess"])
        report["rotation"] = sharing.measure_rotation(options.rotation_rounds)
        sharing.print_rotation(report["rotation"])
    print(f"\nload average before {report['load_average_before']}, after {report['load_average_after']}")
    output = Path(options.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {output}")
    failures = sum(row["non_2xx"] + row["socket_errors"] for row in results.values())
    return 1 if failures or (floor and report["floor"]["non_2xx"]) else 0


def measured(report, wanted, workload, key, measure, show):
    """report[key] = measure(), shown by `show`, when `workload` is wanted (every one is without --only)."""
    if wanted is None or workload in wanted:
        report[key] = measure()
        show(report[key])


if __name__ == "__main__":
    sys.exit(main())
