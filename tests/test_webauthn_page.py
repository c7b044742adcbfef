"""Security keys and passkeys in Chromium, with its DevTools virtual authenticators (ctap2; internal and usb
transports; user verification on and off): add two keys from the Account view, sign in with each, remove one,
sign in with the other; a cloned key refused and logged; a page at another address than public_url told in
words; the screens held to the current axe-core and used by keyboard alone.

Screenshots of the flow: test-output/webauthn-*.png.
"""

import pytest

from browser import SHOTS
from conftest import CHEAP_ARGON2
from live import LiveServer, free_port, write_config
from vaultpage import PASSWORD, TAB, sign_up, tab_to

ROOT_PAGE = "http://localhost:{port}/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """serve.py whose public_url is where the page is opened: http://localhost (a secure context)."""
    folder = tmp_path_factory.mktemp("webauthn-page")
    port = free_port()
    config = write_config(
        folder,
        db_connect=f"sqlite:///{folder}/opp.db",
        allow_signup="true",
        public_url=f"http://localhost:{port}",
        **CHEAP_ARGON2,
    )
    with LiveServer(config, port=port) as live:
        live.page_url = ROOT_PAGE.format(port=port)
        yield live


class Authenticators:
    """Chromium's virtual authenticators, one at a time (the one that answers is the one there)."""

    def __init__(self, page):
        self.driver = page.driver

    def use(self, transport, verified, credentials=(), can_verify=None):
        """A fresh authenticator in place of any other, holding `credentials` (copies: a clone of a key);
        `can_verify` (default: `verified`) with `verified` false is a person who fails its check."""
        from selenium.webdriver.common.virtual_authenticator import VirtualAuthenticatorOptions

        self.drop()
        options = VirtualAuthenticatorOptions(
            protocol="ctap2",
            transport=transport,
            has_resident_key=True,
            # Off: a key that cannot verify its user (a plain USB key): "preferred" lets it in.
            has_user_verification=verified if can_verify is None else can_verify,
            is_user_verified=verified,
        )
        self.driver.add_virtual_authenticator(options)
        for credential in credentials:
            self.driver.add_credential(credential)

    def credentials(self):
        return self.driver.get_credentials()

    def drop(self):
        if self.driver.virtual_authenticator_id:
            self.driver.remove_virtual_authenticator()


def shoot(page, name):
    SHOTS.mkdir(exist_ok=True)
    assert page.driver.save_screenshot(str(SHOTS / f"webauthn-{name}.png"))


def fresh(page, url):
    """The page at `url`, signed out (a token kept in the tab by an earlier test forgotten)."""
    page.open(url)
    page.script("sessionStorage.clear()")
    page.open(url)


def sign_in_with_password(page, server, username):
    fresh(page, server.page_url)
    page.type("#username", username)
    page.type("#password", PASSWORD + "\n")


def add_key(page, name, code=None):
    page.click("#keys-add")
    page.type("#key-name", name)
    page.type("#key-add-password", PASSWORD)
    if code:
        page.type("#key-add-code", code)
    page.click("#key-add button.primary")


def test_two_keys_sign_in_one_removed_the_other_signs_in_and_a_clone_is_refused(browser, server):
    page, keys = browser, Authenticators(browser)
    sign_up(server, "kim")
    try:
        # A platform passkey with user verification, added from the Account view.
        keys.use("internal", verified=True)
        sign_in_with_password(page, server, "kim")
        page.find("#phrase")
        page.click("#account")
        page.text_of(
            "#keys-status",
            "No security key or passkey yet. One signs you in after your password with a "
            "touch; your passphrase still unlocks the vault.",
        )
        page.click("#keys-add")
        page.find("#key-name")
        shoot(page, "1-add-form")
        page.assert_accessible("webauthn-add")
        page.click("#key-add button:not(.primary)")  # Cancel
        add_key(page, "Laptop passkey")
        page.find("#recovery-codes")
        codes = [item.text for item in page.driver.find_elements(page.by_css, "#recovery-codes li")]
        assert len(codes) == 10
        shoot(page, "2-recovery-codes")
        page.click("#recovery-done")
        laptop = keys.credentials()
        assert len(laptop) == 1

        # A USB key without user verification (preferred, not required), added with a recovery code as proof.
        keys.use("usb", verified=False)
        add_key(page, "USB key", code=codes[0])
        page.wait.until(lambda d: len(d.find_elements(page.by_css, "#keys-list li")) == 2)
        rows = [row.text for row in page.driver.find_elements(page.by_css, "#keys-list li")]
        assert rows[0].startswith("Laptop passkey") and rows[1].startswith("USB key") and "not used yet" in rows[1]
        shoot(page, "3-two-keys")
        page.assert_accessible("webauthn-keys")

        # Sign in asks for the key first: the USB key.
        page.click("#sign-out")
        sign_in_with_password(page, server, "kim")
        page.find("#phrase")
        # And the laptop's passkey, in an authenticator of its own again.
        keys.use("internal", verified=True, credentials=laptop)
        page.click("#sign-out")
        sign_in_with_password(page, server, "kim")
        page.find("#phrase")
        page.click("#account")
        page.wait.until(lambda d: "last used" in d.find_element(page.by_css, "#keys-list li").text)

        # Remove the USB key: asked first, then the password and a touch of the other.
        page.click("#keys-list li:nth-child(2) button")
        page.find("#key-remove-password")
        assert page.visible_text("#key-remove .hint").startswith("Remove USB key? It will no longer sign you in.")
        shoot(page, "4-remove-asks-first")
        page.assert_accessible("webauthn-remove")
        page.type("#key-remove-password", PASSWORD + "\n")
        page.wait.until(lambda d: len(d.find_elements(page.by_css, "#keys-list li")) == 1)
        assert page.visible_text("#keys-list li strong") == "Laptop passkey"
        laptop_now = keys.credentials()
        assert laptop_now[0].sign_count > laptop[0].sign_count

        # The passkey's check failed (the person was not verified): the browser does not allow it, in words;
        # then the key again.
        keys.use("internal", verified=False, credentials=laptop_now, can_verify=True)
        page.click("#sign-out")
        sign_in_with_password(page, server, "kim")
        page.text_of(
            "#signin-error",
            "The key was not used in time, or the browser did not allow it (cancelled, timed out, or no key "
            "answered). Try again.",
        )
        shoot(page, "5-not-allowed")
        keys.use("internal", verified=True, credentials=laptop_now)
        page.click("#key-again")
        page.find("#phrase")

        # A clone of the laptop's passkey as it was before it signed in since: refused, and logged.
        # (internal too: the sign-in names each key's transports, and the browser asks only such authenticators)
        keys.use("internal", verified=True, credentials=laptop)
        page.click("#sign-out")
        sign_in_with_password(page, server, "kim")
        page.text_of(
            "#signin-error",
            "The server did not accept this key: it is not one of this account's keys, or a copy of one. "
            "Use another key, or a code.",
        )
        shoot(page, "6-cloned-key-refused")
        page.assert_accessible("webauthn-signin-key")
        assert "possibly a cloned key; refused" in server.log()
        # A code instead.
        page.click("#use-code")
        page.text_of("#signin-error", "Enter one of your recovery codes.")
        page.type("#otp", codes[1] + "\n")
        page.find("#phrase")
    finally:
        keys.drop()


def test_a_key_added_used_and_removed_by_keyboard_alone(browser, server):
    page, keys = browser, Authenticators(browser)
    sign_up(server, "lee")
    try:
        keys.use("usb", verified=True)
        fresh(page, server.page_url)
        page.find("#username").send_keys("lee")
        page.keys(TAB, PASSWORD, "\n")
        page.find("#phrase")
        tab_to(page, "account")
        page.keys("\n")
        tab_to(page, "keys-add")
        page.keys("\n")
        assert page.focused() == "key-name"
        page.keys("Desk key", TAB, PASSWORD, "\n")
        page.find("#recovery-codes")
        tab_to(page, "recovery-done")
        page.keys("\n")
        page.text_of("#keys-list li strong", "Desk key")

        # Signed out and in again: the key step, by keyboard.
        tab_to(page, "sign-out", backwards=True, most=60)
        page.keys("\n")
        assert page.focused() == "password"  # the name stays
        page.keys(PASSWORD, "\n")
        page.find("#phrase")

        tab_to(page, "account")
        page.keys("\n")
        tab_to(page, "Remove Desk key")
        page.keys("\n")
        assert page.focused() == "key-remove-password"
        page.keys(PASSWORD, "\n")
        page.text_of(
            "#keys-status",
            "No security key or passkey yet. One signs you in after your password with a "
            "touch; your passphrase still unlocks the vault.",
        )
        assert page.focused() == "keys-add"
    finally:
        keys.drop()


def test_a_page_at_another_address_than_public_url_is_told_so_and_a_code_stands_in(browser, server):
    from live import request
    from softkey import SoftKey

    page = browser
    sign_up(server, "ray")
    token = request("POST", server.url + "/v1/auth", {"username": "ray", "password": PASSWORD})[2]["access_token"]
    headers = {"x-opp-jwt": token}
    options = request("PUT", server.url + "/v1/webauthn", {"password": PASSWORD}, headers)[2]["options"]
    credential = SoftKey().create(options, server.page_url.rstrip("/"))
    codes = request("POST", server.url + "/v1/webauthn", {"name": "K", "credential": credential}, headers)[2][
        "recovery_codes"
    ]
    # 127.0.0.1 is this machine too, but not the relying party the server names (localhost).
    fresh(page, server.url + "/")
    page.type("#username", "ray")
    page.type("#password", PASSWORD + "\n")
    page.text_of(
        "#signin-error",
        "The browser refused this address for the key: the page is open at another address than the server's "
        "public_url (relying party id mismatch). Open the page at the address the server names.",
    )
    shoot(page, "7-rp-id-mismatch")
    page.click("#use-code")
    page.text_of("#signin-error", "Enter one of your recovery codes.")
    assert page.focused() == "otp"
    page.type("#otp", codes[0] + "\n")
    page.find("#phrase")
