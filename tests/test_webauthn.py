"""Security keys and passkeys as the second factor, through the API, with a key in software (tests/softkey.py).

Every refusal of a key's answer is the login's 401 `Invalid two-factor code`,
counted like a wrong code; Chromium's own authenticator is driven in
tests/test_webauthn_page.py.
"""

import logging

import pytest

from conftest import CHEAP_ARGON2, PASSWORD, Config
from otp import code_at
from softkey import SoftKey

ORIGIN = "https://vault.example.org"
LOGIN = {"username": "alice", "password": PASSWORD}
INVALID = {"status_code": 401, "error": "Bad Request", "description": "Invalid two-factor code"}


@pytest.fixture
def config(db_url):
    # Behind a proxy under a path: the relying party is the host, the origin scheme://host.
    return Config(db_connect=db_url, allow_signup=True, public_url=ORIGIN + "/opp/", **CHEAP_ARGON2)


@pytest.fixture
def alice(auth):
    auth.sign_up()
    return {"x-opp-jwt": auth.login()}


def asked(client, path="/v1/auth", body=LOGIN, headers=None, method="post"):
    """The request options of a 401 `Two-factor code required` (a login with the password only, by default)."""
    answer = getattr(client, f"{method}_json")(path, body, headers=headers, status=401).json
    assert answer["description"] == "Two-factor code required" and "webauthn" in answer["factors"]
    return answer["webauthn"]


def add_key(client, headers, key, name, proved_by=None):
    """Register `key` under `name` (PUT, proved by the key `proved_by` when a second factor is on, then POST)."""
    body = {"password": PASSWORD}
    if proved_by is not None:
        body["webauthn"] = proved_by.get(asked(client, "/v1/webauthn", body, headers, "put"), ORIGIN)
    options = client.put_json("/v1/webauthn", body, headers=headers).json["options"]
    credential = key.create(options, ORIGIN)
    return client.post_json("/v1/webauthn", {"name": name, "credential": credential}, headers=headers).json


def sign_in(client, key, status=200, **tamper):
    body = {**LOGIN, "webauthn": key.get(asked(client), ORIGIN, **tamper)}
    return client.post_json("/v1/auth", body, status=status).json


def events(client, headers):
    return [event["event"] for event in client.get("/v1/activity", headers=headers).json["events"]]


@pytest.fixture
def keys(client, alice):
    """alice's two keys: Blue, then Green (which does no user verification: preferred, not required)."""
    blue, green = SoftKey(), SoftKey(verified=False)
    first = add_key(client, alice, blue, "Blue")
    assert len(first["recovery_codes"]) == 10  # the account's first second factor
    second = add_key(client, alice, green, "Green", proved_by=blue)
    assert set(second) == {"result", "id"}  # codes once only
    return {"Blue": blue, "Green": green, "ids": {"Blue": first["id"], "Green": second["id"]}, **first}


def test_two_keys_each_sign_in_and_after_one_is_removed_the_other_still_does(client, alice, keys, clock):
    answer = client.post_json("/v1/auth", LOGIN, status=401).json
    assert answer["factors"] == ["webauthn"]
    options = answer["webauthn"]
    assert options["rpId"] == "vault.example.org" and options["userVerification"] == "preferred"
    assert len(options["allowCredentials"]) == 2 and options["attempt"]
    clock.advance(60)
    assert "access_token" in sign_in(client, keys["Blue"])
    clock.advance(60)
    assert "access_token" in sign_in(client, keys["Green"])
    listed = client.get("/v1/webauthn", headers=alice).json
    assert listed["available"] is True
    assert [(key["name"], key["last_used_at"] - key["created_at"]) for key in listed["keys"]] == [
        ("Blue", 60),
        ("Green", 120),
    ]
    assert listed["keys"][1]["transports"] == ["usb"]
    assert not any("public_key" in key or "credential_id" in key for key in listed["keys"])

    # Removing needs the password and a factor: here Green's touch.
    body = {"ids": [keys["ids"]["Blue"]], "password": PASSWORD}
    body["webauthn"] = keys["Green"].get(asked(client, "/v1/webauthn", body, alice, "delete"), ORIGIN)
    client.delete_json("/v1/webauthn", body, headers=alice)
    sign_in(client, keys["Blue"], status=401)
    assert "access_token" in sign_in(client, keys["Green"])
    assert "security_keys_removed" in events(client, alice)
    # The log says which factor signed in.
    logins = [e for e in client.get("/v1/activity", headers=alice).json["events"] if e["event"] == "login"]
    assert logins[0]["detail"]["second_factor"] == "security key"


def test_a_cloned_key_is_refused_and_logged(client, alice, keys, caplog):
    clone = keys["Blue"].clone()
    sign_in(client, keys["Blue"])  # the original moves its counter on
    with caplog.at_level(logging.INFO):
        assert sign_in(client, clone, status=401) == INVALID
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    blue_id = keys["ids"]["Blue"]
    assert warnings == [
        f"security key {blue_id} of user 1 signed with counter 2, not above the 2 last seen: "
        "possibly a cloned key; refused"
    ]
    failed = [e for e in client.get("/v1/activity", headers=alice).json["events"] if e["event"] == "login_code_failed"]
    assert failed[0]["detail"]["cloned_key"] == "Blue"
    # The original goes on working.
    assert "access_token" in sign_in(client, keys["Blue"])


def wrong_code_counted(client, alice, refused):
    """`refused()` fails as a wrong code does: a login_code_failed event each time, and past
    max_code_failures (5) the code step answers 429."""
    for _ in range(5):
        assert refused() == INVALID
    assert events(client, alice).count("login_code_failed") == 5
    answer = client.post_json("/v1/auth", LOGIN, status=429).json
    assert answer["error"] == "Too many attempts"


def test_a_replayed_assertion_is_refused_and_counted(client, alice, keys):
    options = asked(client)
    answer = keys["Blue"].get(options, ORIGIN)
    client.post_json("/v1/auth", {**LOGIN, "webauthn": answer})
    wrong_code_counted(
        client, alice, lambda: client.post_json("/v1/auth", {**LOGIN, "webauthn": answer}, status=401).json
    )


def test_a_challenge_from_another_login_attempt_is_refused_and_counted(client, alice, keys):
    def other_attempts_challenge():
        theirs, mine = asked(client), asked(client)
        answer = keys["Blue"].get(mine, ORIGIN, challenge=theirs["challenge"])
        return client.post_json("/v1/auth", {**LOGIN, "webauthn": answer}, status=401).json

    wrong_code_counted(client, alice, other_attempts_challenge)


def test_a_challenge_from_another_session_is_refused_at_login_and_registration(client, alice, auth, keys):
    # A registration challenge of another session answered at login.
    other = {"x-opp-jwt": auth.login(otp=keys["recovery_codes"][0])}
    body = {"password": PASSWORD, "otp": keys["recovery_codes"][1]}
    registration = client.put_json("/v1/webauthn", body, headers=other).json["options"]

    def answered_at_login():
        answer = keys["Blue"].get(asked(client), ORIGIN, challenge=registration["challenge"])
        return client.post_json("/v1/auth", {**LOGIN, "webauthn": answer}, status=401).json

    wrong_code_counted(client, alice, answered_at_login)
    # And at registration, from this session: only the session that asked may answer.
    credential = SoftKey().create(registration, ORIGIN)
    refused = client.post_json("/v1/webauthn", {"name": "Mine", "credential": credential}, headers=alice, status=400)
    assert refused.json["error"] == "Security key not registered"
    assert client.post_json("/v1/webauthn", {"name": "Mine", "credential": credential}, headers=other).json["id"]


@pytest.mark.parametrize(
    "tamper",
    [{"origin": "https://vault.example.org.evil.test"}, {"rp_id": "evil.test"}],
    ids=["wrong origin", "wrong RP id"],
)
def test_a_wrong_origin_or_rp_id_is_refused_and_counted(client, alice, keys, tamper):
    def signed_elsewhere():
        options = asked(client)
        key = keys["Blue"]
        key.counter += 1
        answer = key.get(options, tamper.get("origin", ORIGIN), rp_id=tamper.get("rp_id"))
        return client.post_json("/v1/auth", {**LOGIN, "webauthn": answer}, status=401).json

    wrong_code_counted(client, alice, signed_elsewhere)


def test_an_expired_challenge_and_garbage_are_refused(client, alice, keys, clock):
    options = asked(client)
    clock.advance(91)
    answer = keys["Blue"].get(options, ORIGIN)
    assert client.post_json("/v1/auth", {**LOGIN, "webauthn": answer}, status=401).json == INVALID
    for garbage in ("text", [], {"attempt": asked(client)["attempt"], "response": 5}, {"attempt": 7}):
        assert client.post_json("/v1/auth", {**LOGIN, "webauthn": garbage}, status=401).json == INVALID
    # A known key's id with each part of its answer spoiled: refused, never a 500.
    for part, spoilt in [
        ("authenticatorData", "AAAA"),
        ("authenticatorData", "!!"),
        ("clientDataJSON", "e30"),
        ("clientDataJSON", 5),
        ("signature", ""),
        ("signature", None),
    ]:
        clock.advance(901)  # past the code budget's window: each answer is looked at
        answer = keys["Blue"].get(asked(client), ORIGIN)
        answer["response"][part] = spoilt
        assert client.post_json("/v1/auth", {**LOGIN, "webauthn": answer}, status=401).json == INVALID
    assert "access_token" in sign_in(client, keys["Blue"])


def test_keys_and_totp_side_by_side_and_recovery_codes_cover_both(client, alice, auth, keys, clock):
    blue, codes = keys["Blue"], keys["recovery_codes"]
    # TOTP joins the keys (proved by a key); its confirmation makes new recovery codes.
    body = {"password": PASSWORD}
    body["webauthn"] = blue.get(asked(client, "/v1/2fa", body, alice, "put"), ORIGIN)
    secret = client.put_json("/v1/2fa", body, headers=alice).json["secret"]
    confirm = {"code": code_at(secret, clock()), "password": PASSWORD, "end_other_sessions": False}
    confirm["webauthn"] = blue.get(asked(client, "/v1/2fa", confirm, alice), ORIGIN)
    codes = client.post_json("/v1/2fa", confirm, headers=alice).json["recovery_codes"]
    answer = client.post_json("/v1/auth", LOGIN, status=401).json
    assert answer["factors"] == ["webauthn", "totp"] and "webauthn" in answer
    clock.advance(30)
    assert client.post_json("/v1/auth", {**LOGIN, "otp": code_at(secret, clock())}).json["access_token"]
    assert client.post_json("/v1/auth", {**LOGIN, "otp": codes[0]}).json["access_token"]
    assert sign_in(client, blue)["access_token"]

    # TOTP off: the keys stay, and so do the recovery codes.
    clock.advance(30)
    client.delete_json("/v1/2fa", {"password": PASSWORD, "otp": code_at(secret, clock())}, headers=alice)
    assert client.post_json("/v1/auth", LOGIN, status=401).json["factors"] == ["webauthn"]
    assert client.post_json("/v1/auth", {**LOGIN, "otp": codes[1]}).json["access_token"]
    assert client.get("/v1/2fa", headers=alice).json["recovery_codes_left"] == 8

    # The last key removed (password and a recovery code): no second factor, no codes left.
    body = {"ids": list(keys["ids"].values()), "password": PASSWORD}
    client.delete_json("/v1/webauthn", body, headers=alice, status=401)
    client.delete_json("/v1/webauthn", {**body, "otp": "wrong"}, headers=alice, status=401)
    client.delete_json("/v1/webauthn", {**body, "password": "wrong", "otp": codes[2]}, headers=alice, status=400)
    client.delete_json("/v1/webauthn", {**body, "otp": codes[2]}, headers=alice)
    assert client.get("/v1/2fa", headers=alice).json["recovery_codes_left"] == 0
    assert client.get("/v1/webauthn", headers=alice).json["keys"] == []
    assert client.post_json("/v1/auth", LOGIN).json["access_token"]


def test_ids_that_are_not_the_callers_remove_nothing(client, alice, auth, keys):
    auth.sign_up("bob")
    bob = {"x-opp-jwt": auth.login("bob")}
    bobs = add_key(client, bob, SoftKey(), "Bob's")["id"]
    for ids in ([bobs], [keys["ids"]["Blue"], 10**6], ["x"], [True]):
        body = {"ids": ids, "password": PASSWORD, "otp": keys["recovery_codes"][0]}
        answer = client.delete_json("/v1/webauthn", body, headers=alice, status=404).json
        assert answer["error"] == "Not Found"
    assert len(client.get("/v1/webauthn", headers=alice).json["keys"]) == 2
    assert len(client.get("/v1/webauthn", headers=bob).json["keys"]) == 1


def test_registration_refusals(client, alice):
    options = client.put_json("/v1/webauthn", {"password": PASSWORD}, headers=alice).json["options"]
    assert options["attestation"] == "none" and options["authenticatorSelection"]["userVerification"] == "preferred"
    assert options["rp"]["id"] == "vault.example.org"
    key = SoftKey()
    for name in ("", "   ", "x" * 101, "two\nlines", 5):
        answer = client.post_json(
            "/v1/webauthn", {"name": name, "credential": key.create(options, ORIGIN)}, headers=alice, status=400
        )
        assert answer.json["error"] == "Bad Request"
    wrong_origin = key.create(options, "https://evil.test")
    answer = client.post_json("/v1/webauthn", {"name": "K", "credential": wrong_origin}, headers=alice, status=400)
    assert answer.json["error"] == "Security key not registered"
    # The challenge went with that answer: the right one now finds none.
    right = key.create(options, ORIGIN)
    client.post_json("/v1/webauthn", {"name": "K", "credential": right}, headers=alice, status=400)
    client.put_json("/v1/webauthn", {"password": "wrong"}, headers=alice, status=400)
    assert client.get("/v1/webauthn", headers=alice).json["keys"] == []


def test_without_public_url_the_routes_say_so_and_codes_still_sign_in(client, alice, keys, db_url, clock):
    import webtest

    from oppmini.web.app import make_app

    plain = webtest.TestApp(make_app(Config(db_connect=db_url, **CHEAP_ARGON2), clock=clock))
    assert plain.get("/v1/webauthn", headers=alice).json["available"] is False
    answer = plain.put_json("/v1/webauthn", {"password": PASSWORD}, headers=alice, status=400).json
    assert answer == {
        "status_code": 400,
        "error": "Security keys unavailable",
        "description": "This server has no public_url set: security keys and passkeys need the address people "
        "open the page at.",
    }
    answer = plain.post_json("/v1/auth", LOGIN, status=401).json
    assert answer["factors"] == ["webauthn"] and "webauthn" not in answer
    assert plain.post_json("/v1/auth", {**LOGIN, "otp": keys["recovery_codes"][0]}).json["access_token"]


def test_public_url_is_checked_and_its_absence_noted():
    from oppmini import config as settings

    assert settings.parse({"public_url": "https://vault.example.org:8443/opp/"}).public_url
    for bad in ("vault.example.org", "ftp://x", "http://vault.example.org/", "https://u:p@x/", "http://127.0.0.1:8080"):
        with pytest.raises(settings.ConfigError, match="'public_url'"):
            settings.parse({"public_url": bad})
    assert settings.notes(Config()) == [
        "public_url is not set: security keys and passkeys (WebAuthn) are off; "
        "accounts that have one sign in with a one-time code or a recovery code"
    ]
    assert settings.notes(Config(public_url="http://localhost:8080")) == []
