"""Sessions: one per login, listed with the current one marked, revoked at once in every process."""

import pytest

from conftest import CHEAP_ARGON2, PASSWORD, PHRASE, claims_of
from live import LiveServer, request, write_config

REVOKED = {"status_code": 401, "error": "Invalid token", "description": "Token has been revoked"}


def login(client, address, agent, username="alice"):
    answer = client.post_json(
        "/v1/auth",
        {"username": username, "password": PASSWORD},
        extra_environ={"REMOTE_ADDR": address},
        headers={"User-Agent": agent},
    )
    return answer.json["access_token"]


def sessions(client, token, status=200):
    return client.get("/v1/sessions", headers={"x-opp-jwt": token}, status=status).json


def test_two_logins_listed_current_marked_and_one_revoked(client, auth, clock):
    auth.sign_up()
    laptop = login(client, "192.0.2.10", "Firefox on the laptop")
    clock.advance(120)
    phone = login(client, "192.0.2.20", "Safari on the phone")
    laptop_id, phone_id = claims_of(laptop)["sid"], claims_of(phone)["sid"]
    assert laptop_id != phone_id
    listed = sessions(client, phone)["sessions"]
    assert listed == [
        {
            "id": phone_id,
            "created_at": int(clock()),
            "last_seen_at": int(clock()),
            "address": "192.0.2.20",
            "agent": "Safari on the phone",
            "current": True,
        },
        {
            "id": laptop_id,
            "created_at": int(clock()) - 120,
            "last_seen_at": int(clock()) - 120,
            "address": "192.0.2.10",
            "agent": "Firefox on the laptop",
            "current": False,
        },
    ]
    assert [s["current"] for s in sessions(client, laptop)["sessions"]] == [False, True]

    answer = client.delete_json("/v1/sessions", {"ids": [laptop_id]}, headers={"x-opp-jwt": phone})
    assert answer.json == {"result": "success"}
    assert sessions(client, laptop, status=401) == REVOKED
    assert [s["id"] for s in sessions(client, phone)["sessions"]] == [phone_id]


def test_only_the_callers_sessions_can_be_revoked(client, auth):
    auth.sign_up("alice")
    auth.sign_up("bob")
    alice, bob = login(client, "192.0.2.1", "a"), login(client, "192.0.2.2", "b", username="bob")
    bob_id = claims_of(bob)["sid"]
    for ids in ([bob_id], [str(bob_id)], [0, -1, "x", None, 2**70, True]):
        client.delete_json("/v1/sessions", {"ids": ids}, headers={"x-opp-jwt": alice})
    assert [s["id"] for s in sessions(client, bob)["sessions"]] == [bob_id]
    for body in ({}, {"ids": 3}, {"id": [3]}):
        client.delete_json("/v1/sessions", body, headers={"x-opp-jwt": alice}, status=400)


def test_a_session_id_signed_for_another_user_opens_nothing(app, client, auth):
    auth.sign_up("alice")
    auth.sign_up("bob")
    alice = login(client, "192.0.2.1", "a")
    bob_id = claims_of(login(client, "192.0.2.2", "b", username="bob"))["sid"]
    claims = claims_of(alice)
    forged = app.services.signer.issue(claims["identity"], claims["stamp"], 300, session_id=bob_id)
    assert sessions(client, forged, status=401) == REVOKED


def test_last_seen_is_coarse(client, auth, clock, db_url):
    auth.sign_up()
    token = login(client, "192.0.2.1", "a")
    created = int(clock())
    clock.advance(59)
    assert sessions(client, token)["sessions"][0]["last_seen_at"] == created
    clock.advance(2)
    sessions(client, token)
    assert sessions(client, token)["sessions"][0]["last_seen_at"] == created + 61


def test_logout_everywhere_and_a_new_password_end_every_session(client, auth):
    auth.sign_up()
    first, second = login(client, "192.0.2.1", "a"), login(client, "192.0.2.1", "b")
    client.delete("/v1/auth", headers={"x-opp-jwt": first})
    assert sessions(client, second, status=401) == REVOKED
    third = login(client, "192.0.2.1", "c")
    assert len(sessions(client, third)["sessions"]) == 1
    client.post_json("/v1/user", {"username": "alice", "password": PASSWORD, "new_password": "another one"})
    assert sessions(client, third, status=401) == REVOKED


def test_a_token_from_before_sessions_is_honoured_until_logout_everywhere(app, client, auth):
    auth.sign_up()
    claims = claims_of(login(client, "192.0.2.1", "a"))
    legacy = app.services.signer.issue(claims["identity"], claims["stamp"], 300)
    assert "sid" not in claims_of(legacy)
    assert [s["current"] for s in sessions(client, legacy)["sessions"]] == [False]
    client.delete("/v1/auth", headers={"x-opp-jwt": legacy})
    assert sessions(client, legacy, status=401) == REVOKED


def test_expired_sessions_are_not_listed(client, auth, clock):
    auth.sign_up()
    client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD, "exp_delta": 60})  # expires first
    long = client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD, "exp_delta": 600}).json
    clock.advance(61)
    listed = sessions(client, long["access_token"])["sessions"]
    assert [s["id"] for s in listed] == [claims_of(long["access_token"])["sid"]]


@pytest.fixture
def servers(db_url, tmp_path):
    """`serve.py --processes 2` and a second server beside it, on one database."""
    config = write_config(tmp_path, db_connect=db_url, allow_signup="true", **CHEAP_ARGON2)
    pair = LiveServer(config, extra_args=["--processes", "2", "--threads", "1"]), LiveServer(config)
    with pair[0], pair[1]:
        yield pair


def test_a_revoked_session_is_refused_by_every_process_at_once(servers):
    pair, single = servers
    request("PUT", pair.url + "/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
    tokens = [
        request("POST", single.url + "/v1/auth", {"username": "alice", "password": PASSWORD})[2]["access_token"]
        for _ in range(2)
    ]
    kept, revoked = tokens
    # Both processes of the pair have served the token (and cached whatever they would).
    for _ in range(6):
        assert request("GET", pair.url + "/v1/sessions", headers={"x-opp-jwt": revoked})[0] == 200
    status, _, answer = request(
        "DELETE", single.url + "/v1/sessions", {"ids": [claims_of(revoked)["sid"]]}, {"x-opp-jwt": kept}
    )
    assert (status, answer) == (200, {"result": "success"})
    # The very next request, whichever process takes it, refuses the token.
    for _ in range(6):
        assert request("GET", pair.url + "/v1/sessions", headers={"x-opp-jwt": revoked})[::2] == (401, REVOKED)
    status, _, answer = request("GET", pair.url + "/v1/sessions", headers={"x-opp-jwt": kept})
    assert status == 200 and [s["current"] for s in answer["sessions"]] == [True]
