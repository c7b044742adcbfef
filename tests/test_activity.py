"""The activity log: each event written once by what causes it, from the real client address, no secret kept."""

import json
import secrets
import sqlite3
import time

import pytest
import webtest

from conftest import CHEAP_ARGON2, PASSWORD, FakeClock, claims_of
from live import LiveServer, request, write_config
from oppmini.accounts.activity import EVENTS
from oppmini.config import Config
from oppmini.web.app import make_app
from otp import code_at
from softkey import SoftKey

CLIENT_ADDRESS = "203.0.113.9"
AGENT = "activity-test/1.0"


def marker(kind):
    return f"{kind}-{secrets.token_hex(6)}"


def test_every_event_once_from_the_client_address_and_no_secret_kept(tmp_path):
    config = write_config(
        tmp_path,
        db_connect=f"sqlite:///{tmp_path}/opp.db",
        allow_signup="true",
        log_level="DEBUG",
        trusted_proxies="127.0.0.1",
        max_failures=4,
        public_url="http://localhost",
        **CHEAP_ARGON2,
    )
    username, new_username = marker("user"), marker("newuser")
    password, new_password, wrong_password = marker("password"), marker("newpassword"), marker("wrongpassword")
    phrase, new_phrase, wrong_phrase = marker("phrase"), marker("newphrase"), marker("wrongphrase")
    leaked = [password, new_password, wrong_password, phrase, new_phrase, wrong_phrase]

    with LiveServer(config) as server:

        def call(method, path, body=None, token=None, phrase_header=None, expect=200):
            headers = {"X-Forwarded-For": CLIENT_ADDRESS, "User-Agent": AGENT}
            if token:
                headers["x-opp-jwt"] = token
            if phrase_header:
                headers["x-opp-phrase"] = phrase_header
            status, _, answer = request(method, server.url + path, body, headers)
            assert status == expect, answer
            return answer

        def login(name, secret, expect=200, **extra):
            answer = call(
                "POST", "/v1/auth", {"username": name, "password": secret, "exp_delta": 600, **extra}, expect=expect
            )
            if expect == 200:
                leaked.append(answer["access_token"])
                return answer["access_token"]
            return answer

        call("PUT", "/v1/user", {"username": username, "password": password, "phrase": phrase})
        token = login(username, password)  # login
        login(username, wrong_password, expect=401)  # login_failed_password
        call("GET", "/v1/categories", token=token, phrase_header=wrong_phrase, expect=400)  # passphrase_failed
        secret = call("PUT", "/v1/2fa", {"password": password}, token=token)["secret"]
        first_code = code_at(secret, time.time())
        codes = call("POST", "/v1/2fa", {"code": first_code, "password": password}, token=token)[
            "recovery_codes"
        ]  # two_factor_on
        leaked += [secret, first_code, *codes]
        login(username, password, expect=401)  # login_code_missing
        login(username, password, otp=first_code, expect=401)  # login_code_failed (a used code)
        next_code = code_at(secret, time.time() + 30)
        leaked.append(next_code)
        login(username, password, otp=next_code)  # login (one step of drift ahead)
        doomed = login(username, password, otp=codes[0])  # login, recovery_code_used
        call("DELETE", "/v1/sessions", {"ids": [claims_of(doomed)["sid"]]}, token=token)  # session_revoked
        # recovery_code_used, two_factor_off
        call("DELETE", "/v1/2fa", {"password": password, "code": codes[1]}, token=token)
        options = call("PUT", "/v1/webauthn", {"password": password}, token=token)["options"]
        credential = SoftKey().create(options, "http://localhost")
        added = call("POST", "/v1/webauthn", {"name": "Blue", "credential": credential}, token=token)
        leaked += added["recovery_codes"]  # security_key_added, then recovery_code_used, security_keys_removed
        removal = {"ids": [added["id"]], "password": password, "otp": added["recovery_codes"][0]}
        call("DELETE", "/v1/webauthn", removal, token=token)
        stored_password, stored_note = marker("storedpassword"), marker("storednote")
        leaked += [stored_password, stored_note]
        export = {
            "encrypted": False,
            "items": [
                {
                    "type": 1,
                    "name": "n",
                    "notes": stored_note,
                    "login": {"password": stored_password, "totp": stored_note},
                }
            ],
        }
        call("POST", "/v1/import", export, token=token, phrase_header=phrase)  # import
        assert stored_password in repr(call("GET", "/v1/export", token=token, phrase_header=phrase))  # export
        # Sharing with another user: each change in the logs of both (the manager's and the other's).
        other, other_password, other_phrase, shared_name = (
            marker("other"),
            marker("otherpassword"),
            marker("otherphrase"),
            marker("sharedname"),
        )
        leaked += [other_password, other_phrase, shared_name]
        call("PUT", "/v1/user", {"username": other, "password": other_password, "phrase": other_phrase})
        collection = call("PUT", "/v1/collections", {"names": [shared_name]}, token=token, phrase_header=phrase)[
            "collections"
        ][0]["id"]  # collection_created
        members = f"/v1/collections/{collection}/members"

        def invite(role="read", *more):  # member_invited, invited (or their role changed)
            rows = [{"username": other, "role": role}, *more]
            call("PUT", members, {"members": rows}, token=token, phrase_header=phrase)

        def answer(choice):  # member_joined x2, or invitation_declined x2
            (invitation,) = call("GET", "/v1/invitations", token=other_token)["invitations"]
            call("POST", "/v1/invitations", {choice: [invitation["id"]]}, token=other_token)

        invite()
        other_token = login(other, other_password)  # login
        answer("decline")
        invite()
        call("DELETE", members, {"usernames": [other]}, token=token, phrase_header=phrase)  # invitation_withdrawn
        invite()
        answer("accept")
        invite("write")  # member_role_changed x2
        call("DELETE", members, {"usernames": [other]}, token=token, phrase_header=phrase)  # member_removed x2
        invite()
        answer("accept")
        invite("manage", {"username": "nobody", "role": "read"})  # members_changed, member_role_changed
        # member_left x2 (the leaver, the manager), the key's version with it
        call("DELETE", members, {"usernames": [other]}, token=other_token, phrase_header=other_phrase)
        # collection_deleted
        call("DELETE", "/v1/collections", {"ids": [collection]}, token=token, phrase_header=phrase)
        change = {
            "username": username,
            "password": password,
            "new_username": new_username,
            "new_password": new_password,
            "phrase": phrase,
            "new_phrase": new_phrase,
        }
        call("POST", "/v1/user", change)  # username_changed, password_changed, passphrase_changed
        token = login(new_username, new_password)  # login
        call("DELETE", "/v1/auth", token=token)  # logout_everywhere
        for _ in range(4):  # login_failed_password x4, the last bringing a lockout
            login(new_username, wrong_password, expect=401)
        login(new_username, wrong_password, expect=429)  # refused before any check: no event

    rows = (
        sqlite3.connect(tmp_path / "opp.db")
        .execute("SELECT event_id, user_id, at, event, address, agent, detail FROM activity ORDER BY event_id")
        .fetchall()
    )
    user_ids = sorted({row[1] for row in rows})  # the first user's, then the other's
    first, second = user_ids
    collection = json.loads(next(row[6] for row in rows if row[3] == "collection_created"))["collection_id"]
    them = {"collection_id": collection, "username": other}
    invited = {"collection_id": collection, "role": "read", "by": username}
    as_manager = {**them, "role": "manage", "by": username}
    nobody = {"collection_id": collection, "username": "nobody", "role": "read", "by": username}
    # (whose log, event, detail, whether that user made the request: only then its address and agent)
    sharing = [
        (first, "collection_created", {"collection_id": collection}, True),
        (first, "member_invited", {**them, "role": "read", "by": username}, True),
        (second, "invited", invited, False),
        (first, "invitation_declined", them, False),
        (second, "invitation_declined", them, True),
        (first, "member_invited", {**them, "role": "read", "by": username}, True),
        (second, "invited", invited, False),
        (first, "invitation_withdrawn", {**them, "by": username}, True),
        (first, "member_invited", {**them, "role": "read", "by": username}, True),
        (second, "invited", invited, False),
        (first, "member_joined", {**them, "role": "read"}, False),
        (second, "member_joined", {**them, "role": "read"}, True),
        (first, "member_role_changed", {**them, "role": "write", "by": username}, True),
        (second, "member_role_changed", {**them, "role": "write", "by": username}, False),
        (first, "member_removed", {**them, "by": username, "key_version": 2}, True),
        (second, "member_removed", {**them, "by": username, "key_version": 2}, False),
        (first, "member_invited", {**them, "role": "read", "by": username}, True),
        (second, "invited", invited, False),
        (first, "member_joined", {**them, "role": "read"}, False),
        (second, "member_joined", {**them, "role": "read"}, True),
        (
            first,
            "members_changed",
            {
                "by": username,
                "count": 2,
                "changes": [{"event": "member_role_changed", **as_manager}, {"event": "member_invited", **nobody}],
            },
            True,
        ),
        (
            second,
            "members_changed",
            {
                "by": username,
                "count": 2,
                "changes": [{"event": "member_role_changed", **as_manager}, {"event": "member_invited", **nobody}],
            },
            False,
        ),
        (first, "member_left", {**them, "key_version": 3}, False),
        (second, "member_left", {**them, "key_version": 3}, True),
        (
            first,
            "collection_deleted",
            {"collection_id": collection, "by": username, "items": 0, "trash_of": username},
            True,
        ),
    ]
    sharing_events = [event for _, event, _, _ in sharing]
    assert [row[3] for row in rows] == [
        "login",
        "login_failed_password",
        "passphrase_failed",
        "two_factor_on",
        "login_code_missing",
        "login_code_failed",
        "login",
        "login",
        "recovery_code_used",
        "session_revoked",
        "recovery_code_used",
        "two_factor_off",
        "security_key_added",
        "recovery_code_used",
        "security_keys_removed",
        "import",
        "export",
        *sharing_events[:3],
        "login",
        *sharing_events[3:],
        "username_changed",
        "password_changed",
        "passphrase_changed",
        "login",
        "logout_everywhere",
        "login_failed_password",
        "login_failed_password",
        "login_failed_password",
        "login_failed_password",
        "lockout",
    ]
    assert {row[3] for row in rows} == set(EVENTS)
    shared_rows = [row for row in rows if row[3] in set(sharing_events)]
    assert [(row[1], row[3], json.loads(row[6])) for row in shared_rows] == [entry[:3] for entry in sharing]
    # Another user's log names who acted, never their address or agent.
    assert [(row[4], row[5]) for row in shared_rows] == [
        (CLIENT_ADDRESS, AGENT) if own else ("", "") for *_, own in sharing
    ]
    assert {(row[4], row[5]) for row in rows if row not in shared_rows} == {(CLIENT_ADDRESS, AGENT)}
    details = {row[3]: row[6] for row in rows}
    assert details["lockout"] == '{"limits":["this name at this address"]}'
    assert details["recovery_code_used"] == '{"left":0}'
    assert details["import"] == (
        '{"attachments_imported":0,"categories_created":0,"format":"bitwarden-json","imported":1,'
        '"skipped_duplicates":0,"skipped_unsupported":0,"warnings":1}'
    )
    assert details["export"] == '{"categories":0,"format":"oppmini-json","items":1}'
    stored = repr(rows)
    output = server.log()
    for value in leaked:
        assert value not in stored, f"{value.split('-')[0]} stored in the activity table"
        assert value not in output, f"{value.split('-')[0]} in the server log"


@pytest.fixture
def logged(db_url):
    clock = FakeClock()
    config = Config(db_connect=db_url, allow_signup=True, activity_days=2, **CHEAP_ARGON2)
    client = webtest.TestApp(make_app(config, clock=clock))
    client.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": "battery staple"})
    return client, clock


def login(client):
    return client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]


def test_pages_newest_first(logged):
    client, clock = logged
    for _ in range(7):
        clock.advance(1)
        token = login(client)
    headers = {"x-opp-jwt": token}
    whole = client.get("/v1/activity", headers=headers).json["events"]
    assert [event["at"] for event in whole] == sorted((event["at"] for event in whole), reverse=True)
    assert len(whole) == 7
    first = client.get("/v1/activity", {"limit": 3}, headers=headers).json["events"]
    second = client.get("/v1/activity", {"limit": 3, "before": first[-1]["id"]}, headers=headers).json["events"]
    third = client.get("/v1/activity", {"limit": "3", "before": second[-1]["id"]}, headers=headers).json["events"]
    assert first + second + third == whole
    assert client.get("/v1/activity", {"before": whole[-1]["id"]}, headers=headers).json["events"] == []


@pytest.mark.parametrize(
    "query",
    [{"limit": "0"}, {"limit": "501"}, {"limit": "x"}, {"before": "-1"}, {"before": "9" * 30}, {"limit": "1.5"}],
)
def test_bad_paging_is_a_400(logged, query):
    client, _ = logged
    answer = client.get("/v1/activity", query, headers={"x-opp-jwt": login(client)}, status=400).json
    assert answer["error"] == "Bad Request" and list(query)[0] in answer["description"]


def test_old_events_go_after_activity_days(logged):
    client, clock = logged
    login(client)
    clock.advance(86400)
    login(client)
    clock.advance(86400 + 1)
    token = login(client)  # the first event is now over two days old
    events = client.get("/v1/activity", headers={"x-opp-jwt": token}).json["events"]
    assert [event["at"] for event in events] == [int(clock()), int(clock()) - 86401]


def test_only_the_callers_events_are_shown(logged):
    client, _ = logged
    client.put_json("/v1/user", {"username": "bob", "password": PASSWORD, "phrase": "battery staple"})
    bob = client.post_json("/v1/auth", {"username": "bob", "password": PASSWORD}).json["access_token"]
    login(client)
    events = client.get("/v1/activity", headers={"x-opp-jwt": bob}).json["events"]
    assert [event["event"] for event in events] == ["login"]
