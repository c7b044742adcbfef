"""Two-factor login: enrolment, codes accepted once with one step of drift, recovery codes, guessing, reset."""

import base64
import subprocess
import sys
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlparse

import pytest
import webtest

from conftest import CHEAP_ARGON2, PASSWORD, PHRASE, FakeClock, execute_raw
from live import write_config
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


def login(client, password=PASSWORD, status=200, **extra):
    answer = client.post_json("/v1/auth", {"username": "alice", "password": password, **extra}, status=status)
    return answer.json


def test_the_code_helper_matches_rfc_6238():
    # RFC 6238 Appendix B, SHA-1 seed "12345678901234567890": 94287082 at T=59 (8 digits).
    seed = base64.b32encode(b"12345678901234567890").decode()
    assert code_at(seed, 59, digits=8) == "94287082"
    assert code_at(seed, 1111111109, digits=8) == "07081804"


def test_enrol_confirm_login_replay_recovery_and_off(client, auth, clock):
    auth.sign_up()
    token = auth.login()
    headers = {"x-opp-jwt": token}
    started = client.put_json("/v1/2fa", {"password": PASSWORD}, headers=headers).json
    assert set(started) == {"result", "secret", "otpauth", "qr_svg"} and started["result"] == "success"
    secret = started["secret"]
    assert len(base64.b32decode(secret)) == 20  # 160 bits
    uri = urlparse(started["otpauth"])
    assert (uri.scheme, uri.netloc, uri.path) == ("otpauth", "totp", "/oppmini:alice")
    assert parse_qs(uri.query) == {"secret": [secret], "issuer": ["oppmini"]}
    svg = ET.fromstring(started["qr_svg"])
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and len(svg) >= 1

    # Until a code confirms it, nothing changes at login.
    assert "access_token" in login(client)
    wrong = code_at(secret, clock() + 300)
    assert (
        client.post_json("/v1/2fa", {"code": wrong, "password": PASSWORD}, headers=headers, status=400).json[
            "description"
        ]
        == "Invalid two-factor code"
    )
    assert client.get("/v1/2fa", headers=headers).json == {
        "result": "success",
        "enabled": False,
        "recovery_codes_left": 0,
    }
    confirmed = client.post_json(
        "/v1/2fa", {"code": code_at(secret, clock()), "password": PASSWORD}, headers=headers
    ).json
    codes = confirmed["recovery_codes"]
    assert len(codes) == 10 == len(set(codes))
    assert client.get("/v1/2fa", headers=headers).json == {
        "result": "success",
        "enabled": True,
        "recovery_codes_left": 10,
    }

    assert login(client, status=401) == CODE_REQUIRED
    assert (
        login(client, "wrong password", status=401, otp=code_at(secret, clock()))["description"]
        == "Invalid credentials"
    )
    # The confirming code was taken: it cannot sign in.
    assert login(client, status=401, otp=code_at(secret, clock())) == CODE_INVALID
    clock.advance(30)
    current = code_at(secret, clock())
    assert "access_token" in login(client, otp=current)
    assert login(client, status=401, otp=current) == CODE_INVALID  # replayed

    # One step of drift each way, never two; and never a step before the last one taken.
    clock.advance(90)
    assert login(client, status=401, otp=code_at(secret, clock() - 60)) == CODE_INVALID
    assert "access_token" in login(client, otp=code_at(secret, clock() - 30))
    assert login(client, status=401, otp=code_at(secret, clock() + 60)) == CODE_INVALID
    assert "access_token" in login(client, otp=code_at(secret, clock() + 30))
    assert login(client, status=401, otp=code_at(secret, clock())) == CODE_INVALID  # older than the last taken

    # A recovery code works once, however it is grouped or cased.
    assert "access_token" in login(client, otp=codes[0].upper().replace("-", " "))
    assert login(client, status=401, otp=codes[0]) == CODE_INVALID
    assert "access_token" in login(client, otp=codes[1])
    assert client.get("/v1/2fa", headers=headers).json["recovery_codes_left"] == 8

    # Off: needs the password and a code, refused like a login's.
    clock.advance(60)
    body = {"password": "wrong password", "code": code_at(secret, clock())}
    assert (
        client.delete_json("/v1/2fa", body, headers=headers, status=400).json["error"] == "Incorrect password supplied!"
    )
    body = {"password": PASSWORD, "code": "000000" if code_at(secret, clock()) != "000000" else "111111"}
    assert client.delete_json("/v1/2fa", body, headers=headers, status=401).json == CODE_INVALID
    assert "access_token" not in login(client, status=401)
    body = {"password": PASSWORD, "code": code_at(secret, clock())}
    assert client.delete_json("/v1/2fa", body, headers=headers).json == {"result": "success"}
    assert "access_token" in login(client)
    assert (
        client.delete_json("/v1/2fa", body, headers=headers, status=400).json["description"]
        == "Two-factor login is off"
    )


def test_enrolment_states(client, auth, clock):
    auth.sign_up()
    headers = {"x-opp-jwt": auth.login()}
    password = {"password": PASSWORD}
    refused = client.post_json("/v1/2fa", {"code": "123456", **password}, headers=headers, status=400).json
    assert refused["description"] == "Two-factor login is not being set up: PUT /v1/2fa first"
    first = client.put_json("/v1/2fa", password, headers=headers).json["secret"]
    second = client.put_json("/v1/2fa", password, headers=headers).json["secret"]
    assert first != second
    # The newest enrolment is the one a code confirms.
    client.post_json("/v1/2fa", {"code": code_at(first, clock()), **password}, headers=headers, status=400)
    client.post_json("/v1/2fa", {"code": code_at(second, clock()), **password}, headers=headers)
    # While on, neither a new secret nor a second confirmation.
    clock.advance(30)
    refused = client.put_json("/v1/2fa", {"otp": code_at(second, clock()), **password}, headers=headers, status=400)
    assert refused.json["description"] == "Two-factor login is already on"
    again = client.post_json(
        "/v1/2fa", {"code": code_at(second, clock() + 30), **password}, headers=headers, status=400
    )
    assert again.json["description"] == "Two-factor login is already on"
    for code in (123456, None, ["123456"], ""):
        client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD, "otp": code}, status=401)


def test_the_secret_and_recovery_codes_are_not_stored_readably(client, auth, clock, db_url):
    auth.sign_up()
    secret, codes = enrol(client, auth.login(), clock)
    stored = repr(execute_raw(db_url, "SELECT * FROM two_factor")) + repr(
        execute_raw(db_url, "SELECT * FROM recovery_codes")
    )
    raw_secret = base64.b32decode(secret)
    for value in (secret, secret.lower(), raw_secret.hex(), *codes, *(code.replace("-", "") for code in codes)):
        assert value not in stored
    assert raw_secret not in b"".join(
        row[1] for row in execute_raw(db_url, "SELECT user_id, sealed_secret FROM two_factor")
    )
    assert len(execute_raw(db_url, "SELECT code_hash FROM recovery_codes")) == 10


def test_a_new_signing_key_leaves_no_code_valid(tmp_path, clock):
    """The secret is sealed under the signing key: another key cannot read it (README: opp-db reset-2fa)."""
    url = f"sqlite:///{tmp_path}/opp.db"
    config = Config(db_connect=url, allow_signup=True, secret_key="k" * 32, **CHEAP_ARGON2)
    client = webtest.TestApp(make_app(config, clock=clock))
    client.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
    secret, _ = enrol(client, login(client)["access_token"], clock)
    other = webtest.TestApp(make_app(config.replace(secret_key="j" * 32), clock=clock))
    clock.advance(30)
    assert login(other, status=401, otp=code_at(secret, clock())) == CODE_INVALID
    assert "access_token" in login(client, otp=code_at(secret, clock()))


@pytest.fixture
def strict_client(db_url):
    clock = FakeClock()
    config = Config(db_connect=db_url, allow_signup=True, max_failures=3, max_code_failures=3, **CHEAP_ARGON2)
    client = webtest.TestApp(make_app(config, clock=clock), extra_environ={"REMOTE_ADDR": "198.51.100.4"})
    client.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
    return client, clock


def test_wrong_codes_count_toward_the_code_budget(strict_client):
    client, clock = strict_client
    secret, _ = enrol(client, login(client)["access_token"], clock)
    clock.advance(30)
    wrong = "000000" if code_at(secret, clock()) != "000000" else "111111"
    # A right password with wrong codes: never a token, and each one counted.
    for _ in range(3):
        assert "access_token" not in login(client, status=401, otp=wrong)
    refused = login(client, status=429, otp=code_at(secret, clock()))
    assert refused["error"] == "Too many attempts" and "access_token" not in refused
    # The wait over, the right code signs in and the count starts again.
    clock.advance(int(refused["description"]))
    assert "access_token" in login(client, otp=code_at(secret, clock()))


def test_turning_off_counts_its_guesses(strict_client):
    client, clock = strict_client
    token = login(client)["access_token"]
    secret, _ = enrol(client, token, clock)
    headers = {"x-opp-jwt": token}
    clock.advance(30)
    for _ in range(3):
        client.delete_json(
            "/v1/2fa", {"password": "wrong", "code": code_at(secret, clock())}, headers=headers, status=400
        )
    body = {"password": PASSWORD, "code": code_at(secret, clock())}
    assert client.delete_json("/v1/2fa", body, headers=headers, status=429).json["error"] == "Too many attempts"


def test_opp_db_reset_2fa(tmp_path, clock):
    url = f"sqlite:///{tmp_path}/opp.db"
    client = webtest.TestApp(make_app(Config(db_connect=url, allow_signup=True, **CHEAP_ARGON2), clock=clock))
    client.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
    token = login(client)["access_token"]
    enrol(client, token, clock)
    assert login(client, status=401) == CODE_REQUIRED
    cfg = write_config(tmp_path, db_connect=url, **CHEAP_ARGON2)

    def reset(name):
        return subprocess.run(
            [sys.executable, "-m", "oppmini.admin", "--config", str(cfg), "reset-2fa", "-u", name],
            capture_output=True,
            text=True,
            timeout=60,
        )

    done = reset("alice")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Two-factor login of 'alice' turned off; they sign in with their password alone."
    assert "access_token" in login(client)
    assert reset("alice").stdout.strip() == "Two-factor login of 'alice' was already off."
    missing = reset("nobody")
    assert missing.returncode == 1 and missing.stderr.strip() == "Error: user 'nobody' does not exist"
    events = client.get("/v1/activity", headers={"x-opp-jwt": token}).json["events"]
    assert events[1]["event"] == "two_factor_off"
    assert (events[1]["detail"], events[1]["agent"]) == ({"by": "administrator"}, "opp-db")
    assert events[1]["at"] >= 1_700_000_000
