"""The popup and the options page: sign-in with 2FA, an expired session, the idle lock, where secrets are
kept (browser.md §2 rule 4), axe-core on every screen, and a keyboard-only journey."""

import time

from conftest import PASSWORD, PHRASE
from live import request
from otp import code_at

from .test_fill import BANK

MINUTE_MS = 60 * 1000


def test_sign_in_asks_for_the_two_factor_code_and_takes_it(ext):
    token = request("POST", ext.server.url + "/v1/auth", {"username": ext.username, "password": PASSWORD})[2]
    headers = {"x-opp-jwt": token["access_token"]}
    secret = request("PUT", ext.server.url + "/v1/2fa", {"password": PASSWORD}, headers=headers)[2]["secret"]
    now = time.time()
    status, _, body = request(
        "POST", ext.server.url + "/v1/2fa", {"password": PASSWORD, "code": code_at(secret, now)}, headers=headers
    )
    assert status == 200, body
    tab = ext.visit("https://bank.test/login")
    ext.sign_in(tab, unlock=False)
    ext.page.text_of("#status", "Enter the code from your authenticator app.")
    wrong = f"{(int(code_at(secret, now + 30)) + 1) % 1000000:06d}"
    ext.page.type("#otp", wrong)
    ext.page.click("#sign-in button[type=submit]")
    ext.page.text_of("#status", "Wrong or already used two-factor code.")
    # What the person typed stays: only the code is typed again.
    assert ext.page.find("#username").get_property("value") == ext.username
    assert ext.page.find("#password").get_property("value") == PASSWORD
    # The next step's code: the one just used is spent, and one step of drift is allowed.
    ext.page.type("#otp", code_at(secret, now + 30))
    ext.page.click("#sign-in button[type=submit]")
    ext.page.find("#phrase")


def test_an_expired_session_asks_to_sign_in_again(ext):
    tab = ext.visit("https://bank.test/login")
    ext.sign_in(tab)
    short = request(
        "POST", ext.server.url + "/v1/auth", {"username": ext.username, "password": PASSWORD, "exp_delta": 1}
    )
    ext.script_async(f"chrome.storage.session.set({{token: '{short[2]['access_token']}'}}).then(done)")
    time.sleep(2.5)
    ext.popup(tab)
    ext.page.text_of("#status", "Your session has expired. Please sign in again.")
    ext.page.find("#username")
    assert ext.script_async("chrome.storage.session.get(null).then(done)") == {}


def test_the_vault_locks_after_the_idle_time(ext):
    tab = ext.visit("https://bank.test/login")
    ext.sign_in(tab)
    # Sixteen minutes without use, with the default of fifteen.
    ext.script_async(f"chrome.storage.session.set({{lastUsed: Date.now() - 16 * {MINUTE_MS}}}).then(done)")
    ext.popup(tab)
    ext.page.find("#phrase")
    session = ext.script_async("chrome.storage.session.get(null).then(done)")
    assert "phrase" not in session and session["token"]
    assert ext.ask("fill", tabId=tab) == {"ok": False, "error": "Unlock the vault first.", "signedOut": False}


def test_token_and_passphrase_live_only_in_session_storage(ext):
    tab = ext.visit("https://bank.test/login")
    ext.sign_in(tab)
    session = ext.script_async("chrome.storage.session.get(null).then(done)")
    assert session["phrase"] == PHRASE and session["token"]
    stored = ext.script_async("chrome.storage.local.get(null).then(done)")
    assert set(stored) <= {"server", "lockMinutes"}
    assert PHRASE not in str(stored) and session["token"] not in str(stored)


def test_popup_and_options_pass_axe_on_every_screen(ext):
    ext.add_item(**BANK, totp="JBSWY3DPEHPK3PXP")
    tab = ext.visit("https://bank.test/login")
    ext.script_async("chrome.storage.local.clear().then(done)")
    ext.popup(tab)
    ext.page.find("#open-options")
    ext.page.assert_accessible("extension-no-server")
    ext.page.open(ext.base + "pages/options.html")
    ext.page.assert_accessible("extension-options")
    ext.options()
    ext.popup(tab)
    ext.page.find("#username")
    ext.page.assert_accessible("extension-sign-in")
    ext.page.type("#username", ext.username)
    ext.page.type("#password", PASSWORD)
    ext.page.click("#sign-in button[type=submit]")
    ext.page.find("#phrase")
    ext.page.assert_accessible("extension-unlock")
    ext.page.type("#phrase", PHRASE)
    ext.page.click("#unlock button[type=submit]")
    ext.page.text_of("#matches li div", "Bank (alice@bank)")
    ext.page.assert_accessible("extension-vault")


def test_keyboard_alone_signs_in_unlocks_and_fills(ext):
    from selenium.webdriver.common.keys import Keys

    ext.add_item(**BANK)
    tab = ext.visit("https://bank.test/login")
    ext.options()
    ext.popup(tab)
    ext.page.find("#username")
    assert ext.page.focused() == "username"
    ext.page.keys(ext.username, Keys.TAB, PASSWORD, Keys.ENTER)
    ext.page.find("#phrase")
    assert ext.page.focused() == "phrase"
    ext.page.keys(PHRASE, Keys.ENTER)
    ext.page.text_of("#matches li div", "Bank (alice@bank)")
    # The best login's Fill has the focus; Tab goes on to its copy buttons.
    assert ext.page.focused() == "Fill Bank"
    ext.page.keys(Keys.TAB)
    assert ext.page.focused() == "Copy username of Bank"
    ext.page.keys(Keys.SHIFT, Keys.TAB)
    assert ext.page.focused() == "Fill Bank"
    ext.page.keys(Keys.ENTER)
    ext.page.text_of("#status", "Filled Bank.")
    assert ext.values("user", "pass") == ["alice@bank", "vault secret 1"]


def test_search_generate_into_the_focused_field_and_add_this_site(ext):
    ext.add_item(name="Forum", url="https://forum.example", username="f", password="forum secret")
    tab = ext.visit("https://bank.test/login")
    ext.sign_in(tab)
    ext.page.type("#search", "forum")
    ext.page.click("#search-form button[type=submit]")
    ext.page.text_of("#found li div", "Forum (f)")
    assert ext.page.script("return document.querySelectorAll('#found [aria-label^=Fill]').length") == 0
    ext.driver.switch_to.window(ext.site_window)
    ext.page.script("document.getElementById('pass').focus()")
    ext.popup(tab)
    ext.page.click("#generate")
    ext.page.text_of("#status", "A new password is in the page's focused field, and under Add this site.")
    generated = ext.page.find("#add-password").get_property("value")
    assert len(generated) >= 16 and ext.values("pass") == [generated]
    ext.driver.switch_to.window(ext.popup_window)
    assert ext.page.find("#add-name").get_property("value") == "bank.test"
    assert ext.page.find("#add-url").get_property("value") == "https://bank.test"
    ext.page.type("#add-username", "me@bank")
    ext.page.click("#add-form button[type=submit]")
    ext.page.text_of("#status", "Added bank.test.")
    added = [
        (i["url"], i["username"], i["password"]) for i in ext.api("GET", "items")["items"] if i["name"] == "bank.test"
    ]
    assert added == [("https://bank.test", "me@bank", generated)]
