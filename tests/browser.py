"""Debian's Chromium driven by Selenium, for the tests of web pages (the `browser` fixture in conftest)."""

import functools
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
# The axe-core every page is measured with: npm's current release, which .ci/run installs beside web-ext.
AXE = ROOT / ".ci" / "web-ext" / "node_modules" / "axe-core" / "axe.min.js"
# The rules every screen has to pass: WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}
# What a phone's screen cuts or pushes sideways: an element reaching past the viewport's edges (where no
# ancestor scrolls or clips it on purpose), the page scrolling sideways, a control whose words are cut, and
# a select's choice or a field's placeholder wider than its box.
OVERFLOW = """const width = document.documentElement.clientWidth;
const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + JSON.stringify(
  (e.getAttribute('aria-label') || e.placeholder || e.textContent || '').trim().slice(0, 40));
const clipped = (e) => { for (let a = e.parentElement; a; a = a.parentElement) {
  if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
const canvas = document.createElement('canvas').getContext('2d');
const textWidth = (e, text) => { canvas.font = getComputedStyle(e).font; return canvas.measureText(text).width; };
const inner = (e) => { const s = getComputedStyle(e);
  return e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); };
const found = [];
const sideways = document.documentElement.scrollWidth > width;
for (const e of document.body.querySelectorAll('*')) {
  if (!e.checkVisibility()) continue;
  const r = e.getBoundingClientRect();
  if (r.width <= 1 || r.height <= 1) continue;
  const reach = getComputedStyle(e).overflowX === 'visible' ? r.left + e.scrollWidth : r.right;
  if ((reach > width + 1 || r.left < -1) && (sideways || !clipped(e))) found.push('past the edge: ' + name(e));
  else if (e.matches('button, summary, label, .badge:not(.shared-badge)') && e.scrollWidth > e.clientWidth + 1)
    found.push('words cut: ' + name(e));
  else if (e.matches('select') && e.selectedOptions.length
           && textWidth(e, e.selectedOptions[0].text) > inner(e) - 16) found.push('choice cut: ' + name(e));
  else if (e.matches('input[placeholder]') && !e.value && textWidth(e, e.placeholder) > inner(e))
    found.push('placeholder cut: ' + name(e));
}
if (sideways && !found.length) found.push('the page scrolls sideways');
return found;"""
# axe.run's failure comes back as text rather than as a wait for the script timeout.
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

    def assert_accessible(self, name, sizes=(DESKTOP, PHONE), schemes=("light", "dark")):
        """axe-core (AXE) finds no violation of AXE_OPTIONS' rules in the page as it is now (whatever screen
        or dialog is open), at each size in each colour scheme, and at the phone's size nothing is cut or
        pushed past the screen's edge (OVERFLOW); each combination is photographed as
        test-output/web-NAME-{desktop,phone}[-dark].png. Leaves the window at the desktop size in light mode."""
        engine, version = axe_engine()
        faults = []
        try:
            for scheme in schemes:
                self.color_scheme(scheme)
                for size in sizes:
                    label = "desktop" if size[0] >= 800 else "phone"
                    self.shoot(f"{name}-{label}{'-dark' if scheme == 'dark' else ''}", size)
                    if self.script("return typeof window.axe === 'object' && axe.version") != version:
                        self.script(engine)  # measured with this engine, not one already in the page
                    found = self.driver.execute_async_script(AXE_RUN, AXE_OPTIONS)
                    assert "violations" in found, found
                    faults += [
                        f"{name} {label} {scheme}: {v['id']} ({v['help']}) at {[node['target'] for node in v['nodes']]}"
                        for v in found["violations"]
                    ]
                    if size == PHONE:
                        faults += [f"{name} {label} {scheme}: {what}" for what in self.script(OVERFLOW)]
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


@functools.cache
def axe_engine():
    """AXE's source and version; skips when it is not installed (fails under CI)."""
    if not AXE.exists():
        message = f"axe-core is not installed at {AXE}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; .ci/run should have installed it")
        pytest.skip(message + " (npm install --prefix .ci/web-ext axe-core)")
    version = json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))["version"]
    return AXE.read_text(encoding="utf-8"), version
