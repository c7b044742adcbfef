"""The web page's Account view in Chromium: two-factor login on and off, sessions, the activity log."""

import time

from conftest import CHEAP_ARGON2
from live import LiveServer, request, write_config
from otp import code_at

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
        page.text_of("#tfa-status", "Two-factor login is off: your password alone signs you in.")
        page.click("#tfa-box button")
        page.find("img.qr")
        page.wait.until(lambda d: d.execute_script("return document.querySelector('img.qr').naturalWidth") > 0)
        secret = page.find("#tfa-secret").text
        page.assert_accessible("account-enrol")
        page.type("#tfa-code", "000000" if code_at(secret, time.time()) != "000000" else "111111")
        page.keys("\n")
        page.text_of("#tfa-confirm-error", "Wrong or already used two-factor code.")
        page.type("#tfa-code", code_at(secret, time.time()) + "\n")
        page.find("#recovery-codes")
        codes = [item.text for item in page.driver.find_elements(page.by_css, "#recovery-codes li")]
        assert len(codes) == 10 == len(set(codes))
        page.assert_accessible("account-recovery-codes")
        page.click("#recovery-done")
        page.text_of("#tfa-status", "Two-factor login is on. 10 unused recovery codes left.")
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
        status, _, answer = request("GET", server.url + "/api/v1/sessions", headers={"x-opp-jwt": other["access_token"]})
        assert (status, answer["description"]) == (401, "Token has been revoked")

        # The activity log, newest first, failures highlighted, older events a page at a time.
        page.find("#activity-list li")
        events = [row.get_attribute("data-event") for row in page.driver.find_elements(page.by_css, "#activity-list li")]
        assert events[:3] == ["session_revoked", "recovery_code_used", "login"]
        failed = page.driver.find_elements(page.by_css, "#activity-list li.failed")
        assert [row.get_attribute("data-event") for row in failed] == ["login_code_missing", "login_failed_password"]
        assert failed[0].value_of_css_property("color") != page.find("#activity-list li:not(.failed)") \
            .value_of_css_property("color")
        for code in codes[1:9]:  # 16 more events: 25 in all
            assert api_login(server, otp=code)[0] == 200
        page.click("#account-back")
        page.click("#account")
        page.wait.until(lambda d: len(d.find_elements(page.by_css, "#activity-list li")) == 20)
        page.click("#activity-more")
        page.wait.until(lambda d: len(d.find_elements(page.by_css, "#activity-list li")) == 25)
        assert page.visible_text("#activity-list li:last-child") .startswith("Failed sign-in: wrong password")
        page.gone("#activity-more")
        page.assert_accessible("account")

        # Off, with the password and a recovery code.
        page.type("#tfa-off-password", PASSWORD)
        page.type("#tfa-off-code", codes[9] + "\n")
        page.text_of("#tfa-status", "Two-factor login is off: your password alone signs you in.")
        assert api_login(server)[0] == 200
        assert page.console_errors(allowed_statuses=(400, 401)) == []  # the wrong code, the missing one
