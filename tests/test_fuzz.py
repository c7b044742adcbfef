"""Schemathesis against a live serve.py: every operation, authenticated; no 5xx, answers as documented.

FUZZ_EXAMPLES sets the examples per operation (`make test` keeps it small;
`make fuzz` runs long).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CHEAP_ARGON2
from live import LiveServer, request, write_config

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    )
)
USERNAME, PASSWORD, PHRASE = "fuzz-owner-7c1", "fuzz password 7c1", "fuzz phrase 7c1"
SCHEMATHESIS = Path(sys.executable).with_name("st")
REVOKING = ("--exclude-operation-id", "delete_auth", "--exclude-operation-id", "delete_sessions")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    config = write_config(
        folder,
        db_connect=f"sqlite:///{folder}/opp.db",
        allow_signup="true",
        **CHEAP_ARGON2,
        # Throttling would turn most of the run into 429s; it has its own tests.
        max_failures=10**9,
        max_failures_per_address=10**9,
        threads=4,
        # The security key routes do their ceremonies (their options, their refusals of fuzzed answers).
        public_url="http://localhost",
    )
    with LiveServer(config) as live:
        yield live


def token(server):
    request("PUT", server.url + "/v1/user", {"username": USERNAME, "password": PASSWORD, "phrase": PHRASE})
    status, _, answer = request(
        "POST", server.url + "/v1/auth", {"username": USERNAME, "password": PASSWORD, "exp_delta": 86400}
    )
    assert status == 200
    # A collection holding an item, so that collection ids and collection_id values can hit something.
    headers = {"x-opp-jwt": answer["access_token"], "x-opp-phrase": PHRASE}
    status, _, created = request("PUT", server.url + "/v1/collections", {"names": ["Fuzzed"]}, headers)
    assert status == 200
    collection_id = created["collections"][0]["id"]
    assert (
        request(
            "PUT", server.url + "/v1/items", {"items": [{"name": "shared", "collection_id": collection_id}]}, headers
        )[0]
        == 200
    )
    return answer["access_token"]


def fuzz(server, folder, *selection):
    """Run schemathesis (in `folder`, where it keeps its cache); its exit code and cases generated."""
    jwt = token(server)
    command = [
        str(SCHEMATHESIS),
        "run",
        server.url + "/v1/openapi.json",
        "--url",
        server.url + "/v1",
        "-H",
        f"x-opp-jwt: {jwt}",
        "-H",
        f"x-opp-phrase: {PHRASE}",
        "--checks",
        CHECKS,
        "--max-examples",
        str(EXAMPLES),
        "--workers",
        "1",
        *selection,
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=3600, cwd=folder)
    # Shown when the test fails; its reproduction commands carry the secrets: masked.
    shown = run.stdout[-6000:] + "\n" + run.stderr[-2000:]
    print(shown.replace(jwt, "<token>").replace(PHRASE, "<passphrase>"))
    generated = re.search(r"(\d+) generated", run.stdout)
    return run.returncode, int(generated.group(1)) if generated else 0


def test_every_operation_with_authentication(server, tmp_path):
    # Logging out, and signing sessions out, revoke the token the run depends on: they get their own run below.
    code, cases = fuzz(server, tmp_path, *REVOKING)
    assert code == 0
    assert cases >= 10 * EXAMPLES
    assert "Traceback" not in server.log()


def test_logout_and_sessions_sign_out(server, tmp_path):
    code, cases = fuzz(server, tmp_path, *(option.replace("exclude", "include") for option in REVOKING))
    assert code == 0 and cases > 0
    assert "Traceback" not in server.log()
