"""The Makefile's help: every target it defines is listed, and nothing it lacks."""

import os
import re
import subprocess

from live import ROOT, require_binary


def test_make_help_lists_exactly_the_phony_targets():
    make = require_binary("make", "make")
    targets = set(re.findall(r"^\.PHONY: (\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    # Under `make test` the suite runs inside make: a nested make must not say "Entering directory".
    environ = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    shown = subprocess.run(
        [make, "-s", "help"], cwd=ROOT, env=environ, capture_output=True, text=True, check=True, timeout=30
    ).stdout
    listed = set(re.findall(r"^make (\S+)", shown, re.M))
    assert "serve" in targets and "test" in targets
    assert listed == targets


def test_make_serve_takes_the_port_from_opp_port():
    make = require_binary("make", "make")
    environ = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    planned = subprocess.run(
        [make, "-s", "-n", "serve", "OPP_PORT=8123"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    # The last line: the server started (lines before it set up .venv when it is not there yet).
    assert planned.strip().splitlines()[-1].split() == [".venv/bin/python", "serve.py", "--port", "8123"]
