"""`opp login` and `opp 2fa` against a real serve.py: the code asked for, sent once, spent; on and off."""

import json
import subprocess
import time

from conftest import PASSWORD
from live import request
from otp import code_at
from softkey import SoftKey

from .conftest import OPP, Opp, sign_up, start_server


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


def run_on(opp, *extra, password=PASSWORD):
    """`opp 2fa on` as a person at a pipe would answer it: the password, then the code of the key it showed."""
    with subprocess.Popen(
        [str(OPP), "2fa", "on", *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=opp.environ(),
        start_new_session=True,
    ) as run:
        run.stdin.write(password + "\n")
        run.stdin.flush()
        shown = run.stderr.readline()
        if not shown.startswith("Add this key to your authenticator app: "):
            run.stdin.close()
            return run.wait(timeout=60), "", shown + run.stderr.read(), None
        secret = shown.rstrip("\n").rsplit(" ", 1)[1]
        run.stdin.write(code_at(secret, time.time()) + "\n")
        run.stdin.close()
        out, err = run.stdout.read(), shown + run.stderr.read()
        opp.outputs += [out, err]
        return run.wait(timeout=60), out, err, secret


def test_opp_2fa_on_needs_the_password_ends_other_sessions_and_off_needs_a_code(logged_in, tmp_path):
    opp = logged_in
    assert opp.ok("2fa") == "Two-factor login is off: the password alone signs in.\n"
    code, out, err, _ = run_on(opp, password="a wrong one")
    assert (code, err) == (3, "opp: Incorrect password supplied!\n")

    other = request("POST", f"{opp.server_url}/v1/auth", {"username": opp.username, "password": PASSWORD})[2]
    code, out, err, secret = run_on(opp)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == (
        "Two-factor login is on. Every other session of the account is signed out. Recovery codes, "
        "shown only now (each signs in once without the app):"
    )
    assert len(lines[1:]) == 10 == len(set(lines[1:]))
    assert "otpauth://totp/" in err and PASSWORD not in out + err
    revoked = request("GET", f"{opp.server_url}/v1/sessions", headers={"x-opp-jwt": other["access_token"]})
    assert revoked[0] == 401
    assert opp.ok("2fa") == "Two-factor login is on; 10 unused recovery codes left.\n"

    wrong = opp("2fa", "off", input=f"{PASSWORD}\n{lines[1]}x\n")
    assert (wrong.returncode, wrong.stderr) == (3, "opp: Bad Request: Invalid two-factor code\n")
    assert opp.json("2fa") == {"enabled": True, "recovery_codes_left": 10}
    assert (
        opp.ok("2fa", "off", input=f"{PASSWORD}\n{lines[1]}\n")
        == "Two-factor login is off: the password alone signs in.\n"
    )


def test_opp_2fa_on_can_keep_the_other_sessions(logged_in):
    opp = logged_in
    other = request("POST", f"{opp.server_url}/v1/auth", {"username": opp.username, "password": PASSWORD})[2]
    code, out, err, _ = run_on(opp, "--keep-sessions", "--json")
    assert code == 0, err
    answer = json.loads(out)
    assert answer["other_sessions_ended"] is False and len(answer["recovery_codes"]) == 10
    assert request("GET", f"{opp.server_url}/v1/sessions", headers={"x-opp-jwt": other["access_token"]})[0] == 200


def test_login_says_a_recovery_code_stands_in_for_an_account_with_keys_only(tmp_path):
    folder = tmp_path / "server"
    folder.mkdir()
    live = start_server(folder, f"sqlite:///{folder}/opp.db", public_url="http://localhost")
    try:
        opp = Opp(tmp_path, live.url, sign_up(live.url))
        token = request("POST", f"{live.url}/v1/auth", {"username": opp.username, "password": PASSWORD})[2]
        headers = {"x-opp-jwt": token["access_token"]}
        options = request("PUT", f"{live.url}/v1/webauthn", {"password": PASSWORD}, headers)[2]["options"]
        credential = SoftKey().create(options, "http://localhost")
        added = request("POST", f"{live.url}/v1/webauthn", {"name": "Blue", "credential": credential}, headers)[2]

        done = opp(
            "login", "--server", live.url, "-u", opp.username, input=f"{PASSWORD}\n{added['recovery_codes'][0]}\n"
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == (
            "This account's second factor is a security key or passkey, which opp cannot use: "
            "give one of its recovery codes instead (the web page signs in with the key).\n"
        )
        assert opp.api("GET", "fetchall")["result"] == "success"
    finally:
        live.stop()
