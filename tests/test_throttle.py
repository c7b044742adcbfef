"""Guessing is throttled: per name, per account, per address; growing delays; shared by processes."""

import json
import logging

import pytest
import webtest

from conftest import PASSWORD, PHRASE, FakeClock
from oppmini.accounts.throttle import wait_seconds
from oppmini.config import parse_networks
from oppmini.web.app import make_app

TOO_MANY = "Too many attempts"
INVALID = {"status_code": 401, "error": "Bad Request", "description": "Invalid credentials"}


def login(client, username="alice", password="wrong guess", status=None):
    return client.post_json("/v1/auth", {"username": username, "password": password}, status=status or "*")


def assert_locked(answer, seconds):
    assert answer.status_int == 429
    assert answer.json == {"status_code": 429, "error": TOO_MANY, "description": str(seconds)}
    assert answer.headers["Retry-After"] == str(seconds)


def fail_logins(client, times, username="alice"):
    for _ in range(times):
        assert login(client, username).json == INVALID


@pytest.fixture
def argon2_calls(app, monkeypatch):
    """The Argon2 verifications the app has run: the memory cost of each hash verified."""
    passwords = app.services.accounts.passwords
    calls = []

    class CountingHasher:
        def __init__(self, real):
            self.real = real

        def verify(self, encoded, password):
            calls.append(int(encoded.split("$m=")[1].split(",")[0]))
            return self.real.verify(encoded, password)

        def __getattr__(self, name):
            return getattr(self.real, name)

    monkeypatch.setattr(passwords, "hasher", CountingHasher(passwords.hasher))
    return calls


def test_ten_failures_then_429_even_for_the_right_password(client, auth):
    auth.sign_up()
    fail_logins(client, 10)
    assert_locked(login(client), 30)
    # The right password is refused too: otherwise the lock would be an oracle.
    assert_locked(login(client, password=PASSWORD), 30)


def test_delays_grow_and_stop_at_the_window(client, auth, clock):
    auth.sign_up()
    fail_logins(client, 10)
    waits = []
    for _ in range(7):
        answer = login(client)
        waits.append(int(answer.headers["Retry-After"]))
        clock.advance(waits[-1] - 1)
        assert_locked(login(client), 1)
        clock.advance(1)
        assert login(client).json == INVALID  # one more guess, which doubles the next wait
    assert waits == [30, 60, 120, 240, 480, 900, 900]


def test_retry_after_counts_down(client, auth, clock):
    auth.sign_up()
    fail_logins(client, 10)
    clock.advance(12.5)
    assert_locked(login(client), 18)


def test_a_success_resets_the_count(client, auth, clock):
    auth.sign_up()
    fail_logins(client, 10)
    clock.advance(30)
    login(client, password=PASSWORD, status=200)
    fail_logins(client, 10)
    assert_locked(login(client), 30)


def test_failures_older_than_the_window_are_forgotten(client, auth, clock):
    auth.sign_up()
    fail_logins(client, 9)
    clock.advance(901)
    fail_logins(client, 9)
    login(client, password=PASSWORD, status=200)


def test_an_unknown_name_gets_the_same_answers_at_the_same_cost(client, auth, argon2_calls):
    auth.sign_up()
    answers = {}
    for username in ("alice", "nobody"):
        argon2_calls.clear()
        answers[username] = [
            (a.status_int, a.json, a.headers.get("Retry-After")) for a in (login(client, username) for _ in range(12))
        ]
        assert len(argon2_calls) == 10  # one verification per counted guess, none while locked
    assert answers["alice"] == answers["nobody"]
    assert answers["alice"][-1] == (429, {"status_code": 429, "error": TOO_MANY, "description": "30"}, "30")


def test_blank_credentials_are_counted_per_address(config, clock):
    client = webtest.TestApp(make_app(config.replace(max_failures_per_address=3), clock=clock))
    for _ in range(3):
        assert client.post_json("/v1/auth", {"username": "", "password": ""}, status=401).json == INVALID
    assert_locked(login(client, "someone"), 30)


def test_the_user_endpoint_is_throttled_like_a_login(client, auth):
    auth.sign_up()
    body = {"username": "alice", "password": "wrong guess", "new_password": "mine now"}
    for _ in range(10):
        client.post_json("/v1/user", body, status=400)
    assert_locked(client.post_json("/v1/user", {**body, "password": PASSWORD}, status=429), 30)
    assert_locked(client.delete_json("/v1/user", {"username": "alice", "password": PASSWORD}, status=429), 30)


def test_counts_are_in_the_database_for_every_process(config, clock, auth):
    auth.sign_up()
    fail_logins(auth.client, 10)
    # Another process over the same database: no memory shared with the first.
    other = webtest.TestApp(make_app(config, clock=clock))
    assert_locked(login(other, password=PASSWORD), 30)


def test_each_address_has_its_own_budget(config, clock):
    app = make_app(config.replace(max_failures_per_address=5, max_failures=100), clock=clock)
    mallory = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "192.0.2.1"})
    alice = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "192.0.2.2"})
    for number in range(5):
        assert login(mallory, f"user{number}").json == INVALID
    assert_locked(login(mallory, "someone else"), 30)
    assert login(alice, "someone else").json == INVALID


def phrase_change(client, phrase, status):
    body = {"username": "alice", "password": PASSWORD, "phrase": phrase, "new_phrase": "a new phrase"}
    return client.post_json("/v1/user", body, status=status)


def test_wrong_passphrases_lock_the_account_and_a_login_does_not_reset_them(client, auth, clock):
    auth.sign_up()
    for _ in range(10):
        phrase_change(client, "wrong phrase", 400)
        auth.login()  # a correct password must not buy more passphrase guesses
    assert_locked(phrase_change(client, PHRASE, 429), 30)
    clock.advance(30)
    phrase_change(client, PHRASE, 200)  # and a right passphrase clears the count
    for _ in range(10):
        phrase_change(client, "wrong phrase", 400)
    assert_locked(phrase_change(client, "a new phrase", 429), 30)


def test_wait_seconds():
    assert wait_seconds(9, 1000, 1000, 10, 900) == 0
    assert wait_seconds(10, 1000, 1000, 10, 900) == 30
    assert wait_seconds(10, 1000, 1029.5, 10, 900) == 1
    assert wait_seconds(10, 1000, 1030, 10, 900) == 0
    assert wait_seconds(13, 1000, 1000, 10, 900) == 240
    assert wait_seconds(100, 1000, 1000, 10, 900) == 900
    assert wait_seconds(100, 1000, 1901, 10, 900) == 0


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", "/v1/categories", None),
        ("GET", "/v1/fetchall", None),
        ("PUT", "/v1/items", {"items": [{"name": "x"}]}),
        ("POST", "/v1/categories", {"categories": []}),
    ],
)
def test_wrong_passphrases_on_vault_calls_are_counted_and_kept(config, clock, client, auth, method, path, body):
    headers = auth.user()
    wrong = {**headers, "x-opp-phrase": "not the phrase"}

    def call(chosen, status, through=client):
        if body is None:
            return through.request(path, method=method, headers=chosen, status=status)
        encoded = json.dumps(body).encode()
        return through.request(
            path, method=method, headers=chosen, body=encoded, content_type="application/json", status=status
        )

    for _ in range(10):
        assert call(wrong, 400).json["error"] == "Incorrect passphrase supplied!"
    assert_locked(call(headers, 429), 30)
    # Kept although every one of those requests failed, and seen by another process.
    other = webtest.TestApp(make_app(config, clock=clock))
    assert_locked(call(headers, 429, through=other), 30)
    clock.advance(30)
    call(headers, 200)
    call(wrong, 400)  # the success cleared the count: one failure is no lock
    call(headers, 200)


@pytest.mark.parametrize("trusted, separate", [("127.0.0.1", True), ("", False)])
def test_forwarded_addresses_count_only_behind_a_trusted_proxy(config, clock, trusted, separate):
    settings = config.replace(max_failures_per_address=3, max_failures=100)
    if trusted:
        settings = settings.replace(trusted_proxies=parse_networks(trusted))
    client = webtest.TestApp(make_app(settings, clock=clock), extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    for number in range(3):
        login(client, f"user{number}", status=401)  # X-Forwarded-For absent: the proxy's own address
    answer = client.post_json(
        "/v1/auth", {"username": "x", "password": "y"}, headers={"X-Forwarded-For": "198.51.100.9"}, status="*"
    )
    assert answer.status_int == (401 if separate else 429)


def at(app, address):
    return webtest.TestApp(app, extra_environ={"REMOTE_ADDR": address})


def test_a_stranger_who_knows_the_name_cannot_lock_its_owner_out(app, auth):
    auth.sign_up()
    for number in range(10):  # one wrong guess from each of ten addresses
        assert login(at(app, f"192.0.2.{number}")).json == INVALID
    mallory = at(app, "198.51.100.1")
    fail_logins(mallory, 10)  # and ten from one
    assert_locked(login(mallory, password=PASSWORD), 30)
    login(at(app, "203.0.113.7"), password=PASSWORD, status=200)  # the owner, elsewhere, at once


def test_a_campaign_over_many_addresses_is_still_slowed_per_name(config, clock, auth, caplog):
    caplog.set_level(logging.INFO, logger="oppmini.throttle")
    app = make_app(config.replace(max_failures_per_name=5), clock=clock)
    auth.client = webtest.TestApp(app)
    auth.sign_up()
    for number in range(5):
        assert login(at(app, f"192.0.2.{number}")).json == INVALID
    assert_locked(login(at(app, "203.0.113.7"), password=PASSWORD), 30)
    assert "too many failures for this name from any address (203.0.113.7): wait 30s" in caplog.text
    assert "alice" not in caplog.text
    clock.advance(30)
    login(at(app, "203.0.113.7"), password=PASSWORD, status=200)


def test_the_log_says_which_limit_held(config, clock, caplog):
    caplog.set_level(logging.INFO, logger="oppmini.throttle")
    app = make_app(config.replace(max_failures_per_address=3), clock=clock)
    for number in range(3):
        login(at(app, "192.0.2.1"), f"user{number}", status=401)
    assert_locked(login(at(app, "192.0.2.1"), "someone"), 30)
    assert "too many failures for this address (192.0.2.1): wait 30s" in caplog.text
    app = make_app(config, clock=clock)
    for _ in range(10):
        login(at(app, "192.0.2.2"), "carol", status=401)
    assert_locked(login(at(app, "192.0.2.2"), "carol"), 30)
    assert "too many failures for this name at this address (192.0.2.2): wait 30s" in caplog.text
    assert "carol" not in caplog.text and "user0" not in caplog.text


def test_address_counts_are_shared_by_every_process(config, clock):
    settings = config.replace(max_failures_per_address=3, max_failures=100)
    first, second = (at(make_app(settings, clock=clock), "192.0.2.1") for _ in range(2))
    login(first, "user1", status=401)
    login(second, "user2", status=401)
    login(first, "user3", status=401)
    assert_locked(login(second, "user4"), 30)


def test_a_right_password_gives_the_address_its_guess_back(config, clock, auth):
    app = make_app(config.replace(max_failures_per_address=3), clock=clock)
    auth.client = at(app, "192.0.2.1")
    auth.sign_up()
    for _ in range(20):  # a household behind one address logs in all day
        login(auth.client, password=PASSWORD, status=200)
    fail_logins(auth.client, 2, username="bob")
    login(auth.client, password=PASSWORD, status=200)


def test_probing_taken_names_through_sign_up_is_counted(config, clock):
    app = make_app(config.replace(max_failures_per_address=3), clock=clock)
    client = at(app, "192.0.2.1")
    for number in range(5):  # successful sign-ups give their guess back
        client.put_json("/v1/user", {"username": f"user{number}", "password": PASSWORD, "phrase": PHRASE})
    for number in range(3):
        answer = client.put_json(
            "/v1/user", {"username": f"user{number}", "password": "x", "phrase": PHRASE}, status=400
        )
        assert answer.json["error"] == "User already exists!"
    new_name = {"username": "newcomer", "password": PASSWORD, "phrase": PHRASE}
    assert_locked(client.put_json("/v1/user", new_name, status=429), 30)
    at(app, "192.0.2.2").put_json("/v1/user", new_name)


def test_an_account_with_older_argon2_settings_costs_what_an_unknown_name_costs(config, app, argon2_calls):
    current = config.argon2_memory_kib
    older = make_app(config.replace(argon2_memory_kib=current // 2), clock=FakeClock())
    webtest.TestApp(older).put_json("/v1/user", {"username": "old", "password": PASSWORD, "phrase": PHRASE})
    client = webtest.TestApp(app)
    per_answer = {}
    for username in ("old", "nobody"):
        argon2_calls.clear()
        assert login(client, username).json == INVALID
        per_answer[username] = argon2_calls.count(current)
    assert per_answer == {"old": 1, "nobody": 1}


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_the_user_endpoint_answers_an_unknown_name_like_a_wrong_password(client, auth, argon2_calls, method):
    auth.sign_up()
    answers = []
    for username in ("alice", "nobody"):
        argon2_calls.clear()
        body = {"username": username, "password": "wrong guess", "new_password": "mine now"}
        answer = client.request(
            "/v1/user", method=method, body=json.dumps(body).encode(), content_type="application/json", status="*"
        )
        answers.append((answer.status_int, answer.json, len(argon2_calls)))
    assert answers[0] == answers[1]
    assert answers[0] == (400, {"status_code": 400, "error": "Incorrect password supplied!", "description": ""}, 1)


def test_a_right_passphrase_leaves_no_trace_of_its_reservation(config, clock, auth, client):
    headers = auth.user()
    clock.advance(100)
    fresh = webtest.TestApp(make_app(config, clock=clock))  # its key cache is empty: Argon2, and a reservation
    fresh.get("/v1/categories", headers=headers)
    with fresh.app.services.db.connect() as conn:
        assert conn.run("get_user_failures", user_id=1) == {"attempts": 0, "last_attempt_at": 0}
