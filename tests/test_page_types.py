"""The web page's item types (README "Attachments and item types"): New item asks the type, each type's
fields in the dialog, a payment card's card with its brand and last four digits, by keyboard alone."""

from vaultpage import ESCAPE, button_in, card_of, fetchall, sign_in, tab_to, token_of, unlock

DOWN, ENTER = "\ue015", "\ue007"


def test_a_card_is_added_by_keyboard_shown_masked_and_a_changed_type_throws_nothing_away(browser, vault_server):
    page = browser
    server = vault_server()
    sign_in(page, server)
    unlock(page)  # an empty vault: New item is the way in
    tab_to(page, "add-item")
    page.keys(ENTER)
    page.wait.until(lambda d: page.focused() == "item-name", "the dialog did not take the focus")
    page.keys("Visa")
    tab_to(page, "item-type")
    page.keys(DOWN, DOWN)  # Login, Secure note, Payment card
    assert page.script("return document.querySelector('#item-type').value") == "card"
    tab_to(page, "item-card-cardholder")
    page.keys("A Person")
    tab_to(page, "item-card-number")
    assert page.find("#item-card-number").get_attribute("type") == "password"
    page.keys("4111 1111 1111 1111")
    tab_to(page, "item-card-exp_month")
    page.keys("3")
    tab_to(page, "item-card-code")
    page.keys("123")
    page.assert_accessible("item-dialog-card")
    page.keys(ENTER)  # Enter in a text field saves
    page.gone("#item-dialog")

    [saved] = [item for item in fetchall(server, token_of(page))["items"] if item["name"] == "Visa"]
    assert saved["type"] == "card"
    assert {key: saved["card"][key] for key in ("cardholder", "brand", "number", "exp_month", "code")} == {
        "cardholder": "A Person",
        "brand": "Visa",
        "number": "4111111111111111",
        "exp_month": "03",
        "code": "123",
    }
    card = card_of(page, "Visa")
    assert "Visa •••• 1111" in card.text and "A Person" in card.text
    assert "4111111111111111" not in card.text and "123" not in card.text and "Password" not in card.text
    page.press(button_in(page, card, "Show card number of Visa"))
    page.wait.until(lambda d: "4111111111111111" in card.text, "the number never shown")
    page.press(button_in(page, card, "Copy security code of Visa"))
    page.text_of("#notice", "Security code copied. The clipboard is cleared in 30 seconds.")
    page.assert_accessible("item-types-card")

    # Another type and back: what was typed is still there, so Escape closes without asking.
    page.click("button[aria-label='Edit Visa']")
    assert page.script("return document.querySelector('#item-card-number').value") == "4111111111111111"
    page.choose("#item-type", "Identity")
    assert page.script("return document.querySelector('#item-card-fields').hidden") is True
    page.type("#item-identity-first_name", "Ada")
    page.type("#item-identity-passport_number", "P1234567")
    page.assert_accessible("item-dialog-identity")
    page.choose("#item-type", "Payment card")
    assert page.script("return document.querySelector('#item-card-code').value") == "123"
    page.choose("#item-type", "Identity")
    page.keys(ESCAPE)
    page.text_of("#confirm-title", "Discard your changes?")
    page.keys(ESCAPE)
    page.click("#item-form button[type=submit]")
    page.gone("#item-dialog")
    [saved] = [item for item in fetchall(server, token_of(page))["items"] if item["name"] == "Visa"]
    assert saved["type"] == "identity" and "card" not in saved
    assert (saved["identity"]["first_name"], saved["identity"]["passport_number"]) == ("Ada", "P1234567")
    card = card_of(page, "Visa")
    assert "Ada" in card.text and "P1234567" not in card.text
    assert page.console_errors() == []
