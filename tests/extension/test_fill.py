"""Filling in real Chromium: where the safety rules allow it (browser.md §2, rules 1 to 3) and nowhere else."""

import time

BANK = {"name": "Bank", "url": "https://bank.test", "username": "alice@bank", "password": "vault secret 1"}
NOTHING_YET_SECONDS = 1.5


def fill(ext, tab_id, item_id=None):
    """A fill as the popup asks it after a click (item_id None: the best match, as the shortcut does)."""
    answer = ext.ask("fill", tabId=tab_id, itemId=item_id)
    assert answer["ok"], answer
    return answer["value"]


def test_fills_bank_login_after_a_click_in_the_popup(ext):
    item = ext.add_item(**BANK)
    tab = ext.visit("https://bank.test/sign-in")
    ext.sign_in(tab)
    ext.page.text_of("#matches li div", "Bank (alice@bank)")
    ext.page.click(f"[aria-label='Fill {item['name']}']")
    ext.page.text_of("#status", "Filled Bank.")
    assert ext.values("user", "pass") == ["alice@bank", "vault secret 1"]
    assert ext.shoot("fill-bank-test").stat().st_size > 0  # the filled sign-in page, as a person sees it


def test_nothing_is_filled_on_page_load(ext):
    ext.add_item(**BANK)
    first = ext.visit("https://bank.test/login")
    ext.sign_in(first)
    ext.visit("https://bank.test/login")  # loaded again while the vault is unlocked
    time.sleep(NOTHING_YET_SECONDS)
    assert ext.values("user", "pass") == ["", ""]


def test_not_on_a_lookalike_host_nor_over_http(ext):
    item = ext.add_item(**BANK)
    ext.sign_in(ext.visit("https://bank.test/login"))
    for url in ("https://bank.test.evil.test/login", "http://bank.test/login"):
        tab = ext.visit(url)
        # Even a fill asked for this very item (a popup misled, a shortcut) gives the page nothing.
        assert fill(ext, tab, item["id"]) == {"filled": False}, url
        assert fill(ext, tab) == {"filled": False}, url
        assert ext.values("user", "pass") == ["", ""], url


def test_a_cross_origin_iframe_is_judged_by_its_own_origin(ext):
    ext.add_item(**BANK)
    tab = ext.visit("https://bank.test/framed")
    ext.sign_in(tab)
    assert fill(ext, tab)["filled"]
    assert ext.values("user", "pass") == ["alice@bank", "vault secret 1"]
    assert ext.values("user", "pass", frame="iframe") == ["", ""]


def test_no_secret_into_fields_no_person_sees(ext):
    item = ext.add_item(**BANK)
    tab = ext.visit("https://bank.test/traps")
    ext.sign_in(tab)
    assert fill(ext, tab, item["id"]) == {"filled": False}
    traps = [f"{kind}-{how}" for how in ("hidden", "none", "zero", "clear", "away") for kind in ("user", "pass")]
    assert ext.values(*traps) == [""] * len(traps)


def test_domain_rule_fills_a_subdomain_and_host_rule_does_not(ext):
    domain = ext.add_item(**{**BANK, "name": "Bank domain", "username": "by-domain", "match": "domain"})
    host = ext.add_item(**{**BANK, "name": "Bank host", "username": "by-host", "match": "host"})
    tab = ext.visit("https://login.bank.test/login")
    ext.sign_in(tab)
    assert fill(ext, tab, host["id"]) == {"filled": False}
    assert ext.values("user") == [""]
    assert fill(ext, tab, domain["id"])["filled"]
    assert ext.values("user") == ["by-domain"]


def test_two_step_login_fills_the_password_when_its_field_appears(ext):
    ext.add_item(**BANK)
    tab = ext.visit("https://bank.test/two-step")
    ext.sign_in(tab)
    assert fill(ext, tab)["filled"]
    assert ext.values("user") == ["alice@bank"]
    ext.driver.switch_to.window(ext.site_window)
    ext.page.click("#next")
    ext.page.wait.until(lambda d: ext.values("pass") == ["vault secret 1"])
