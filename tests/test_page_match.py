"""The web page edits an item's match rule (browser.md section 1): a choice in the item editor, explained
in one line, by keyboard alone."""

from vaultpage import ESCAPE, api, button_in, card_of, fetchall, sign_in, tab_to, token_of, unlock

DOWN, ENTER = "\ue015", "\ue007"


def saved_rule(page, server, name):
    [saved] = [item for item in fetchall(server, token_of(page))["items"] if item["name"] == name]
    return saved["match"]


def test_the_match_rule_is_chosen_and_explained_in_the_item_editor_by_keyboard(browser, vault_server):
    page = browser
    server = vault_server()
    api(server, "PUT", "items", {"items": [{"name": "Bank", "url": "https://bank.test", "match": "exact"}]})
    sign_in(page, server)
    unlock(page)
    card_of(page, "Bank")

    page.press(button_in(page, card_of(page, "Bank"), "Edit Bank"))
    assert page.script("return document.querySelector('#item-match').value") == "exact"
    page.text_of("#item-match-hint", "Offered only on this address and the pages under its path.")
    page.assert_accessible("item-dialog-match")

    # By keyboard alone: Tab to the choice, an arrow key to the next rule, Enter in the name saves.
    tab_to(page, "item-match")
    page.keys(DOWN)
    page.text_of("#item-match-hint", "Never offered for any page; the item stays in the vault and in search.")
    tab_to(page, "item-name", backwards=True)
    page.keys(ENTER)  # Enter in a text field submits the form
    page.gone("#item-dialog")
    assert saved_rule(page, server, "Bank") == "never"

    # A new item starts at the default; a changed rule is a change that Escape asks about.
    page.click("#add-item")
    assert page.script("return document.querySelector('#item-match').value") == "domain"
    page.text_of("#item-match-hint", "Offered on every page of the site, such as login.bank.example for bank.example.")
    page.type("#item-name", "Shop")
    page.choose("#item-match", "This host name only")
    page.keys(ESCAPE)
    page.text_of("#confirm-title", "Discard your changes?")
    page.keys(ESCAPE)
    page.click("#item-form button[type=submit]")
    page.gone("#item-dialog")
    assert saved_rule(page, server, "Shop") == "host"
    assert page.console_errors() == []
