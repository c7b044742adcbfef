"""The web page keeps typed work and the reader's place: session ends, Escape, deletes (issue 18, problems 1-4)."""

import time

from live import request
from otp import code_at
from vaultpage import ESCAPE, PASSWORD, PHRASE, SHIFT, TAB, api, button_in, card_of, fetchall, sign_in, tab_to, unlock


def item_value(page, field):
    return page.script(f"return document.querySelector('#item-{field}').value")


def test_a_session_renewed_before_or_after_its_end_keeps_the_open_dialog(browser, vault_server):
    page = browser
    server = vault_server(exp_delta=8, max_exp_delta=8)
    sign_in(page, server)
    unlock(page)
    page.click("#add-item")
    page.type("#item-name", "Draft")
    page.type("#item-blob", "typed before the warning")
    # Warned shortly before the end; signing in again there keeps the dialog as it was.
    page.text_of("#renew-title", "Your session ends soon")
    first_end = page.script("return Number(sessionStorage.getItem('opp.deadline'))")
    page.keys(PASSWORD + "\n")
    page.gone("#renew-dialog")
    page.wait.until(lambda d: page.visible_text("#notice").startswith("Signed in again, until "), "no notice")
    time.sleep(max(0, first_end / 1000 - time.time()) + 0.5)
    assert page.find("#item-dialog").is_displayed()
    assert item_value(page, "blob") == "typed before the warning"
    page.click("#item-form button[type=submit]")
    card_of(page, "Draft")

    # Not renewed: at the end the vault leaves the page, the changed dialog stays under a sign-in.
    page.click("button[aria-label='Edit Draft']")
    page.type("#item-blob", "typed until the end")
    page.text_of("#renew-title", "Your session ends soon")
    page.keys(ESCAPE)
    page.text_of("#renew-title", "Your session has ended")
    assert page.session_storage() == "{}{}"
    assert page.script("return document.querySelectorAll('#groups *').length") == 0
    assert item_value(page, "blob") == "typed until the end"
    page.assert_accessible("renew-dialog")
    page.keys(ESCAPE)  # no way out that loses the draft silently
    page.find("#renew-password").send_keys(PASSWORD)
    page.find("#renew-phrase").send_keys(PHRASE + "\n")
    page.gone("#renew-dialog")
    card_of(page, "Draft")
    page.click("#item-form button[type=submit]")
    page.gone("#item-dialog")
    token = page.script("return sessionStorage.getItem('opp.token')")
    [saved] = fetchall(server, token)["items"]
    assert saved["blob"] == "typed until the end"
    # "Discard changes and sign out" is the way out that gives the draft up.
    page.click("button[aria-label='Edit Draft']")
    page.type("#item-blob", "given up")
    page.text_of("#renew-title", "Your session ends soon")
    page.keys(ESCAPE)
    page.text_of("#renew-title", "Your session has ended")
    page.click("#renew-later")
    page.text_of("#signin-error", "Your session has expired. Please sign in again.")
    page.gone("#item-dialog")
    assert page.console_errors() == []


def test_the_form_offers_only_the_session_the_server_grants(browser, vault_server):
    page = browser
    server = vault_server(max_exp_delta=7200)
    page.open(server.url + "/")
    page.text_of("#session-limit", "This server keeps you signed in for at most 2 hours.")
    assert page.script("return document.querySelector('#session-unit option[value=\"86400\"]').disabled")
    page.type("#username", "alice")
    page.type("#session-amount", "3")
    page.type("#password", PASSWORD + "\n")
    # The browser refuses the form: three hours are more than the server gives.
    assert page.script("return document.querySelector('#session-amount').matches(':invalid')")
    assert page.session_storage() == "{}{}"
    page.type("#session-amount", "2")
    page.type("#password", PASSWORD + "\n")
    page.find("#phrase")
    token = page.script("return sessionStorage.getItem('opp.token')")
    assert token and page.visible_text("#notice") in (None, "")


def test_escape_and_cancel_ask_before_discarding_changes(browser, vault_server):
    page = browser
    server = vault_server()
    sign_in(page, server)
    unlock(page)
    page.click("#add-item")
    page.keys(ESCAPE)  # nothing typed: closed at once
    page.gone("#item-dialog")
    page.click("#add-item")
    page.click("#gen-button")
    page.wait.until(lambda d: item_value(page, "password"), "no password generated")
    generated = item_value(page, "password")
    page.keys(ESCAPE)
    page.text_of("#confirm-title", "Discard your changes?")
    assert page.focused() == "Keep editing"
    page.keys("\n")
    page.gone("#confirm-dialog")
    assert page.find("#item-dialog").is_displayed() and item_value(page, "password") == generated
    page.keys(ESCAPE)  # a second Escape asks again
    page.text_of("#confirm-title", "Discard your changes?")
    page.keys(ESCAPE)
    page.gone("#confirm-dialog")
    page.click("#item-form .cancel")
    page.text_of("#confirm-title", "Discard your changes?")
    page.click("#confirm-choices button.danger-fill")
    page.gone("#item-dialog")
    token = page.script("return sessionStorage.getItem('opp.token')")
    assert fetchall(server, token)["items"] == []


def test_deleting_or_adding_keeps_the_place_in_the_list(browser, vault_server):
    page = browser
    server = vault_server()
    api(server, "PUT", "categories", {"category_names": ["A", "C", "D"]})
    api(server, "PUT", "items", {"items": [{"name": f"Item {n:02}"} for n in range(1, 31)]})
    sign_in(page, server)
    unlock(page)
    # By keyboard: Delete on item 15, then Shift+Tab from Cancel to "Delete item" and Enter.
    page.press(button_in(page, card_of(page, "Item 15"), "More about Item 15"))
    page.script("document.querySelector('button[aria-label=\"Delete Item 15\"]').focus()")
    page.keys("\n")
    page.text_of("#confirm-title", "Delete Item 15?")
    page.keys(SHIFT, TAB)
    page.keys("\n")
    page.text_of("#notice", "Moved Item 15 to the trash.")
    page.wait.until(lambda d: page.focused() == "Edit Item 16", "the focus left the list")
    assert page.script("return window.scrollY") > 500
    page.press(button_in(page, card_of(page, "Item 30"), "More about Item 30"))
    page.script("document.querySelector('button[aria-label=\"Delete Item 30\"]').focus()")
    page.keys("\n", SHIFT, TAB)
    page.keys("\n")
    page.wait.until(lambda d: page.focused() == "Edit Item 29", "the focus left the list")
    # A new category gets the focus; a deleted one hands it to the next.
    page.script("document.querySelector('#add-category').focus()")
    page.keys("\n")
    page.find("#category-name").send_keys("B\n")
    page.wait.until(lambda d: page.focused() == "Rename category B", "the focus is not on the new category")
    page.script("document.querySelector('button[aria-label=\"Delete category C\"]').focus()")
    page.keys("\n", SHIFT, TAB)
    page.keys("\n")
    page.wait.until(lambda d: page.focused() == "Rename category D", "the focus is not on the next category")


def test_a_vault_by_keyboard_alone(browser, vault_server):
    page = browser
    server = vault_server()
    page.open(server.url + "/")
    page.find("#username")
    assert page.focused() == "username"
    page.keys("alice", TAB, PASSWORD + "\n")
    page.find("#phrase")
    page.keys(PHRASE + "\n")
    page.find("#search")
    assert page.focused() == "search"
    # Create, with a generated password: the focus stays on Generate after it answered.
    tab_to(page, "add-item")
    page.keys("\n")
    page.find("#item-name")
    page.keys("Keyed")
    tab_to(page, "gen-button")
    page.keys("\n")
    page.wait.until(lambda d: item_value(page, "password"), "no password generated")
    assert page.focused() == "gen-button"
    tab_to(page, "Save")
    page.keys("\n")
    page.gone("#item-dialog")
    page.wait.until(lambda d: page.focused() == "Edit Keyed", "the focus is not on the new item")
    # Copy, edit, delete.
    tab_to(page, "Copy password of Keyed", backwards=True)
    page.keys("\n")
    page.text_of("#notice", "Password copied. The clipboard is cleared in 30 seconds.")
    tab_to(page, "Edit Keyed")
    page.keys("\n")
    page.find("#item-name").send_keys(" again\n")
    page.gone("#item-dialog")
    page.wait.until(lambda d: page.focused() == "Edit Keyed again", "the focus is not on the saved item")
    tab_to(page, "Delete Keyed again")
    page.keys("\n", SHIFT, TAB)
    page.keys("\n")
    page.text_of("#notice", "Moved Keyed again to the trash.")
    # Lock and unlock, then sign out, from the header.
    tab_to(page, "lock", backwards=True)
    page.keys("\n")
    page.find("#phrase")
    assert page.focused() == "phrase"
    page.keys(PHRASE + "\n")
    page.find("#search")
    tab_to(page, "sign-out", backwards=True)
    page.keys("\n")
    page.text_of("#notice", "Signed out of this session.")
    assert page.focused() in ("username", "password")
    assert page.console_errors() == []


def test_signing_in_again_asks_for_the_two_factor_code_when_the_account_needs_one(browser, vault_server):
    page = browser
    server = vault_server(exp_delta=8, max_exp_delta=8)
    token = request("POST", server.url + "/api/v1/auth", {"username": "alice", "password": PASSWORD})[2]
    headers = {"x-opp-jwt": token["access_token"]}
    secret = request("PUT", server.url + "/api/v1/2fa", {"password": PASSWORD}, headers=headers)[2]["secret"]
    codes = request(
        "POST", server.url + "/api/v1/2fa", {"code": code_at(secret, time.time()), "password": PASSWORD}, headers
    )[2]["recovery_codes"]
    page.open(server.url + "/")
    page.type("#username", "alice")
    page.type("#password", PASSWORD + "\n")
    page.text_of("#signin-error", "Enter the code your authenticator app shows.")
    page.type("#password", PASSWORD)
    page.type("#otp", code_at(secret, time.time() + 30) + "\n")
    unlock(page)
    page.click("#add-item")
    page.type("#item-name", "Draft")
    page.text_of("#renew-title", "Your session ends soon")
    page.keys(PASSWORD + "\n")
    page.text_of("#renew-error", "Enter the code your authenticator app shows.")
    assert page.focused() == "renew-otp"
    page.keys(codes[0] + "\n")
    page.gone("#renew-dialog")
    assert item_value(page, "name") == "Draft"
    # The browser reports each 401 that asked for the code; nothing else went wrong.
    assert all("/api/v1/auth - Failed to load resource" in line and "401" in line for line in page.console_errors())
