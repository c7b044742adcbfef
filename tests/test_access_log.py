"""One access line per request: client, method, path, status, duration; nothing secret."""

import logging
import re

import pytest
import webtest

from conftest import PASSWORD

LINE = re.compile(r"^(\S+) (\S+) (\S+) (\d{3}|-) (\d+\.\d)ms$")


@pytest.fixture
def access(caplog):
    caplog.set_level(logging.DEBUG)

    def lines():
        return [r.getMessage() for r in caplog.records if r.name == "oppmini.access"]

    return lines


def test_one_line_per_request_with_its_parts(app, access):
    client = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "192.0.2.7"})
    client.get("/v1/health")
    client.put("/v1/health", status=405)
    client.get("/v1/nothing", status=404)
    lines = access()
    assert len(lines) == 3
    parsed = [LINE.match(line).groups() for line in lines]
    assert [p[:4] for p in parsed] == [
        ("192.0.2.7", "GET", "/v1/health", "200"),
        ("192.0.2.7", "PUT", "/v1/health", "405"),
        ("192.0.2.7", "GET", "/v1/nothing", "404"),
    ]


def test_no_query_string_header_or_body_is_logged(client, auth, access, caplog):
    headers = auth.user()
    client.get("/v1/health?token=query-secret", headers={**headers, "Cookie": "cookie-secret"})
    client.post_json("/v1/auth", {"username": "alice", "password": "body-secret"}, status=401)
    text = caplog.text + "\n".join(access())
    for secret in ("query-secret", "cookie-secret", "body-secret", PASSWORD, headers["x-opp-jwt"]):
        assert secret not in text
    assert access()[-2].endswith(tuple("0123456789ms")) and " /v1/health 200 " in access()[-2]


def test_a_path_cannot_forge_a_log_line(client, access):
    forged = "/v1/x\nFAKE 127.0.0.1 GET /v1/admin 200 1.0ms"
    client.get("/v1/x", extra_environ={"PATH_INFO": forged}, status=404)
    [line] = access()
    assert "\n" not in line and "%0AFAKE" in line


def test_a_long_path_is_cut(client, access):
    client.get("/v1/" + "a" * 5000, status=404)
    [line] = access()
    assert len(line) < 300
