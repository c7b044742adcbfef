"""`opp sessions`, `opp activity` and `opp logout` signing out one session, against a real serve.py."""

from conftest import PASSWORD
from live import request

from .conftest import Opp


def second_login(opp, tmp_path):
    """The same account logged in from another state folder, as from another machine."""
    (tmp_path / "laptop").mkdir()
    other = Opp(tmp_path / "laptop", opp.server_url, opp.username)
    other.login()
    return other


def token_works(opp, token):
    return request("GET", f"{opp.server_url}/v1/generate", headers={"x-opp-jwt": token})[0] == 200


def test_sessions_lists_both_logins_and_revokes_the_other(logged_in, tmp_path):
    other = second_login(logged_in, tmp_path)
    listed = logged_in.json("sessions")
    assert len(listed) == 2
    [mine] = [row for row in listed if row["current"]]
    [theirs] = [row for row in listed if not row["current"]]
    assert mine["address"] == theirs["address"] == "127.0.0.1"

    table = logged_in.ok("sessions").splitlines()
    assert table[0].split() == ["ID", "SIGNED", "IN", "LAST", "SEEN", "ADDRESS", "AGENT", "CURRENT"]
    assert [line.split()[0] for line in table[1:]] == [str(row["id"]) for row in listed]

    said = logged_in.ok("sessions", "--revoke", theirs["id"])
    assert said == "Signed out 1 session(s): their tokens no longer work.\n"
    assert not token_works(other, other.token())
    assert other("ls").returncode == 4
    assert [row["id"] for row in logged_in.json("sessions")] == [mine["id"]]


def test_plain_logout_signs_this_session_out_on_the_server(logged_in, tmp_path):
    other = second_login(logged_in, tmp_path)
    token = logged_in.token()
    assert logged_in.ok("logout") == "Logged out: this session's token no longer works.\n"
    assert not token_works(logged_in, token)
    assert token_works(other, other.token())  # only that session


def test_activity_shows_the_account_events_newest_first_and_pages(opp):
    request("POST", f"{opp.server_url}/v1/auth", {"username": opp.username, "password": "wrong guess"})
    opp.login()
    events = opp.json("activity")
    assert [event["event"] for event in events[:2]] == ["login", "login_failed_password"]
    assert PASSWORD not in opp.ok("activity") and "wrong guess" not in opp.ok("activity")
    older = opp.json("activity", "--limit", "1", "--before", events[0]["id"])
    assert [event["id"] for event in older] == [events[1]["id"]]
    assert opp.ok("activity", "--limit", "1").splitlines()[-1] == f"(older: opp activity --before {events[0]['id']})"
