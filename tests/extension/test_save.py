"""One-time codes, and saving or updating a login after its form was submitted (browser.md §2)."""

import time

from otp import code_at

SEED = "JBSWY3DPEHPK3PXP"


def submit(ext, url, username, password):
    """A person signs in on the test page by hand; the tab's id."""
    tab = ext.visit(url)
    ext.driver.switch_to.window(ext.site_window)
    ext.page.type("#user", username)
    ext.page.type("#pass", password)
    ext.page.click("#submit")
    ext.page.find("#done")
    return tab


def test_one_time_code_field_gets_the_current_code(ext):
    item = ext.add_item(name="Bank", url="https://bank.test", username="u", password="p", totp=SEED)
    tab = ext.visit("https://bank.test/otp")
    ext.sign_in(tab)
    answer = ext.ask("fill", tabId=tab, itemId=item["id"])
    assert answer["value"]["codeFilled"], answer
    now = time.time()
    # Computed here from RFC 6238 alone; the fill and this line may straddle a step.
    assert ext.values("code")[0] in (code_at(SEED, now), code_at(SEED, now - 30))


def test_save_after_submit_creates_exactly_one_item(ext):
    ext.sign_in(ext.visit("https://bank.test/login"))
    tab = submit(ext, "https://bank.test/login", "new@bank", "typed secret 7")
    assert ext.api("GET", "items")["items"] == []  # nothing stored without a click
    ext.popup(tab)
    ext.page.click("#offer-accept")
    ext.page.text_of("#status", "Login saved.")
    items = ext.api("GET", "items")["items"]
    assert [(i["url"], i["username"], i["password"]) for i in items] == [
        ("https://bank.test", "new@bank", "typed secret 7")
    ]
    ext.popup(tab)
    ext.page.find("#vault")
    assert not ext.page.script("return document.getElementById('offer').hidden === false")
    assert len(ext.api("GET", "items")["items"]) == 1


def test_update_keeps_the_old_password_in_history(ext):
    item = ext.add_item(name="Bank", url="https://bank.test", username="alice@bank", password="old secret")
    ext.sign_in(ext.visit("https://bank.test/login"))
    tab = submit(ext, "https://bank.test/login", "alice@bank", "new secret")
    ext.popup(tab)
    ext.page.text_of("#offer-accept", "Update password")
    ext.page.assert_accessible("extension-offer")
    ext.page.click("#offer-accept")
    ext.page.text_of("#status", "Password updated; the old one is in the item's history.")
    items = ext.api("GET", "items")["items"]
    assert [(i["id"], i["password"]) for i in items] == [(item["id"], "new secret")]
    history = ext.api("GET", f"items/{item['id']}/history")["history"]
    assert [entry["password"] for entry in history] == ["old secret"]


def test_a_known_password_is_not_offered(ext):
    ext.add_item(name="Bank", url="https://bank.test", username="alice@bank", password="same secret")
    ext.sign_in(ext.visit("https://bank.test/login"))
    tab = submit(ext, "https://bank.test/login", "alice@bank", "same secret")
    assert ext.ask("offer", tabId=tab) == {"ok": True, "value": None}
