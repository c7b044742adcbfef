"""`opp login` against a real serve.py with two-factor login on: the code asked for, sent once, spent."""

import time

from conftest import PASSWORD
from live import request
from otp import code_at


def enrol(opp):
    """Turn 2FA on for `opp`'s account through the API; its secret."""
    token = request("POST", f"{opp.server_url}/v1/auth", {"username": opp.username, "password": PASSWORD})[2]
    headers = {"x-opp-jwt": token["access_token"]}
    secret = request("PUT", f"{opp.server_url}/v1/2fa", {"password": PASSWORD}, headers=headers)[2]["secret"]
    confirm = {"code": code_at(secret, time.time()), "password": PASSWORD}
    status = request("POST", f"{opp.server_url}/v1/2fa", confirm, headers)[0]
    assert status == 200
    return secret


def test_login_asks_for_the_code_and_the_server_accepts_it_once(opp):
    secret = enrol(opp)
    # The confirming code was spent on enrolment; the next step's is unused and
    # within the one step of drift the server allows.
    code = code_at(secret, time.time() + 30)
    said = opp.ok("login", "--server", opp.server_url, "-u", opp.username, input=f"{PASSWORD}\n{code}\n")
    assert said.startswith(f"Logged in to {opp.server_url} as {opp.username} until ")
    assert opp.api("GET", "fetchall")["result"] == "success"

    again = opp("login", "--server", opp.server_url, "-u", opp.username, input=f"{PASSWORD}\n{code}\n")
    assert (again.returncode, again.stderr) == (3, "opp: Bad Request: Invalid two-factor code\n")
    missing = opp("login", "--server", opp.server_url, "-u", opp.username, input=f"{PASSWORD}\n")
    assert (missing.returncode, missing.stderr) == (64, "opp: no two-factor code on standard input\n")
