"""The extension as a package: its pure-logic tests in Node, Mozilla's web-ext lint, `make extension`."""

import json
import os
import shutil
import subprocess
import zipfile

import pytest

from live import ROOT, require_binary

EXTENSION = ROOT / "extension"
# web-ext, installed by .ci/run (npm install --prefix .ci/web-ext); elsewhere npx runs it from npm's cache.
WEB_EXT = ROOT / ".ci" / "web-ext" / "node_modules" / ".bin" / "web-ext"


def test_node_tests_of_the_safety_rules_pass():
    node = require_binary("node", "nodejs")
    done = subprocess.run(
        [node, "--test", "extension/tests/"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout


def web_ext_command():
    if WEB_EXT.exists():
        return [str(WEB_EXT)]
    npx = shutil.which("npx")
    if npx is None:
        message = "npm is not installed (.ci/run installs it, then web-ext)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return [npx, "--yes", "web-ext"]


def test_web_ext_lint_finds_no_error():
    done = subprocess.run(
        [*web_ext_command(), "lint", "--source-dir", str(EXTENSION), "--output", "json", "--self-hosted"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(done.stdout[done.stdout.index("{") :])
    assert report["summary"]["errors"] == 0, report["errors"]
    assert report["metadata"]["manifestVersion"] == 3


def test_make_extension_zips_what_the_browser_loads():
    make = require_binary("make", "make")
    environ = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    subprocess.run([make, "-s", "extension"], cwd=ROOT, env=environ, check=True, capture_output=True, timeout=60)
    version = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))["version"]
    with zipfile.ZipFile(ROOT / "dist" / f"oppmini-extension-{version}.zip") as archive:
        names = set(archive.namelist())
    assert {"manifest.json", "background.js", "pages/popup.html", "content/fill.js", "lib/rules.js"} <= names
    assert not any(name.startswith("tests") for name in names)
    # Everything but the node tests and their package.json.
    shipped = {path.relative_to(EXTENSION).as_posix() for path in EXTENSION.rglob("*") if path.is_file()}
    shipped = {name for name in shipped if not name.startswith("tests/") and name != "package.json"}
    assert {name for name in names if not name.endswith("/")} == shipped
