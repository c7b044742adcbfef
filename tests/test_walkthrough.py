"""The README's curl walk-through, run as written against serve.py over real HTTP."""

import json
import subprocess
import sys

import pytest

from conftest import CHEAP_ARGON2
from importers.conftest import SAMPLES
from live import ROOT, LiveServer, require_binary, write_config

SECTIONS = (
    "## Using the API with curl",
    "## One-time codes, history, trash and search with curl",
    "## Import and export",
    "## Sharing",
    "## Matching logins to a site",
)
IMPORTS = SECTIONS[2]  # reads ../shared/imports, the corpus beside the checkout
SHARING = SECTIONS[3]  # two users: bob too
# The README's users, as `make adduser` makes them: (name, password, passphrase).
USERS = {"alice": ("alice", "correct horse", "battery staple"), "bob": ("bob", "bob password", "bob passphrase")}
README_URL = "http://127.0.0.1:8080"
# In the README's answers, "..." stands for a value that differs on every run
# (a generated password, a one-time code, a time).
ANY = "..."
STEP_MARK = "@@step@@"


def walkthrough(title):
    """(command, expected answer or None) for every `$ ` line of a README section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n" + title + "\n", 1)[1].split("\n## ", 1)[0]
    steps = []
    answer = None  # the last command's answer lines, until prose ends them
    for line in section.splitlines():
        if line.startswith("    $ "):
            steps.append([line[len("    $ ") :], []])
            answer = steps[-1][1]
        elif line.startswith("    ") and answer is not None and line.strip():
            answer.append(line.strip())
        elif line.strip():
            # An example further on (a 409 under "Several clients on one item") is no command's answer.
            answer = None
    return [(command, json.loads("".join(answer)) if answer else None) for command, answer in steps]


def matches(expected, actual):
    if expected == ANY:
        return (isinstance(actual, str) and actual != "") or (isinstance(actual, int) and not isinstance(actual, bool))
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and expected.keys() == actual.keys()
            and all(matches(value, actual[key]) for key, value in expected.items())
        )
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(map(matches, expected, actual))
    return type(expected) is type(actual) and expected == actual


def test_the_sections_cover_what_they_promise():
    v1, extensions, imports, sharing, matching = (
        " ".join(command for command, _ in walkthrough(title)) for title in SECTIONS
    )
    assert len(walkthrough(SECTIONS[0])) >= 20 and 'DELETE "$OPP/auth"' in v1
    for route in ("/items/1/totp", "/totp", "/items/1/history", "/search", '"$OPP/trash"', "agrees"):
        assert route in extensions
    for step in ("--data-binary @../shared/imports/bitwarden_pass-import.json", "dry_run=true", "/export", "rm "):
        assert step in imports
    for step in (
        '"$OPP/collections"',
        '"$OPP/collections/1/members"',
        '"role": "read"',
        '"role": "write"',
        '"usernames": ["bob"]',
        '"$OPP/fetchall" -H "$BOB"',
    ):
        assert step in sharing
    for step in ('"match": "exact"', '"$OPP/match"', "url=http://", "rm login.json"):
        assert step in matching


@pytest.mark.parametrize("title", SECTIONS)
def test_the_readme_walkthrough_works_as_written(tmp_path, title):
    bash = require_binary("bash", "bash")
    require_binary("curl", "curl")
    steps = walkthrough(title)
    workdir = tmp_path
    if title == IMPORTS:
        if SAMPLES is None:
            pytest.skip("the import corpus is not beside the project")
        # The README's paths are those of a checkout with the corpus beside it.
        workdir = tmp_path / "checkout"
        workdir.mkdir()
        (tmp_path / "shared").mkdir()
        (tmp_path / "shared" / "imports").symlink_to(SAMPLES)
    cfg = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", **CHEAP_ARGON2)
    # What `make adduser` does, with the README's secrets.
    for name, password, phrase in [USERS["alice"]] + ([USERS["bob"]] if title == SHARING else []):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "oppmini.admin",
                "--config",
                str(cfg),
                "add-user",
                "-u",
                name,
                "-p",
                password,
                "--phrase",
                phrase,
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
    with LiveServer(cfg) as server:
        script = "set -eu\n" + "".join(
            f"echo {STEP_MARK}\n{command.replace(README_URL, server.url)}\necho\n" for command, _ in steps
        )
        done = subprocess.run([bash, "-c", script], cwd=workdir, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    outputs = done.stdout.split(STEP_MARK + "\n")[1:]
    assert len(outputs) == len(steps)
    for (command, expected), output in zip(steps, outputs, strict=True):
        if expected is None:
            assert output.strip() == "", command
        else:
            assert matches(expected, json.loads(output)), f"{command}\n{output}"
    assert not list(workdir.glob("*.json")), "the walk-through deletes the files it made"
    assert not list(workdir.glob("oppmini-export-*")), "the walk-through deletes the export it made"
