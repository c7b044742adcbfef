"""Debian's Chromium driven by Selenium, for the tests of web pages (the `browser` fixture in conftest)."""

import json
import os
import re

import pytest

from live import ROOT, require_binary

SHOTS = ROOT / "test-output"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
DESKTOP = (1280, 800)
PHONE = (390, 844)
WAIT_SECONDS = 10
# The rules every screen of a page has to pass: WCAG 2.0 A and AA, and 2.1 AA (the axe-core 3.1 that
# axe-selenium-python 2.1 bundles tags no rule "wcag21a" and refuses the tag).
# That axe-core also counts autocomplete="off" (valid HTML, used on fields a browser must not fill) as
# invalid, which later axe-core releases accept: that one rule is left out.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]},
    "rules": {"autocomplete-valid": {"enabled": False}},
}
# A current axe-core (npm's, which .ci/run installs beside web-ext) for pages held to WCAG 2.2 AA and
# axe's best practices: the browser extension's so far; the web page's tests move to it with their fixes.
CURRENT_AXE = ROOT / ".ci" / "web-ext" / "node_modules" / "axe-core" / "axe.min.js"
CURRENT_AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}
# axe.run's failure comes back as text, where axe_selenium_python's run() would wait for the script timeout.
AXE_RUN = """const done = arguments[arguments.length - 1];
axe.run(document, arguments[0]).then(done, (error) => done({error: String(error)}));"""


def start_chromium(profile, extra_flags=()):
    """A Page in a fresh headless Chromium using the folder `profile`, started with CHROMIUM_FLAGS and
    `extra_flags`; skips without Chromium (fails under CI)."""
    chromium = require_binary("chromium", "chromium")
    chromedriver = require_binary("chromedriver", "chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, *extra_flags):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit chromedriver path: Selenium Manager never downloads anything.
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    driver.set_window_size(*DESKTOP)
    return Page(driver)


class Page:
    """The page as a person sees it: visible elements by CSS selector, typing and clicking."""

    def __init__(self, driver):
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver = driver
        self.by_css = By.CSS_SELECTOR
        # The list is redrawn after every change: an element seen a moment ago may be gone.
        self.wait = WebDriverWait(
            driver, WAIT_SECONDS, poll_frequency=0.05, ignored_exceptions=(StaleElementReferenceException,)
        )

    def open(self, url):
        self.driver.get(url)
        self.get_console()  # a fresh page: earlier pages' messages are not its own

    def find(self, selector):
        return self.wait.until(
            lambda d: next((e for e in d.find_elements(self.by_css, selector) if e.is_displayed()), False),
            f"{selector} never became visible",
        )

    def gone(self, selector):
        self.wait.until(
            lambda d: not any(e.is_displayed() for e in d.find_elements(self.by_css, selector)),
            f"{selector} stayed visible",
        )

    def text_of(self, selector, expected):
        """Wait until the visible `selector` reads `expected`; return the element."""
        from selenium.common.exceptions import TimeoutException

        try:
            self.wait.until(lambda d: self.visible_text(selector) == expected)
        except TimeoutException:
            raise AssertionError(f"{selector} never read {expected!r}, but {self.visible_text(selector)!r}") from None
        return self.find(selector)

    def visible_text(self, selector):
        from selenium.common.exceptions import StaleElementReferenceException

        try:
            element = next((e for e in self.driver.find_elements(self.by_css, selector) if e.is_displayed()), None)
            return None if element is None else element.text
        except StaleElementReferenceException:
            return None

    def type(self, selector, text):
        field = self.find(selector)
        field.clear()
        field.send_keys(text)
        return field

    def click(self, selector):
        self.press(self.find(selector))

    def press(self, element):
        """Click `element` in the middle of the window, where no sticky header covers it."""
        self.script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def choose(self, selector, label):
        from selenium.webdriver.support.ui import Select

        Select(self.find(selector)).select_by_visible_text(label)

    def keys(self, *keys):
        """Keys pressed in whatever has the focus: the page driven by keyboard alone."""
        self.driver.switch_to.active_element.send_keys(*keys)

    def focused(self):
        return self.driver.execute_script(
            "const e = document.activeElement; return e.id || e.getAttribute('aria-label') || e.textContent"
        )

    def script(self, code, *args):
        return self.driver.execute_script(code, *args)

    def color_scheme(self, scheme):
        """Make the page see `prefers-color-scheme: light` or `dark`."""
        self.driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
        )

    def assert_accessible(self, name, sizes=(DESKTOP, PHONE), schemes=("light", "dark"), current=False):
        """axe-core finds no WCAG 2.1 AA violation in the page as it is now (whatever screen or dialog is
        open), at each size in each colour scheme; each combination is photographed as test-output/web-NAME-
        {desktop,phone}[-dark].png. Leaves the window at the desktop size in light mode. `current`: with
        the current axe-core (CURRENT_AXE), WCAG 2.2 AA and best practices."""
        from axe_selenium_python import Axe

        axe = Axe(self.driver)
        options = AXE_OPTIONS
        if current:
            if not CURRENT_AXE.exists():
                message = f"the current axe-core is not installed at {CURRENT_AXE}"
                if os.environ.get("CI") == "true":
                    pytest.fail(message + "; .ci/run should have installed it")
                pytest.skip(message + " (npm install --prefix .ci/web-ext axe-core)")
            axe.script_url = str(CURRENT_AXE)
            current_version = json.loads((CURRENT_AXE.parent / "package.json").read_text(encoding="utf-8"))["version"]
            options = CURRENT_AXE_OPTIONS
        faults = []
        try:
            for scheme in schemes:
                self.color_scheme(scheme)
                for size in sizes:
                    label = "desktop" if size[0] >= 800 else "phone"
                    self.shoot(f"{name}-{label}{'-dark' if scheme == 'dark' else ''}", size)
                    if not self.script("return typeof window.axe === 'object'"):
                        axe.inject()
                    if current:  # measured with the engine asked for, not one already in the page
                        assert self.script("return axe.version") == current_version
                    found = self.driver.execute_async_script(AXE_RUN, options)
                    assert "violations" in found, found
                    found = found["violations"]
                    faults += [
                        f"{name} {label} {scheme}: {v['id']} ({v['help']}) at {[node['target'] for node in v['nodes']]}"
                        for v in found
                    ]
        finally:
            self.color_scheme("light")
            self.driver.set_window_size(*DESKTOP)
        assert faults == [], "\n".join(faults)

    def shoot(self, name, size):
        self.driver.set_window_size(*size)
        self.script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        SHOTS.mkdir(exist_ok=True)
        path = SHOTS / f"web-{name}.png"
        assert self.driver.save_screenshot(str(path)), path
        return path

    def get_console(self):
        return self.driver.get_log("browser")

    def console_errors(self, allowed_statuses=()):
        """Console messages at warning level or worse, except failed API calls the test caused."""
        problems = []
        for entry in self.get_console():
            if entry["level"] not in ("SEVERE", "WARNING"):
                continue
            failed = re.search(
                r"/api/v1/\S+ - Failed to load resource: the server responded with a status of (\d+)", entry["message"]
            )
            if entry.get("source") == "network" and failed and int(failed.group(1)) in allowed_statuses:
                continue
            problems.append(entry["message"])
        return problems

    def session_storage(self):
        return self.script("return JSON.stringify(sessionStorage) + JSON.stringify(localStorage) + document.cookie")
