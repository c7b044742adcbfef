"""Real servers for end-to-end tests: `serve.py` as a subprocess, and a tiny HTTP client."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require_binary(name, package):
    """The binary's path; skip without it, but fail under CI, which installs it."""
    path = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()), None
    )
    if path is None:
        _missing(name, package)
    return path


def require_file(path, package):
    """`path` when it exists (a library, say); skip without it, but fail under CI, which installs it."""
    if not Path(path).exists():
        _missing(path, package)
    return path


def _missing(name, package):
    import pytest  # here, not above: bench/cluster.py borrows the test servers where pytest is not installed

    message = f"{name} is not installed (Debian package {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; .ci/run should have installed it")
    pytest.skip(message)


def write_config(folder, **settings):
    """An opp.cfg in `folder` with a [DEFAULT] section holding `settings`."""
    path = Path(folder) / "opp.cfg"
    lines = ["[DEFAULT]"] + [f"{key} = {value}" for key, value in settings.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_entry(config, code="import oppmini.wsgi", cwd=ROOT):
    """`python -c code` with OPP_TOP_CONFIG naming `config`: the WSGI entry point loaded as gunicorn,
    uWSGI and mod_wsgi load it. The finished process (its output as text)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**os.environ, "OPP_TOP_CONFIG": str(config)},
    )


class LiveServer:
    """`python serve.py --config FILE` on a free port, stopped with SIGTERM."""

    def __init__(self, config_path, port=None, extra_args=(), env=None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [sys.executable, str(ROOT / "serve.py"), "--config", str(config_path), "--port", str(self.port)]
        self.args += list(extra_args)
        self.env = {**os.environ, **(env or {})}
        self.process = None
        self.output = Path(config_path).parent / f"serve-{self.port}.log"

    def start(self):
        with open(self.output, "wb") as log:
            self.process = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=ROOT)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve.py exited with {self.process.returncode}:\n{self.log()}")
            try:
                if request("GET", self.url + "/v1/health")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"serve.py did not answer within {START_TIMEOUT_SECONDS}s:\n{self.log()}")

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Send `sig` and wait; the exit code."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def log(self):
        return self.output.read_text(encoding="utf-8", errors="replace") if self.output.exists() else ""

    def wait_for_log(self, text, timeout=2.0):
        """The log once it holds `text`: access lines come in batches, within a fraction of a second."""
        deadline = time.monotonic() + timeout
        while text not in self.log():
            assert time.monotonic() < deadline, f"{text!r} not logged within {timeout}s"
            time.sleep(0.02)
        return self.log()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def request(method, url, body=None, headers=None, timeout=30, context=None):
    """(status, headers, parsed JSON or raw bytes) over real HTTP; `context` for HTTPS."""
    data = None
    headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=context) as response:
            status, answer_headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, raw = error.code, error.headers, error.read()
    try:
        return status, answer_headers, json.loads(raw)
    except ValueError:
        return status, answer_headers, raw


def server_pids(pid):
    """A server's process and the workers it forked (their parent, read from /proc)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone meanwhile
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                children.append(int(entry.name))
    return [pid, *children]


def status_bytes(pid, field):
    """A memory figure of /proc/PID/status (VmRSS, VmHWM, ...) in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(f"/proc/{pid}/status has no {field}")
