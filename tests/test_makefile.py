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
