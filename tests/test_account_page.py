"""The web page's Account view in Chromium: two-factor login on and off, sessions, the activity log."""

import time

from conftest import CHEAP_ARGON2
from live import LiveServer, request, write_config
from otp import code_at
from vaultpage import SHIFT, TAB, focus_on, tab_to

PASSWORD, PHRASE = "correct horse", "battery staple"


def api_login(server, **extra):
    status, _, body = request("POST", server.url + "/api/v1/auth", {"username": "alice", "password": PASSWORD, **extra})
    return status, body


def test_two_factor_sessions_and_activity_from_the_page(browser, tmp_path):
    page = browser
    config = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", allow_signup="true", **CHEAP_ARGON2)
    with LiveServer(config) as server:
        request("PUT", server.url + "/api/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
        assert api_login(server, password="a wrong one")[0] == 401  # a failed sign-in for the activity log
        page.open(server.url + "/")
        page.type("#username", "alice")
        page.type("#password", PASSWORD + "\n")
        page.find("#phrase")

        # Two-factor login on: the QR code, the key to type, a code to confirm, the recovery codes once.
        page.click("#account")
        focus_on(page, "account-title")
        page.text_of("#tfa-status", "Two-factor login is off: your password alone signs you in.")
        page.click("#tfa-box button")
        # A token alone cannot turn it on: the password first.
        page.type("#tfa-password", "a wrong one\n")
        page.text_of("#tfa-start-error", "Wrong password. Check it and try again.")
        page.assert_accessible("account-enrol-password")
        page.type("#tfa-password", PASSWORD + "\n")
        page.find("img.qr")
        assert page.script("return document.getElementById('tfa-end-others').checked") is True
        page.wait.until(lambda d: d.execute_script("return document.querySelector('img.qr').naturalWidth") > 0)
        secret = page.find("#tfa-secret").text
        page.assert_accessible("account-enrol")
        page.type("#tfa-code", "000000" if code_at(secret, time.time()) != "000000" else "111111")
        page.keys("\n")
        page.text_of("#tfa-confirm-error", "Wrong or already used two-factor code.")
        page.type("#tfa-code", code_at(secret, time.time()) + "\n")
        page.find("#recovery-codes")
        focus_on(page, "tfa-codes-intro")
        codes = [item.text for item in page.driver.find_elements(page.by_css, "#recovery-codes li")]
        assert len(codes) == 10 == len(set(codes))
        page.assert_accessible("account-recovery-codes")
        page.click("#recovery-done")
        page.text_of("#tfa-status", "Two-factor login is on. 10 unused recovery codes left.")
        focus_on(page, "tfa-status")
        page.gone("#recovery-codes")

        # Signing in now asks for the code.
        page.click("#sign-out")
        page.type("#username", "alice")
        page.type("#password", PASSWORD + "\n")
        page.text_of("#signin-error", "Enter the code your authenticator app shows.")
        assert page.focused() == "otp"
        page.assert_accessible("signin-code")
        page.type("#password", PASSWORD)
        page.type("#otp", code_at(secret, time.time() + 30) + "\n")
        page.type("#phrase", PHRASE + "\n")
        page.find("#search")
        assert page.script("return document.getElementById('otp-field').hidden") is True

        # Another session, made elsewhere, is listed and signed out from here.
        status, other = api_login(server, otp=codes[0])
        assert status == 200
        page.click("#account")
        page.wait.until(lambda d: len(d.find_elements(page.by_css, "#sessions-list li")) == 2)
        assert page.visible_text("#sessions-list li.current .badge") == "This session"
        page.click("#sessions-list li:not(.current) button")
        page.wait.until(lambda d: len(d.find_elements(page.by_css, "#sessions-list li")) == 1)
        focus_on(page, "sessions-title")
        status, _, answer = request(
            "GET", server.url + "/api/v1/sessions", headers={"x-opp-jwt": other["access_token"]}
        )
        assert (status, answer["description"]) == (401, "Token has been revoked")

        # The activity log, newest first, failures highlighted, older events a page at a time.
        page.find("#activity-list li")
        events = [
            row.get_attribute("data-event") for row in page.driver.find_elements(page.by_css, "#activity-list li")
        ]
        assert events[:3] == ["session_revoked", "recovery_code_used", "login"]
        failed = page.driver.find_elements(page.by_css, "#activity-list li.failed")
        assert [row.get_attribute("data-event") for row in failed] == [
            "login_code_missing",
            "login_failed_password",
            "login_failed_password",
        ]
        assert failed[0].value_of_css_property("color") != page.find(
            "#activity-list li:not(.failed)"
        ).value_of_css_property("color")
        for code in codes[1:9]:  # 16 more events: 26 in all
            assert api_login(server, otp=code)[0] == 200
        page.click("#account-back")
        focus_on(page, "account")
        page.click("#account")
        page.wait.until(lambda d: len(d.find_elements(page.by_css, "#activity-list li")) == 20)
        page.click("#activity-more")
        page.wait.until(lambda d: len(d.find_elements(page.by_css, "#activity-list li")) == 26)
        assert page.visible_text("#activity-list li:last-child").startswith("A sign-in failed: wrong password.")
        page.gone("#activity-more")
        page.assert_accessible("account")

        # A wrong code (a spent recovery code) is told under the form; the session goes on.
        page.type("#tfa-off-password", PASSWORD)
        page.type("#tfa-off-code", codes[0] + "\n")
        page.text_of("#tfa-off-error", "Wrong or already used two-factor code.")
        assert page.script("return document.getElementById('account-view').hidden") is False
        # Off, with the password and a recovery code.
        page.type("#tfa-off-password", PASSWORD)
        page.type("#tfa-off-code", codes[9] + "\n")
        page.text_of("#tfa-status", "Two-factor login is off: your password alone signs you in.")
        focus_on(page, "tfa-status")
        assert api_login(server)[0] == 200
        assert page.console_errors(allowed_statuses=(400, 401)) == []  # the wrong code, the missing one


def enrol(server, token, **confirm):
    """Turn 2FA on through the API; the secret and the recovery codes."""
    headers = {"x-opp-jwt": token}
    secret = request("PUT", server.url + "/api/v1/2fa", {"password": PASSWORD}, headers)[2]["secret"]
    body = {"code": code_at(secret, time.time()), "password": PASSWORD, **confirm}
    status, _, answer = request("POST", server.url + "/api/v1/2fa", body, headers)
    assert status == 200, answer
    return secret, answer["recovery_codes"]


def wrong_code(secret):
    return "000000" if code_at(secret, time.time()) != "000000" else "111111"


def test_enrolment_signs_the_other_sessions_out_unless_unticked(browser, tmp_path):
    page = browser
    config = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", allow_signup="true", **CHEAP_ARGON2)
    with LiveServer(config) as server:
        request("PUT", server.url + "/api/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
        kept, ended = api_login(server)[1]["access_token"], api_login(server)[1]["access_token"]
        # By keyboard alone: sign in, open Account, start, the password, untick, the code.
        page.open(server.url + "/")
        page.find("#username")
        page.keys("alice", TAB, PASSWORD + "\n")
        page.find("#phrase")
        tab_to(page, "account", backwards=True)
        page.keys("\n")
        tab_to(page, "Turn on two-factor login")
        page.keys("\n")
        assert page.focused() == "tfa-password"
        page.keys(PASSWORD + "\n")
        secret = page.find("#tfa-secret").text
        assert page.focused() == "tfa-code"
        page.keys(TAB, " ")
        assert page.script("return document.getElementById('tfa-end-others').checked") is False
        page.keys(SHIFT, TAB)
        page.keys(code_at(secret, time.time()) + "\n")
        page.find("#recovery-codes")
        status, _, answer = request("GET", server.url + "/api/v1/sessions", headers={"x-opp-jwt": kept})
        assert status == 200 and len(answer["sessions"]) == 3
        # Off and on again, this time leaving the box ticked: the other sessions end.
        page.click("#recovery-done")
        page.type("#tfa-off-password", PASSWORD)
        page.type("#tfa-off-code", code_at(secret, time.time() + 30) + "\n")
        page.text_of("#tfa-status", "Two-factor login is off: your password alone signs you in.")
        page.click("#tfa-box button")
        page.type("#tfa-password", PASSWORD + "\n")
        secret = page.find("#tfa-secret").text
        page.type("#tfa-code", code_at(secret, time.time()) + "\n")
        page.find("#recovery-codes")
        for token in (kept, ended):
            status, _, answer = request("GET", server.url + "/api/v1/sessions", headers={"x-opp-jwt": token})
            assert (status, answer["description"]) == (401, "Token has been revoked")
        page.click("#recovery-done")
        page.text_of("#tfa-status", "Two-factor login is on. 10 unused recovery codes left.")
        assert page.console_errors() == []


def test_a_sign_in_after_a_wrong_code_warns_that_the_password_is_known(browser, tmp_path):
    page = browser
    config = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", allow_signup="true", **CHEAP_ARGON2)
    with LiveServer(config) as server:
        request("PUT", server.url + "/api/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
        secret, codes = enrol(server, api_login(server)[1]["access_token"])
        # Someone with the password, but not the code, twice.
        for _ in range(2):
            assert api_login(server, otp=wrong_code(secret))[0] == 401
        page.open(server.url + "/")
        page.type("#username", "alice")
        page.type("#password", PASSWORD + "\n")
        page.type("#otp", code_at(secret, time.time() + 30) + "\n")
        page.text_of(
            "#password-warning-text",
            "Since you last signed in, someone signed in with your password "
            "2 times and failed only at the two-factor code. Change your password soon; the Account view "
            "lists every attempt.",
        )
        tries = page.driver.find_elements(page.by_css, "#password-warning-tries li")
        assert len(tries) == 2 and all(" from 127.0.0.1" in row.text for row in tries)
        page.assert_accessible("password-warning")
        # By keyboard alone: from the passphrase field back to Dismiss, and the focus returns.
        assert page.focused() == "phrase"
        page.keys(SHIFT, TAB)
        assert page.focused() == "password-warning-dismiss"
        page.keys("\n")
        page.gone("#password-warning")
        assert page.focused() == "phrase"
        # Told once: the next sign-in has nothing new to say.
        page.click("#sign-out")
        page.type("#username", "alice")
        page.type("#password", PASSWORD + "\n")
        page.type("#otp", codes[0] + "\n")
        page.find("#phrase").send_keys(PHRASE + "\n")
        page.find("#search")
        assert page.script("return document.getElementById('password-warning').hidden") is True
        assert page.console_errors(allowed_statuses=(401,)) == []
