"""Helpers for the deployment tests: contrib/ files templated, TLS, real daemons, the scenario."""

import grp
import os
import pwd
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from live import ROOT, request, require_binary

CONTRIB = ROOT / "contrib"
START_TIMEOUT_SECONDS = 30
# Real Argon2id at a cost that keeps each server test within a few seconds.
CHEAP_SETTINGS = {"argon2_memory_kib": "64", "argon2_time_cost": "1", "argon2_parallelism": "1"}


def template(name, target, replacements):
    """contrib/`name` with each example value replaced, in order, written to `target`.

    Every example value must be in the file, so a contrib file that drifts
    from what the tests adapt fails here instead of going untested.
    """
    text = (CONTRIB / name).read_text(encoding="utf-8")
    for example, value in replacements.items():
        assert example in text, f"contrib/{name} no longer contains {example!r}"
        text = text.replace(example, value)
    Path(target).write_text(text, encoding="utf-8")
    return Path(target)


def example_config(target, **settings):
    """contrib/opp.cfg with the given keys set (uncommented), cheap Argon2 and sign-up on."""
    lines = (CONTRIB / "opp.cfg").read_text(encoding="utf-8").splitlines()
    wanted = {**CHEAP_SETTINGS, "allow_signup": "true", **settings}
    for key, value in wanted.items():
        places = [i for i, line in enumerate(lines) if line.lstrip("# ").startswith(f"{key} =")]
        assert len(places) == 1, f"contrib/opp.cfg should show '{key} =' once"
        lines[places[0]] = f"{key} = {value}"
    Path(target).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Path(target)


def runtime_distributions(name="oppmini"):
    """{name: installed Distribution} of what `name` needs at run time: its requirements without
    extras, and theirs, transitively, as the installed metadata says (so setup.cfg is the one list)."""
    found, seen, waiting = {}, set(), list(_needs(metadata.distribution(name), ()))
    while waiting:
        requirement = waiting.pop()
        step = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if step in seen:
            continue
        seen.add(step)
        found[step[0]] = dist = metadata.distribution(requirement.name)
        waiting.extend(_needs(dist, requirement.extras))
    return found


def _needs(dist, extras):
    """The requirements of `dist` that apply here with `extras` asked for (and those alone)."""
    for line in dist.requires or ():
        requirement = Requirement(line)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({"extra": extra}) for extra in ("", *extras)):
            yield requirement


def installed_files(dist):
    """The files `dist` installed into site-packages, as paths relative to it (scripts and data outside left out)."""
    return [file for file in dist.files or () if file.parts[0] != ".." and "__pycache__" not in file.parts]


def import_names(dists):
    """The top-level names `dists` can be imported by: their packages, modules and extension modules."""
    names = set()
    for dist in dists:
        for file in installed_files(dist):
            top = file.parts[0]
            if len(file.parts) > 1 and not top.endswith((".dist-info", ".egg-info", ".data")):
                names.add(top)
            elif len(file.parts) == 1 and file.suffix in (".py", ".so", ".pyd"):
                names.add(top.partition(".")[0])
    return names


def shared_folder():
    """A temp folder that a server's unprivileged user (www-data, nobody) can enter."""
    folder = Path(tempfile.mkdtemp(prefix="oppmini-deploy-"))
    folder.chmod(0o755)
    return folder


def service_user():
    """(user, group) a server started as root drops to; the caller's own otherwise."""
    if os.geteuid() == 0:
        return "www-data", "www-data"
    return pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name


def give_to(path, user):
    """Let `user` write `path` (a data folder) when the tests run as root."""
    if os.geteuid() == 0:
        shutil.chown(path, user, user)


def self_signed_certificate(folder):
    """(certificate, key) for localhost and 127.0.0.1, made with openssl for this test."""
    openssl = require_binary("openssl", "openssl")
    cert, key = Path(folder) / "cert.pem", Path(folder) / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    key.chmod(0o600)
    return cert, key


def trusting(cert):
    """An SSL context that verifies the server against `cert` only (hostname included)."""
    return ssl.create_default_context(cafile=str(cert))


class Daemon:
    """A server process started in the foreground, ready once `health_url` answers 200."""

    def __init__(self, args, health_url, log_path, env=None, cwd=None, context=None, extra_logs=()):
        self.args, self.health_url, self.log_path = [str(a) for a in args], health_url, Path(log_path)
        self.env = {**os.environ, **(env or {})}
        self.cwd, self.context, self.extra_logs = cwd, context, [Path(p) for p in extra_logs]
        self.process = None
        self.ready_status = 200  # the health URL's status that means "started"

    def start(self):
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                self.args, stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=self.cwd, start_new_session=True
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.args[0]} exited with {self.process.returncode}:\n{self.log()}")
            try:
                if request("GET", self.health_url, context=self.context, timeout=5)[0] == self.ready_status:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.args[0]} did not answer within {START_TIMEOUT_SECONDS}s:\n{self.log()}")

    def stop(self, timeout=15):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own session: the workers go too
            self.process.wait()

    def log(self):
        paths = [self.log_path, *self.extra_logs]
        return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in paths if p.exists())

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def scenario(base, context=None):
    """Sign up, log in, store an item, read the vault back, log out: the old token is refused."""
    password, phrase = "correct horse", "battery staple"

    def call(method, path, body=None, headers=None):
        return request(method, base + path, body, headers, context=context)

    assert call("PUT", "/v1/user", {"username": "alice", "password": password, "phrase": phrase})[2] == {
        "result": "success"
    }
    status, _, body = call("POST", "/v1/auth", {"username": "alice", "password": password})
    assert status == 200, body
    vault = {"x-opp-jwt": body["access_token"], "x-opp-phrase": phrase}

    status, _, body = call("PUT", "/v1/categories", {"category_names": ["Mail"]}, vault)
    assert status == 200, body
    category = body["categories"][0]
    item = {
        "name": "Mail",
        "url": "https://mail.example",
        "account": "",
        "username": "alice",
        "password": "s3cret, ü ✓",
        "blob": "recovery: 1234",
        "category_id": category["id"],
    }
    status, _, body = call("PUT", "/v1/items", {"items": [item]}, vault)
    assert status == 200, body
    item_id = body["items"][0]["id"]

    status, _, body = call("GET", "/v1/fetchall", headers=vault)
    assert status == 200, body
    assert body["categories"] == [{"id": category["id"], "name": "Mail", "sort_id": category["sort_id"]}]
    assert [{key: row[key] for key in (*item, "id")} for row in body["items"]] == [{**item, "id": item_id}]
    # The passphrase header crossed the proxy: a wrong one is refused.
    status, _, body = call("GET", "/v1/fetchall", headers={**vault, "x-opp-phrase": "not it"})
    assert (status, body["error"]) == (400, "Incorrect passphrase supplied!")

    assert call("DELETE", "/v1/auth", headers=vault)[2] == {"result": "success"}
    status, _, body = call("GET", "/v1/fetchall", headers=vault)
    assert status == 401
    assert (body["error"], body["description"]) == ("Invalid token", "Token has been revoked")
