"""POST and DELETE /v1/auth, and the token checks every protected call makes."""

import json

import pytest

from conftest import PASSWORD, claims_of

INVALID_CREDENTIALS = {"status_code": 401, "error": "Bad Request", "description": "Invalid credentials"}


@pytest.mark.parametrize("prefix", ["/v1", "/api/v1"])
def test_login_answers_a_token_under_both_prefixes(client, auth, prefix):
    auth.sign_up()
    answer = client.post_json(f"{prefix}/auth", {"username": "alice", "password": PASSWORD})
    assert list(answer.json) == ["access_token"]
    claims = claims_of(answer.json["access_token"])
    assert claims["exp"] - claims["iat"] == 300
    assert claims["nbf"] == claims["iat"]
    assert isinstance(claims["identity"], int)


@pytest.mark.parametrize(
    "exp_delta, lifetime",
    [
        (3600, 3600),
        (1, 1),
        (90.9, 90),
        (0, 300),
        (-5, 300),
        ("3600", 300),
        (True, 300),
        (None, 300),
        (30 * 24 * 3600, 30 * 24 * 3600),
        (30 * 24 * 3600 + 1, 30 * 24 * 3600),
        (10**30, 30 * 24 * 3600),
        (1e308, 30 * 24 * 3600),
        (0.5, 300),
        (-1e308, 300),
    ],
)
def test_exp_delta_tolerance(client, auth, exp_delta, lifetime):
    auth.sign_up()
    token = auth.login(exp_delta=exp_delta)
    claims = claims_of(token)
    assert claims["exp"] - claims["iat"] == lifetime


@pytest.mark.parametrize("requested, lifetime", [(float("inf"), 2592000), (float("-inf"), 300), (float("nan"), 300)])
def test_exp_delta_that_json_cannot_spell_still_gives_a_lifetime(requested, lifetime):
    # A JSON integer too long for int() reaches token_lifetime as infinity.
    from oppmini.config import Config
    from oppmini.web.handlers.accounts import token_lifetime

    assert token_lifetime(requested, Config()) == lifetime


def test_absent_exp_delta_uses_the_configured_default(app, client, auth, config, clock):
    import webtest

    from oppmini.web.app import make_app

    other = webtest.TestApp(make_app(config.replace(exp_delta=120), clock=clock))
    auth.sign_up()
    token = other.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    assert claims_of(token)["exp"] - claims_of(token)["iat"] == 120


@pytest.mark.parametrize(
    "body",
    [
        {"username": "alice", "password": "wrong"},
        {"username": "nobody", "password": PASSWORD},
        {"username": "", "password": PASSWORD},
        {"username": "alice", "password": ""},
        {"username": "alice"},
        {"password": PASSWORD},
        {"username": ["alice"], "password": PASSWORD},
        {"username": "alice", "password": 12345},
        {},
    ],
)
def test_every_credential_failure_gets_the_same_answer(client, auth, body):
    auth.sign_up()
    answer = client.post_json("/v1/auth", body, status=401)
    assert answer.json == INVALID_CREDENTIALS


def test_login_ignores_phrase_and_stale_token_headers(client, auth):
    auth.sign_up()
    answer = client.post_json(
        "/v1/auth",
        {"username": "alice", "password": PASSWORD},
        headers={"x-opp-phrase": "", "x-opp-jwt": "stale.token.here"},
    )
    assert "access_token" in answer.json


@pytest.mark.parametrize(
    "content_type, description",
    [
        (None, "Missing Content-Type"),
        ("text/plain", "Invalid Content-Type"),
        ("application/jsonx", "Invalid Content-Type"),
    ],
)
def test_auth_content_type_faults_are_bad_requests(client, content_type, description):
    headers = {"Content-Type": content_type} if content_type else {}
    # request(), unlike post(), adds no Content-Type of its own.
    answer = client.request(
        "/v1/auth", method="POST", body=b'{"username": "a", "password": "b"}', headers=headers, status=400
    )
    assert answer.json == {"status_code": 400, "error": "Bad Request", "description": description}


def test_content_type_parameters_are_accepted(client, auth):
    auth.sign_up()
    body = json.dumps({"username": "alice", "password": PASSWORD}).encode()
    answer = client.post("/v1/auth", body, headers={"Content-Type": "application/json; charset=utf-8"})
    assert "access_token" in answer.json


# `{}` is an object: the 401 of missing credentials above, not one of these.
@pytest.mark.parametrize("body", [b"", b"{not json", b"[1, 2]", b"[]", b'"text"', b"\xff\xfe"])
def test_bodies_that_are_not_a_json_object(client, body):
    answer = client.post("/v1/auth", body, content_type="application/json", status=400)
    assert answer.json["error"] == "Missing payload!"


def test_no_token(client):
    answer = client.delete("/v1/auth", status=401)
    assert answer.json == {
        "status_code": 401,
        "error": "Authorization Required",
        "description": "Request does not contain an access token",
    }
    assert answer.headers["WWW-Authenticate"] == 'JWT realm="Login Required"'


def test_token_with_spaces(client, auth):
    auth.sign_up()
    token = auth.login()
    answer = client.delete("/v1/auth", headers={"x-opp-jwt": f"Bearer {token}"}, status=401)
    assert answer.json == {"status_code": 401, "error": "Invalid JWT header", "description": "Token contains spaces"}


def test_expired_token(client, auth, clock):
    auth.sign_up()
    token = auth.login(exp_delta=60)
    clock.advance(60)
    answer = client.delete("/v1/auth", headers={"x-opp-jwt": token}, status=401)
    assert answer.json == {"status_code": 401, "error": "Invalid token", "description": "Signature has expired"}


def test_token_signed_with_another_key(client, auth, config, clock):
    from oppmini.accounts.tokens import TokenSigner

    auth.sign_up()
    forged = TokenSigner("not the server's key", clock).issue(1, "whatever", 60)
    answer = client.delete("/v1/auth", headers={"x-opp-jwt": forged}, status=401)
    assert answer.json["error"] == "Invalid token"
    assert answer.json["description"] == "Signature verification failed"


def test_logout_everywhere_revokes_every_earlier_token(client, auth):
    auth.sign_up()
    first, second = auth.login(), auth.login()
    assert client.delete("/api/v1/auth", headers={"x-opp-jwt": first}).json == {"result": "success"}
    for token in (first, second):
        answer = client.delete("/v1/auth", headers={"x-opp-jwt": token}, status=401)
        assert answer.json == {"status_code": 401, "error": "Invalid token", "description": "Token has been revoked"}
    assert client.delete("/v1/auth", headers={"x-opp-jwt": auth.login()}).json == {"result": "success"}


def test_signing_key_is_kept_in_the_database_across_restarts(config, clock, auth):
    import webtest

    from oppmini.web.app import make_app

    auth.sign_up()
    token = auth.login()
    restarted = webtest.TestApp(make_app(config, clock=clock))
    assert restarted.delete("/v1/auth", headers={"x-opp-jwt": token}).json == {"result": "success"}


def test_configured_secret_key_signs_tokens(config, clock):
    import webtest

    from oppmini.accounts.tokens import TokenSigner
    from oppmini.web.app import make_app

    key = "a configured key of 32 characters"
    client = webtest.TestApp(make_app(config.replace(secret_key=key), clock=clock))
    client.put_json("/v1/user", {"username": "bob", "password": "pw", "phrase": "phrase!"})
    token = client.post_json("/v1/auth", {"username": "bob", "password": "pw"}).json["access_token"]
    assert TokenSigner(key, clock).read(token)["identity"] >= 1


@pytest.mark.parametrize("identity, description", [(2**70, "Invalid payload"), (0, "Invalid payload")])
def test_a_signed_identity_no_database_can_hold_is_a_401(app, client, identity, description):
    # 2**70 overflowed the database lookup: a 500.
    token = app.services.signer.issue(identity, "stamp", 60)
    answer = client.delete("/v1/auth", headers={"x-opp-jwt": token}, status=401)
    assert answer.json == {"status_code": 401, "error": "Invalid token", "description": description}


def test_the_largest_identity_a_database_holds_is_looked_up(app, client):
    token = app.services.signer.issue(2**63 - 1, "stamp", 60)
    answer = client.delete("/v1/auth", headers={"x-opp-jwt": token}, status=401)
    assert answer.json == {"status_code": 401, "error": "Invalid JWT", "description": "User does not exist"}


def test_header_bytes_that_are_not_utf8_are_refused_never_a_500(client, auth):
    headers = auth.user()
    # WSGI hands header bytes as latin-1; a token with a stray byte was accepted.
    answer = client.delete("/v1/auth", headers={"x-opp-jwt": headers["x-opp-jwt"] + "\xff"}, status=401)
    assert answer.json["description"] == "Signature verification failed"
    answer = client.get("/v1/items", headers={**headers, "x-opp-phrase": "\xff\xfe"}, status=400)
    assert answer.json["error"] == "Incorrect passphrase supplied!"
    answer = client.delete("/v1/auth", headers={"x-opp-jwt": "\xff\xfe.e30.e30"}, status=401)
    assert answer.json["description"] == "Invalid header"
