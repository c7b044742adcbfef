"""The web page among several people (issue 30), alice and bob each in a Chromium of their own: no lost update
when both edit one shared item, changes that reach an open page, the right words after a lost share, and a
sign-out that ends only its own session."""

from browser import DESKTOP, PHONE
from live import request
from vaultpage import PASSWORD, SHIFT, TAB, api, button_in, card_of, sign_in, sign_up, unlock


def family_with_bob(server, role="write"):
    """Alice's collection Family holding Bank (account A-1, password one), bob a member with `role`: Bank's id."""
    sign_up(server, "bob")
    family = api(server, "PUT", "collections", {"names": ["Family"]})["collections"][0]["id"]
    api(server, "PUT", f"collections/{family}/members", {"members": [{"username": "bob", "role": role}]})
    pending = api(server, "GET", "invitations", username="bob")["invitations"]
    api(server, "POST", "invitations", {"accept": [row["id"] for row in pending]}, username="bob")
    item = {"name": "Bank", "account": "A-1", "password": "one", "collection_id": family}
    return family, api(server, "PUT", "items", {"items": [item]})["items"][0]["id"]


def stored(server, item_id):
    return next(item for item in api(server, "GET", "fetchall")["items"] if item["id"] == item_id)


def open_editor(page, name):
    page.press(button_in(page, card_of(page, name), "Edit"))
    page.find("#item-name")


def retype(page, selector, text):
    page.find(selector).clear()
    page.find(selector).send_keys(text)


def tab_becomes_visible(page):
    """What a browser does when the person comes back to the tab."""
    page.script("document.dispatchEvent(new Event('visibilitychange'))")


def test_alice_saving_a_stale_page_keeps_bobs_change_and_asks_when_both_changed_one_field(
    browser, second_browser, vault_server
):
    alice, bob = browser, second_browser
    server = vault_server()
    _, bank = family_with_bob(server)
    for page, name in ((alice, "alice"), (bob, "bob")):
        sign_in(page, server, username=name)
        unlock(page)
    open_editor(alice, "Bank")
    open_editor(bob, "Bank")
    retype(bob, "#item-password", "two")
    bob.click("#item-form button[type=submit]")
    bob.text_of("#notice", "Saved Bank.")

    # Alice changed only the account: saved over bob's version, his password kept (it used to be overwritten).
    retype(alice, "#item-account", "A-2")
    alice.click("#item-form button[type=submit]")
    alice.text_of("#notice", "Saved Bank.")
    assert (stored(server, bank)["account"], stored(server, bank)["password"]) == ("A-2", "two")

    # Both change the password: alice is shown both and, by keyboard, goes back to her edit, then saves it.
    open_editor(bob, "Bank")
    retype(bob, "#item-password", "bob's")
    open_editor(alice, "Bank")
    retype(alice, "#item-password", "alice's")
    bob.click("#item-form button[type=submit]")
    bob.text_of("#notice", "Saved Bank.")
    alice.keys("\n")  # Enter in the password field submits the form
    alice.find("#conflict-dialog")
    assert alice.focused() == "conflict-mine"
    values = [node.text for node in alice.driver.find_elements(alice.by_css, "#conflict-fields .conflict-value")]
    assert values == ["alice's", "bob's"]
    alice.assert_accessible("conflict")
    alice.keys(TAB, TAB, "\n")  # Take the saved version, then Back to editing
    alice.gone("#conflict-dialog")
    alice.text_of("#item-error", "Your changes are kept here, over the version saved now. Save when ready.")
    assert alice.find("#item-password").get_attribute("value") == "alice's"
    assert stored(server, bank)["password"] == "bob's"
    alice.find("#item-password").send_keys("\n")
    alice.text_of("#notice", "Saved Bank.")
    assert (stored(server, bank)["password"], stored(server, bank)["account"]) == ("alice's", "A-2")
    history = api(server, "GET", f"items/{bank}/history")["history"]
    assert "bob's" in [entry["password"] for entry in history]
    assert alice.console_errors(allowed_statuses=(409,)) == []


def test_bobs_open_page_gains_edit_when_upgraded_and_loses_familys_items_when_removed(
    browser, second_browser, vault_server
):
    bob = second_browser
    server = vault_server()
    family, _ = family_with_bob(server, role="read")
    api(server, "PUT", "items", {"items": [{"name": "Own"}]}, username="bob")
    sign_in(bob, server, username="bob")
    unlock(bob)
    bank = card_of(bob, "Bank")
    assert not bank.find_elements(bob.by_css, "button.edit")
    # bob is reading his own item's card, the keyboard on its Edit button: the redrawn list keeps both.
    button_in(bob, card_of(bob, "Own"), "Edit").send_keys("")
    on_screen = (
        "return [...document.querySelectorAll('li.item')].find((c) => c.textContent.includes('Own'))"
        ".getBoundingClientRect().top"
    )
    focused, where = bob.focused(), bob.script(on_screen)
    api(server, "PUT", f"collections/{family}/members", {"members": [{"username": "bob", "role": "write"}]})
    tab_becomes_visible(bob)
    bob.wait.until(lambda d: card_of(bob, "Bank").find_elements(bob.by_css, "button.edit"), "no Edit after upgrade")
    bob.wait.until(lambda d: bob.script(on_screen) == where, "Own moved on the screen")
    assert bob.focused() == focused == "Edit Own"

    # Removed while a dialog is open: the dialog stays, Family's items go.
    bob.press(button_in(bob, card_of(bob, "Own"), "Edit"))
    bob.find("#item-name").send_keys(" typed")
    api(server, "DELETE", f"collections/{family}/members", {"usernames": ["bob"]})
    tab_becomes_visible(bob)
    bob.wait.until(lambda d: [c.text for c in d.find_elements(bob.by_css, "li.item h3")] == ["Own"], "Bank stayed")
    assert bob.find("#item-name").get_attribute("value") == "Own typed" and bob.focused() == "item-name"
    assert bob.console_errors() == []


def test_saving_an_item_of_a_collection_one_left_says_so_in_sight_on_a_phone_and_keeps_the_text(
    browser, second_browser, vault_server
):
    bob = second_browser
    server = vault_server()
    family, _ = family_with_bob(server)
    sign_in(bob, server, username="bob")
    unlock(bob)
    bob.driver.set_window_size(*PHONE)
    try:
        open_editor(bob, "Bank")
        retype(bob, "#item-blob", "the new PIN is 4321")
        api(server, "DELETE", f"collections/{family}/members", {"usernames": ["bob"]})
        bob.click("#item-form button[type=submit]")
        bob.text_of(
            "#item-error",
            "You are no longer a member of Family (or your role changed): your text is kept, copy it or save it "
            "as a personal item (Save again does).",
        )
        error, bar = bob.find("#item-error"), bob.find("#item-form .actions")
        top, bottom = error.rect["y"], error.rect["y"] + error.rect["height"]
        in_view = bob.script("return arguments[0].getBoundingClientRect().top", error)
        assert 0 <= in_view and bottom <= bar.rect["y"] + 1, (top, bottom, bar.rect)
        assert bob.find("#item-blob").get_attribute("value") == "the new PIN is 4321"
        bob.click("#item-form button[type=submit]")
        bob.gone("#item-dialog")
        (kept,) = api(server, "GET", "fetchall", username="bob")["items"]
        assert (kept["name"], kept["blob"], kept["collection_id"]) == ("Bank", "the new PIN is 4321", None)
    finally:
        bob.driver.set_window_size(*DESKTOP)


def test_sign_out_ends_this_session_only_and_sign_out_everywhere_every_one_by_keyboard(browser, vault_server):
    page = browser
    server = vault_server()
    family, _ = family_with_bob(server, role="read")
    api(server, "DELETE", f"collections/{family}/members", {"usernames": ["bob"]})
    bitwarden = {"encrypted": False, "items": [{"type": 1, "name": name, "login": {}} for name in ("a", "b")]}
    api(server, "POST", "import", bitwarden)
    other = request("POST", server.url + "/api/v1/auth", {"username": "alice", "password": PASSWORD})[2]
    still = lambda: request("GET", server.url + "/api/v1/sessions", headers={"x-opp-jwt": other["access_token"]})[0]  # noqa: E731
    sign_in(page, server)
    unlock(page)
    page.click("#sign-out")
    page.text_of("#notice", "Signed out of this session.")
    assert still() == 200  # the other device stays signed in

    sign_in(page, server)
    unlock(page)
    page.click("#account")
    current = "#sessions-list li.current"
    page.wait.until(lambda d: "Chromium on Linux" in (page.visible_text(current) or ""), "no agent in words")
    raw = page.find("#sessions-list li.current strong").get_attribute("title")
    assert "HeadlessChrome" in raw or "Chrome/" in raw
    page.text_of("#activity-list li:first-child strong", "You signed in.")
    said = [row.text for row in page.driver.find_elements(page.by_css, "#activity-list li strong")]
    for sentence in (
        "You imported 2 items.",
        "You removed bob from Family; key of Family changed after bob left.",
        "Bob joined Family (read).",
        "You invited bob to Family (read).",
        "You made Family.",
    ):
        assert sentence in said, said
    page.assert_accessible("account-everywhere")
    page.find("#account-back").send_keys("")
    for _ in range(40):
        if page.focused() == "sign-out-everywhere":
            break
        page.keys(SHIFT, TAB)
    assert page.focused() == "sign-out-everywhere"
    page.keys("\n")
    page.text_of("#notice", "Signed out everywhere: every session of this account has ended.")
    assert still() == 401


def select_box(page, name):
    return card_of(page, name).find_element(page.by_css, "input.select")


def test_alice_moves_three_items_to_family_by_click_and_shift_click_and_bobs_open_page_shows_them(
    browser, second_browser, vault_server
):
    from selenium.webdriver.common.action_chains import ActionChains

    alice, bob = browser, second_browser
    server = vault_server()
    family, _ = family_with_bob(server)
    api(server, "PUT", "items", {"items": [{"name": name} for name in ("Alpha", "Bravo", "Charlie", "Delta")]})
    for page, name in ((alice, "alice"), (bob, "bob")):
        sign_in(page, server, username=name)
        unlock(page)
    alice.press(select_box(alice, "Alpha"))
    alice.text_of("#selection-status", "1 selected")
    ActionChains(alice.driver).key_down(SHIFT).click(select_box(alice, "Charlie")).key_up(SHIFT).perform()
    alice.text_of("#selection-status", "3 selected")
    assert not select_box(alice, "Delta").is_selected()
    alice.assert_accessible("selection")
    alice.click("#selection-move")
    alice.find(f"#move-to-{family}")
    alice.assert_accessible("move")
    alice.click(f"#move-to-{family}")
    alice.click("#move-form button[type=submit]")
    alice.text_of("#notice", "Moved 3 items to Family.")
    moved = {item["name"]: item["collection_id"] for item in api(server, "GET", "fetchall")["items"]}
    assert moved == {"Alpha": family, "Bravo": family, "Charlie": family, "Delta": None, "Bank": family}

    # Bob's page, open all along, shows them once it asks whether anything changed.
    tab_becomes_visible(bob)
    names = "return [...document.querySelectorAll('li.item h3')].map((h) => h.textContent)"
    bob.wait.until(lambda d: bob.script(names) == ["Alpha", "Bank", "Bravo", "Charlie"], "bob never saw them")
    assert alice.console_errors() == [] and bob.console_errors() == []
