"""What every answer shares: JSON errors, the method check, security headers."""

import pytest

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


@pytest.mark.parametrize("prefix", ["/v1", "/api/v1"])
def test_health(client, prefix, backend):
    answer = client.get(f"{prefix}/health", headers={"x-opp-jwt": "junk", "x-opp-phrase": "junk"})
    assert answer.json["status"] == "OpenPassPhrase service is running"
    assert answer.json["database"] == {"sqlite": "sqlite", "mariadb": "mysql"}[backend]


def test_health_says_the_longest_session_the_server_grants(config, clock):
    import dataclasses

    from webtest import TestApp

    from oppmini.web.app import make_app

    config = dataclasses.replace(config, max_exp_delta=7200)
    answer = TestApp(make_app(config, clock=clock)).get("/v1/health")
    assert answer.json["max_exp_delta"] == 7200


def test_unknown_api_path_is_a_json_404(client):
    for path in ("/v1/nothing", "/api/v1/nothing/here"):
        answer = client.get(path, status=404)
        assert answer.content_type == "application/json"
        assert answer.json["status_code"] == 404
        assert answer.json["error"] == "Not Found"


def test_wrong_method_is_a_json_405_with_allow_before_authentication(client):
    answer = client.put_json("/v1/auth", {"a": 1}, status=405)
    assert answer.json["status_code"] == 405
    assert set(answer.headers["Allow"].split(",")) == {"POST", "DELETE"}
    answer = client.get("/api/v1/user", status=405)
    assert set(answer.headers["Allow"].split(",")) == {"PUT", "POST", "DELETE"}


@pytest.mark.parametrize(
    "method, path, status",
    [("GET", "/v1/health", 200), ("GET", "/v1/nope", 404), ("GET", "/v1/auth", 405), ("DELETE", "/v1/auth", 401)],
)
def test_security_headers_on_every_answer(client, method, path, status):
    answer = client.request(path, method=method, status=status)
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers[name] == value
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_an_unexpected_error_is_a_json_500_with_the_traceback_in_the_log(client, app, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(app.services.signer, "issue", broken)
    client.put_json("/v1/user", {"username": "a", "password": "pw", "phrase": "phrase!"})
    answer = client.post_json("/v1/auth", {"username": "a", "password": "pw"}, status=500)
    assert answer.json == {
        "status_code": 500,
        "error": "Internal Server Error",
        "description": "The server could not complete the request.",
    }
    assert "internal detail" not in answer.text
    assert "RuntimeError: internal detail" in caplog.text


def test_health_shows_no_version_to_the_public(client):
    answer = client.get("/v1/health", headers={"Authorization": "Bearer anything-at-all-0123456789"}).json
    assert answer == {
        "status": "OpenPassPhrase service is running",
        "database": answer["database"],
        "migrations": "current",
        "max_exp_delta": 30 * 24 * 3600,
    }
