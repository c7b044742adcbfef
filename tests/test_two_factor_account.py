"""Two-factor login on every route that takes the password, enrolment needing the password, and the codes' budget."""

import pytest
import webtest

from conftest import CHEAP_ARGON2, PASSWORD, PHRASE, FakeClock
from oppmini.config import Config
from oppmini.web.app import make_app
from otp import code_at, enrol

CODE_REQUIRED = {
    "status_code": 401,
    "error": "Bad Request",
    "description": "Two-factor code required",
    "factors": ["totp"],
}
CODE_INVALID = {"status_code": 401, "error": "Bad Request", "description": "Invalid two-factor code"}
WRONG_PASSWORD = "Incorrect password supplied!"
NEW_PASSWORD = "a new password"


def wrong_code(secret, clock):
    return "000000" if code_at(secret, clock()) != "000000" else "111111"


def login(client, password=PASSWORD, status=200, address="192.0.2.1", **extra):
    body = {"username": "alice", "password": password, **extra}
    return client.post_json("/v1/auth", body, status=status, extra_environ={"REMOTE_ADDR": address}).json


def events(client, token):
    return client.get("/v1/activity", headers={"x-opp-jwt": token}).json["events"]


@pytest.fixture
def enrolled(client, auth, clock):
    """Alice with 2FA on: (her token, the secret, the recovery codes); the clock a step past the confirming code."""
    auth.sign_up()
    token = auth.login()
    secret, codes = enrol(client, token, clock)
    clock.advance(30)
    return token, secret, codes


def test_changing_the_password_needs_the_code(client, clock, enrolled):
    token, secret, _ = enrolled
    change = {"username": "alice", "password": PASSWORD, "new_password": NEW_PASSWORD}
    assert client.post_json("/v1/user", change, status=401).json == CODE_REQUIRED
    assert client.post_json("/v1/user", {**change, "otp": wrong_code(secret, clock)}, status=401).json == CODE_INVALID
    # Nothing changed: the old password and a code still sign in, the new one does not.
    login(client, NEW_PASSWORD, status=401, otp=code_at(secret, clock()))
    assert "access_token" in login(client, otp=code_at(secret, clock()))
    assert [event["event"] for event in events(client, token)[:4]] == [
        "login",
        "login_failed_password",
        "login_code_failed",
        "login_code_missing",
    ]
    clock.advance(30)
    assert client.post_json("/v1/user", {**change, "otp": code_at(secret, clock())}).json == {"result": "success"}
    clock.advance(30)
    assert "access_token" in login(client, NEW_PASSWORD, otp=code_at(secret, clock()))


def test_deleting_the_account_needs_the_code(client, clock, enrolled):
    token, secret, _ = enrolled
    doomed = {"username": "alice", "password": PASSWORD}
    assert client.delete_json("/v1/user", doomed, status=401).json == CODE_REQUIRED
    assert client.delete_json("/v1/user", {**doomed, "otp": wrong_code(secret, clock)}, status=401).json == CODE_INVALID
    # The account and its session are still there.
    assert client.get("/v1/2fa", headers={"x-opp-jwt": token}).json["enabled"] is True
    failed = events(client, token)[:2]
    assert [event["event"] for event in failed] == ["login_code_failed", "login_code_missing"]
    assert failed[0]["detail"]["route"] == failed[1]["detail"]["route"] == "DELETE /v1/user"
    assert client.delete_json("/v1/user", {**doomed, "otp": code_at(secret, clock())}).json == {"result": "success"}
    login(client, status=401)


def test_a_wrong_password_on_the_account_routes_is_an_activity_event(client, auth):
    auth.sign_up()
    token = auth.login()
    client.post_json("/v1/user", {"username": "alice", "password": "wrong", "new_password": NEW_PASSWORD}, status=400)
    client.delete_json("/v1/user", {"username": "alice", "password": "wrong"}, status=400)
    failed = events(client, token)[:2]
    assert [(event["event"], event["detail"]) for event in failed] == [
        ("login_failed_password", {"route": "DELETE /v1/user"}),
        ("login_failed_password", {"route": "POST /v1/user"}),
    ]


def test_turning_off_takes_otp_or_code_and_answers_like_login(client, clock, enrolled):
    token, secret, _ = enrolled
    headers = {"x-opp-jwt": token}
    body = {"password": PASSWORD}
    assert client.delete_json("/v1/2fa", body, headers=headers, status=401).json == CODE_REQUIRED
    assert (
        client.delete_json("/v1/2fa", {**body, "otp": wrong_code(secret, clock)}, headers=headers, status=401).json
        == CODE_INVALID
    )
    assert client.delete_json("/v1/2fa", {**body, "otp": code_at(secret, clock())}, headers=headers).json == {
        "result": "success"
    }
    assert client.get("/v1/2fa", headers=headers).json["enabled"] is False


def test_starting_enrolment_again_while_on_needs_the_code(client, clock, enrolled):
    token, secret, _ = enrolled
    headers = {"x-opp-jwt": token}
    assert client.put_json("/v1/2fa", {"password": PASSWORD}, headers=headers, status=401).json == CODE_REQUIRED
    already = client.put_json(
        "/v1/2fa", {"password": PASSWORD, "otp": code_at(secret, clock())}, headers=headers, status=400
    ).json
    assert already["description"] == "Two-factor login is already on"


def test_enrolment_needs_the_password(client, auth, clock):
    auth.sign_up()
    token = auth.login()
    headers = {"x-opp-jwt": token}
    assert (
        client.put_json("/v1/2fa", {"password": "wrong"}, headers=headers, status=400).json["error"] == WRONG_PASSWORD
    )
    client.put("/v1/2fa", headers=headers, status=400)  # no password at all
    secret = client.put_json("/v1/2fa", {"password": PASSWORD}, headers=headers).json["secret"]
    for refused in ({"code": code_at(secret, clock())}, {"code": code_at(secret, clock()), "password": "wrong"}):
        client.post_json("/v1/2fa", refused, headers=headers, status=400)
    assert client.get("/v1/2fa", headers=headers).json["enabled"] is False
    assert [event["event"] for event in events(client, token)[:2]] == ["login_failed_password"] * 2
    body = {"code": code_at(secret, clock()), "password": PASSWORD}
    assert len(client.post_json("/v1/2fa", body, headers=headers).json["recovery_codes"]) == 10


def test_enrolment_ends_the_other_sessions_unless_asked_not_to(client, auth, clock):
    auth.sign_up()
    token, other = auth.login(), auth.login()
    enrol(client, token, clock)
    revoked = client.get("/v1/2fa", headers={"x-opp-jwt": other}, status=401).json
    assert revoked["description"] == "Token has been revoked"
    assert client.get("/v1/2fa", headers={"x-opp-jwt": token}).json["enabled"] is True
    assert events(client, token)[0]["detail"] == {"other_sessions_ended": 1}


def test_enrolment_may_keep_the_other_sessions(client, auth, clock):
    auth.sign_up()
    token, other = auth.login(), auth.login()
    enrol(client, token, clock, end_other_sessions=False)
    assert client.get("/v1/2fa", headers={"x-opp-jwt": other}).json["enabled"] is True
    client.post_json(
        "/v1/2fa",
        {"code": "123456", "password": PASSWORD, "end_other_sessions": "no"},
        headers={"x-opp-jwt": token},
        status=400,
    )


@pytest.fixture
def budget_client(db_url):
    clock = FakeClock()
    config = Config(db_connect=db_url, allow_signup=True, **CHEAP_ARGON2)
    client = webtest.TestApp(make_app(config, clock=clock))
    client.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
    return client, clock


def test_codes_have_a_budget_of_their_own_per_account(budget_client):
    client, clock = budget_client
    token = login(client)["access_token"]
    secret, _ = enrol(client, token, clock)
    clock.advance(30)
    # Five wrong codes (max_code_failures' default), each from another address.
    for number in range(5):
        assert login(client, status=401, address=f"198.51.100.{number}", otp=wrong_code(secret, clock)) == CODE_INVALID
    # The code step is refused for the account, even a right code from a new address...
    refused = login(client, status=429, address="203.0.113.50", otp=code_at(secret, clock()))
    assert refused["error"] == "Too many attempts" and int(refused["description"]) > 0
    # ...while the password step is still checked as before, and the owner's session still works.
    assert login(client, "wrong password", status=401, address="203.0.113.51")["description"] == "Invalid credentials"
    assert client.get("/v1/2fa", headers={"x-opp-jwt": token}).json["enabled"] is True
    # The account routes' code step is the same step.
    change = {"username": "alice", "password": PASSWORD, "new_password": NEW_PASSWORD, "otp": code_at(secret, clock())}
    assert client.post_json("/v1/user", change, status=429).json["error"] == "Too many attempts"
    # The budget's window over, the right code signs in.
    clock.advance(int(refused["description"]))
    assert "access_token" in login(client, address="203.0.113.50", otp=code_at(secret, clock()))


def test_wrong_codes_no_longer_spend_the_password_budget(db_url):
    clock = FakeClock()
    config = Config(db_connect=db_url, allow_signup=True, max_failures=3, **CHEAP_ARGON2)
    client = webtest.TestApp(make_app(config, clock=clock))
    client.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
    secret, _ = enrol(client, login(client)["access_token"], clock)
    clock.advance(30)
    # Five wrong codes from one address, past the password's limit there (3): each code is checked.
    for _ in range(5):
        assert login(client, status=401, otp=wrong_code(secret, clock)) == CODE_INVALID
    login(client, status=429, otp=code_at(secret, clock()))
    # The password's own count at this address was never spent by the codes.
    assert login(client, "wrong password", status=401)["description"] == "Invalid credentials"


def test_a_right_password_with_a_wrong_code_says_the_password_is_known(client, clock, enrolled):
    token, secret, _ = enrolled
    login(client, status=401, otp=wrong_code(secret, clock))
    event = events(client, token)[0]
    assert event["event"] == "login_code_failed"
    assert event["detail"]["password_known"] is True
    assert "password" in event["detail"]["warning"] and "knows" in event["detail"]["warning"]
