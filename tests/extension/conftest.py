"""The extension in real Chromium: the unpacked extension/ loaded, the test sites by name, a real serve.py.

`ext` drives two windows of one Chromium: the site (a test page) and the popup, opened as a tab that
names the site's tab (`popup.html?tab=ID`), as a person's click on the toolbar button would serve it.
"""

import hashlib
import itertools
import json
import shutil

import pytest

from browser import SHOTS, start_chromium
from conftest import CHEAP_ARGON2, PASSWORD, PHRASE
from extension.sites import Sites
from live import ROOT, LiveServer, request, write_config

EXTENSION = ROOT / "extension"
USER_NUMBERS = itertools.count(1)


def extension_id(path):
    """Chromium's id for an unpacked extension: the SHA-256 of its path, first 32 hex digits as a..p."""
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    with Sites(tmp_path_factory.mktemp("sites")) as running:
        yield running


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("server")
    config = write_config(folder, db_connect=f"sqlite:///{folder}/opp.db", allow_signup="true", **CHEAP_ARGON2)
    with LiveServer(config) as running:
        yield running


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    """A copy of extension/ whose manifest already holds the permission the options page asks for the
    loopback server: a headless browser shows no permission prompt that a test could accept."""
    folder = tmp_path_factory.mktemp("unpacked") / "extension"
    shutil.copytree(EXTENSION, folder, ignore=shutil.ignore_patterns("tests"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["host_permissions"] = ["http://127.0.0.1/*"]
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def chromium(tmp_path_factory, sites, unpacked):
    flags = (f"--load-extension={unpacked}", f"--disable-extensions-except={unpacked}", *sites.flags())
    page = start_chromium(tmp_path_factory.mktemp("chromium-profile"), flags)
    page.extension_id = extension_id(unpacked)
    yield page
    page.driver.quit()


class Extension:
    """The extension as a person uses it, and a look at what it put into the test pages."""

    def __init__(self, page, server):
        self.page = page
        self.driver = page.driver
        self.server = server
        self.base = f"chrome-extension://{page.extension_id}/"
        self.site_window = self.driver.current_window_handle
        self.driver.switch_to.new_window("tab")
        self.popup_window = self.driver.current_window_handle
        self.page.open(self.base + "pages/options.html")  # an extension page, to talk to the background from
        self.username = f"user{next(USER_NUMBERS)}"
        status, _, body = request(
            "PUT", server.url + "/api/v1/user", {"username": self.username, "password": PASSWORD, "phrase": PHRASE}
        )
        assert status == 200, body

    def close(self):
        self.driver.switch_to.window(self.popup_window)
        self.ask("sign-out")
        self.driver.close()
        self.driver.switch_to.window(self.site_window)

    # The server, directly
    def api(self, method, path, body=None, **login):
        status, _, answer = request(
            "POST", self.server.url + "/api/v1/auth", {"username": self.username, "password": PASSWORD, **login}
        )
        assert status == 200, answer
        headers = {"x-opp-jwt": answer["access_token"], "x-opp-phrase": PHRASE}
        status, _, answer = request(method, self.server.url + "/api/v1/" + path, body, headers=headers)
        assert status == 200, answer
        return answer

    def add_item(self, **row):
        return self.api("PUT", "items", {"items": [row]})["items"][0]

    # The extension's pages
    def options(self, server_url=None, lock_minutes=15):
        self.driver.switch_to.window(self.popup_window)
        self.page.open(self.base + "pages/options.html")
        self.page.type("#server", server_url or self.server.url)
        self.page.type("#lock-minutes", str(lock_minutes))
        self.page.click("button[type=submit]")
        self.page.wait.until(lambda d: self.page.visible_text("#status").startswith("Saved"))

    def visit(self, url):
        """Open `url` in the site window; its tab id."""
        self.driver.switch_to.window(self.site_window)
        self.page.open(url)
        self.driver.switch_to.window(self.popup_window)
        tabs = self.script_async("chrome.tabs.query({}).then(done)")
        return next(tab["id"] for tab in tabs if tab["url"] == url)

    def popup(self, tab_id):
        self.driver.switch_to.window(self.popup_window)
        self.page.open(f"{self.base}pages/popup.html?tab={tab_id}")

    def sign_in(self, tab_id, unlock=True, **login):
        self.options()
        self.popup(tab_id)
        self.page.type("#username", self.username)
        self.page.type("#password", PASSWORD)
        self.page.click("#sign-in button[type=submit]")
        if unlock:
            self.page.type("#phrase", PHRASE)
            self.page.click("#unlock button[type=submit]")
            self.page.find("#vault")
            # The vault screen shows before its first vault call (the tab's matches) is back, and that
            # call's end marks the vault used: wait for the focus the screen's drawing ends with.
            self.page.wait.until(
                lambda d: self.page.script(
                    "const at = document.activeElement; "
                    "return at.id === 'search' || document.getElementById('matches').contains(at)"
                ),
                "the vault screen never finished drawing",
            )

    def script_async(self, code):
        """Run `code` in the extension page, which calls done(value)."""
        self.driver.switch_to.window(self.popup_window)
        return self.driver.execute_async_script("const done = arguments[arguments.length - 1];\n" + code)

    def ask(self, kind, **details):
        """A message to the background as the popup sends it; the answer {ok, value|error}."""
        message = {"type": kind, **details}
        self.driver.switch_to.window(self.popup_window)
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1]; chrome.runtime.sendMessage(arguments[0]).then(done)",
            message,
        )

    # The test page
    def shoot(self, name):
        """A screenshot of the site window, saved as test-output/extension-NAME.png."""
        self.driver.switch_to.window(self.site_window)
        SHOTS.mkdir(exist_ok=True)
        path = SHOTS / f"extension-{name}.png"
        assert self.driver.save_screenshot(str(path)), path
        return path

    def values(self, *ids, frame=None):
        """The values of the fields `ids` in the site window (in its iframe `frame`, a CSS selector)."""
        self.driver.switch_to.window(self.site_window)
        if frame:
            self.driver.switch_to.frame(self.driver.find_element(self.page.by_css, frame))
        try:
            return [
                self.driver.find_element(self.page.by_css, "#" + field_id).get_property("value") for field_id in ids
            ]
        finally:
            self.driver.switch_to.default_content()


@pytest.fixture
def ext(chromium, server):
    extension = Extension(chromium, server)
    yield extension
    extension.close()
