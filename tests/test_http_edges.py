"""Every kind of response carries the security headers and a JSON body, over webtest and real HTTP."""

import json
import socket

import pytest
import webtest

from conftest import CHEAP_ARGON2
from live import LiveServer, write_config
from oppmini.web import app as app_module
from oppmini.web.app import make_app
from oppmini.web.middleware import CSP, SECURITY_HEADERS, STRICT_POLICY
from oppmini.web.routes import Route

LIMIT = 1000


def assert_secured(headers, policy=STRICT_POLICY):
    for name, value in SECURITY_HEADERS:
        assert headers[name] == value, name
    assert headers.get(CSP) == policy


def assert_json_error(status, headers, body, error=None):
    assert_secured(headers)
    assert headers["Content-Type"].startswith("application/json")
    answer = json.loads(body)
    assert answer["status_code"] == status
    assert set(answer) == {"status_code", "error", "description"}
    if error is not None:
        assert answer["error"] == error
    return answer


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/v1/health", 200),
        ("GET", "/api/v1/health", 200),
        ("GET", "/v1/no-such-thing", 404),
        ("PUT", "/v1/health", 405),
        ("DELETE", "/v1/auth", 401),
        ("POST", "/v1/auth", 400),
    ],
)
def test_headers_on_every_answer_of_the_app(client, method, path, status):
    answer = client.request(path, method=method, status=status)
    assert_secured(answer.headers)
    if status >= 400:
        assert_json_error(status, answer.headers, answer.body)


@pytest.fixture
def page_client(config, clock, tmp_path):
    folder = tmp_path / "page"
    folder.mkdir()
    (folder / "index.html").write_text("<!doctype html><script src=app.js></script>", encoding="utf-8")
    (folder / "app.js").write_text("console.log(1)", encoding="utf-8")
    return webtest.TestApp(make_app(config.replace(static_folder=str(folder)), clock=clock))


@pytest.mark.parametrize("path", ["/", "/app.js", "/some/client/route", "/index.html"])
def test_headers_on_the_web_page_and_its_files(page_client, path):
    # Another app (static_folder) brings its own policy; config static_csp is unset here.
    answer = page_client.get(path, status=200)
    assert_secured(answer.headers, policy=None)
    again = page_client.get(path, headers={"If-Modified-Since": answer.headers["Last-Modified"]}, status=304)
    assert_secured(again.headers, policy=None)
    assert_secured(page_client.head(path, status=200).headers, policy=None)


def test_headers_on_the_web_page_errors(page_client):
    assert_json_error(*_parts(page_client.post("/app.js", status=405)))
    assert_json_error(*_parts(page_client.get("/v1/nothing", status=404)))


def _parts(answer):
    return answer.status_int, answer.headers, answer.body


def test_headers_and_json_on_a_500_with_the_traceback_only_in_the_log(config, clock, monkeypatch, caplog):
    def broken(call):
        raise RuntimeError("a bug, with detail that must stay private")

    monkeypatch.setattr(app_module, "ROUTES", app_module.ROUTES + (Route("GET", "/broken", broken),))
    client = webtest.TestApp(make_app(config, clock=clock))
    answer = client.get("/v1/broken", status=500)
    body = assert_json_error(500, answer.headers, answer.body, "Internal Server Error")
    assert "private" not in json.dumps(body)
    assert "Traceback" in caplog.text and "must stay private" in caplog.text


NOT_UTF8 = [
    ("/v1/health?a=%ff", "The query string is not valid UTF-8"),
    ("/api/v1/generate?numChars=%C3", "The query string is not valid UTF-8"),
    ("/v1/he%ffalth", "The path is not valid UTF-8"),
    ("/v1/health/%ff", "The path is not valid UTF-8"),
    ("/%ff?a=1", "The path is not valid UTF-8"),
    ("/app.js?%ff", "The query string is not valid UTF-8"),
]


@pytest.mark.parametrize("url, description", NOT_UTF8)
def test_a_path_or_query_that_is_not_utf8_is_a_json_400(page_client, url, description):
    # No login needed to reach it: the query string was a 500, the path's bad bytes were dropped.
    answer = page_client.get(url, status=400)
    body = assert_json_error(400, answer.headers, answer.body, "Bad Request")
    assert body["description"] == description


def test_utf8_in_path_and_query_is_served(page_client):
    assert page_client.get("/v1/health?caf%C3%A9=%E2%82%AC", status=200).json["status"]
    assert page_client.get("/caf%C3%A9/route?x=%C3%A9", status=200).content_type == "text/html"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edges")
    config = write_config(
        folder,
        db_connect=f"sqlite:///{folder}/opp.db",
        max_body_bytes=LIMIT,
        **CHEAP_ARGON2,
    )
    with LiveServer(config) as live:
        yield live


def exchange(server, data, timeout=5):
    """Send raw bytes; every (status, headers, body) answered before the server closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        try:
            sock.sendall(data)
        except ConnectionResetError:
            pass  # the server refused before reading everything; its answer is still there
        sock.settimeout(timeout)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    return parse_responses(received)


def parse_responses(data):
    answers = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in lines[1:])
        length = int(headers.get("Content-Length", 0))
        answers.append((int(lines[0].split()[1]), headers, rest[:length]))
        data = rest[length:]
    return answers


def post(path, body, extra=b"", length=None, close=True):
    length = len(body) if length is None else length
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n"
    head += "Connection: close\r\n" if close else ""
    return head.encode() + extra + b"\r\n" + body


def chunked(path, body, extra=b""):
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
    head += "Connection: close\r\n"
    framed = b"".join(b"%x\r\n%s\r\n" % (len(body[i : i + 100]), body[i : i + 100]) for i in range(0, len(body), 100))
    return head.encode() + extra + b"\r\n" + framed + b"0\r\n\r\n"


OVERSIZED = json.dumps({"username": "alice", "password": "x" * 1500}).encode()
TOO_LARGE = "Payload Too Large"


def test_a_declared_oversized_body_is_413_json(server):
    [(status, headers, body)] = exchange(server, post("/v1/auth", OVERSIZED))
    assert status == 413
    assert (
        assert_json_error(413, headers, body, TOO_LARGE)["description"] == "The request body is larger than 1000 bytes"
    )


def test_a_far_oversized_body_is_refused_by_waitress_still_as_json(server):
    [(status, headers, body)] = exchange(server, post("/v1/auth", b"x" * 5000))
    assert status == 413
    assert_json_error(413, headers, body, TOO_LARGE)


@pytest.mark.parametrize("extra", [b"", b"Content-Length: 10\r\n"], ids=["no length", "lying length"])
def test_a_chunked_oversized_body_is_413_json(server, extra):
    [(status, headers, body)] = exchange(server, chunked("/v1/auth", OVERSIZED, extra))
    assert status == 413
    assert_json_error(413, headers, body, TOO_LARGE)


def test_a_chunked_body_within_the_limit_is_read_whole(server):
    body = json.dumps({"username": "nobody", "password": "x" * 900}).encode()
    [(status, headers, answer)] = exchange(server, chunked("/v1/auth", body))
    assert status == 401
    assert assert_json_error(401, headers, answer)["description"] == "Invalid credentials"


def test_a_length_shorter_than_the_body_gives_client_errors_only(server):
    answers = exchange(server, post("/v1/auth", OVERSIZED, length=10, close=False), timeout=1)
    assert answers[0][0] == 400
    assert assert_json_error(*answers[0], "Missing payload!")
    assert all(400 <= status < 500 for status, _, _ in answers)


@pytest.mark.parametrize(
    "data, status",
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: abc\r\n\r\n", 400),
        # More digits than int() converts: waitress dropped the connection unanswered.
        (
            b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + b"1" * 5000 + b"\r\n\r\n",
            400,
        ),
        (b"POST /v1/auth HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        (b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n", 431),
        # RFC 9112 asks for 501 on a transfer coding the server does not know.
        (b"GET /v1/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    ],
    ids=["bad start line", "bad length", "length too long for int", "bad chunk", "huge header", "unknown coding"],
)
def test_malformed_http_is_answered_by_waitress_as_json(server, data, status):
    logged_before = len(server.log())
    [(answered, headers, body)] = exchange(server, data)
    assert answered == status
    assert_json_error(status, headers, body)
    assert "Traceback" not in server.log()[logged_before:] and "uncaptured" not in server.log()[logged_before:]


@pytest.mark.parametrize("url, description", NOT_UTF8[:3])
def test_a_path_or_query_that_is_not_utf8_is_a_json_400_over_http(server, url, description):
    [(status, headers, body)] = exchange(server, f"GET {url} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    assert status == 400
    assert assert_json_error(400, headers, body, "Bad Request")["description"] == description
    assert "Traceback" not in server.log()


def test_the_access_log_has_a_line_for_refused_requests(server):
    exchange(server, b"GARBAGE\r\n\r\n")
    server.wait_for_log("400 (refused by the HTTP server: Bad Request)")
