"""The web page edits and shows the items' extensions: one-time code seeds, custom fields, favourites (issue 12)."""

import time

from otp import code_at
from vaultpage import ESCAPE, api, button_in, card_of, fetchall, sign_in, token_of, unlock

SEED = "JBSWY3DPEHPK3PXP"  # 80 bits, as short as real sites hand out


def card_names(page):
    return [
        card.find_element(page.by_css, "h3").text
        for card in page.driver.find_elements(page.by_css, "li.item")
        if card.is_displayed()
    ]


def codes_now(seconds_around=2, **options):
    return {code_at(SEED, time.time() + shift, **options) for shift in range(-seconds_around, seconds_around + 1)}


def test_seed_fields_and_favourite_are_edited_in_the_dialog_and_shown_in_the_card(browser, vault_server):
    page = browser
    server = vault_server()
    api(server, "PUT", "items", {"items": [{"name": "Alpha", "password": "a"}]})
    sign_in(page, server)
    unlock(page)
    card_of(page, "Alpha")
    page.click("#add-item")
    page.type("#item-name", "Mail")
    page.type("#item-totp", SEED.lower()[:8] + " " + SEED.lower()[8:])  # as a site shows it
    assert page.find("#item-totp").get_attribute("type") == "password"
    page.click("#item-totp-toggle")
    assert page.find("#item-totp").get_attribute("type") == "text"
    page.click("#item-favorite")
    for name, value, hidden in (("PIN", "4321", True), ("Recovery address", "me@example.net", False), ("", "", False)):
        page.click("#add-field")
        assert page.focused().startswith("field-name-")
        page.keys(name)
        row = page.driver.find_elements(page.by_css, "#field-rows .field-row")[-1]
        row.find_element(page.by_css, "[data-part=field-value]").send_keys(value)
        if hidden:
            page.press(row.find_element(page.by_css, "[data-part=field-hidden]"))
            assert row.find_element(page.by_css, "[data-part=field-value]").get_attribute("type") == "password"
    page.assert_accessible("item-dialog-fields")
    page.click("#item-form button[type=submit]")
    page.gone("#item-dialog")

    # Saved as typed; the row left empty is not a field.
    [saved] = [item for item in fetchall(server, token_of(page))["items"] if item["name"] == "Mail"]
    assert saved["totp"].replace(" ", "").upper() == SEED
    assert saved["favorite"] is True
    assert saved["fields"] == [
        {"name": "PIN", "value": "4321", "hidden": True},
        {"name": "Recovery address", "value": "me@example.net", "hidden": False},
    ]

    # The card: first although "Alpha" sorts before it, marked, its code live, the hidden field masked.
    card = card_of(page, "Mail")
    assert card_names(page) == ["Mail", "Alpha"]
    assert "Favourite" in card.text
    page.wait.until(lambda d: card.find_element(page.by_css, ".code").text in codes_now(), "no current code")
    left = card.find_element(page.by_css, ".code-left").text
    assert left.endswith(" s left") and 0 <= int(left.split()[0]) <= 30
    assert "me@example.net" in card.text and "4321" not in card.text
    page.press(button_in(page, card, "Show pin of Mail"))
    page.wait.until(lambda d: "4321" in card.text, "hidden value never shown")
    page.press(button_in(page, card, "Copy one-time code of Mail"))
    page.text_of("#notice", "One-time code copied. The clipboard is cleared in 30 seconds.")

    # A search finds the visible field's value, never the hidden one's.
    page.type("#search", "example.net\n")
    page.text_of("#search-status", "1 matching item")
    page.type("#search", "4321\n")
    page.text_of("#search-status", "No items match “4321”.")
    page.type("#search", "\n")

    page.click("#favourites-only")
    page.text_of("#search-status", "1 favourite")
    page.wait.until(lambda d: card_names(page) == ["Mail"], "Alpha still shown")
    page.assert_accessible("favourites-and-codes")
    page.click("#favourites-only")
    page.wait.until(lambda d: card_names(page) == ["Mail", "Alpha"], "Alpha not back")

    # Editing: the rows come back filled; removing one and unticking the favourite are changes.
    page.click("button[aria-label='Edit Mail']")
    assert page.script("return document.querySelector('#item-totp').value").replace(" ", "").upper() == SEED
    page.click("button[aria-label='Remove field PIN']")
    assert page.focused().startswith("field-name-")  # on the next row's name
    page.keys(ESCAPE)
    page.text_of("#confirm-title", "Discard your changes?")
    page.click("#confirm-choices button.danger-fill")
    page.gone("#item-dialog")
    page.click("button[aria-label='Edit Mail']")
    page.click("#item-favorite")
    page.keys(ESCAPE)
    page.text_of("#confirm-title", "Discard your changes?")
    page.keys(ESCAPE)
    page.click("button[aria-label='Remove field PIN']")
    page.type("#item-totp", "")
    page.click("#item-form button[type=submit]")
    page.gone("#item-dialog")
    [saved] = [item for item in fetchall(server, token_of(page))["items"] if item["name"] == "Mail"]
    assert (saved["totp"], saved["favorite"]) == ("", False)
    assert saved["fields"] == [{"name": "Recovery address", "value": "me@example.net", "hidden": False}]
    page.wait.until(lambda d: card_names(page) == ["Alpha", "Mail"], "not sorted by name again")
    assert not card_of(page, "Mail").find_elements(page.by_css, ".code")
    assert page.console_errors() == []


def test_the_codes_are_fetched_again_when_their_time_step_ends(browser, vault_server):
    page = browser
    server = vault_server()
    api(
        server,
        "PUT",
        "items",
        {"items": [{"name": "Quick", "totp": f"otpauth://totp/Quick?secret={SEED}&period=2&digits=8"}]},
    )
    sign_in(page, server)
    unlock(page)
    card = card_of(page, "Quick")
    page.press(button_in(page, card, "More about Quick"))
    seen = set()
    deadline = time.time() + 8
    while len(seen) < 3 and time.time() < deadline:
        code = card.find_element(page.by_css, ".code").text
        if code.isdigit():
            assert code in codes_now(step=2, digits=8)
            seen.add(code)
        time.sleep(0.2)
    assert len(seen) >= 3, seen
    # Locking takes the codes out of the page with the vault.
    page.click("#lock")
    page.find("#phrase")
    assert page.script("return document.querySelectorAll('.code').length") == 0
    assert page.console_errors() == []


def test_the_trash_view_restores_and_deletes_for_good_after_asking(browser, vault_server):
    page = browser
    server = vault_server()
    [category] = api(server, "PUT", "categories", {"category_names": ["Work"]})["categories"]
    api(
        server,
        "PUT",
        "items",
        {
            "items": [
                {"name": name, "password": "pw " + name, "category_id": category["id"]}
                for name in ("Keep", "Drop", "Gone", "Also gone")
            ]
        },
    )
    sign_in(page, server)
    unlock(page)
    for name in ("Keep", "Drop", "Gone", "Also gone"):
        page.press(button_in(page, card_of(page, name), f"Delete {name}"))
        page.text_of("#confirm-text", "The item moves to the trash, where you can restore it until it is purged.")
        page.click("#confirm-choices button.danger-fill")
        page.text_of("#notice", f"Moved {name} to the trash.")
    page.click("#open-trash")
    page.text_of("#trash-status", "4 items in the trash.")
    assert page.focused() == "Restore Keep"  # the first row
    page.assert_accessible("trash")

    # Restored: back in its category in the vault, with its password; out of the trash.
    page.click("button[aria-label='Restore Keep']")
    page.text_of("#notice", "Restored Keep to the vault.")
    page.text_of("#trash-status", "3 items in the trash.")
    assert page.focused().startswith("Restore ")
    [kept] = [item for item in fetchall(server, token_of(page))["items"]]
    assert (kept["name"], kept["category_id"]) == ("Keep", category["id"])

    # Deleting one for good asks first; Cancel changes nothing.
    page.click("button[aria-label='Delete for good: Drop']")
    page.text_of("#confirm-title", "Delete Drop for good?")
    page.assert_accessible("trash-purge-question")
    page.keys(ESCAPE)
    page.gone("#confirm-dialog")
    assert page.focused() == "Delete for good: Drop"
    page.click("button[aria-label='Delete for good: Drop']")
    page.click("#confirm-choices button.danger-fill")
    page.text_of("#notice", "Deleted Drop for good.")
    page.text_of("#trash-status", "2 items in the trash.")
    names = [item["name"] for item in api(server, "GET", "trash", token=token_of(page))["items"]]
    assert sorted(names) == ["Also gone", "Gone"]

    page.click("#trash-empty")
    page.text_of("#confirm-text", "The 2 items in it will be deleted for good and cannot be restored.")
    page.click("#confirm-choices button.danger-fill")
    page.text_of("#trash-status", "The trash is empty.")
    page.gone("#trash-empty")
    assert page.focused() == "trash-back"
    assert api(server, "GET", "trash", token=token_of(page))["items"] == []
    page.assert_accessible("trash-empty")

    page.click("#trash-back")
    page.find("#search")
    assert page.focused() == "open-trash"
    assert card_names(page) == ["Keep"]
    assert page.script("return document.querySelector('li.item').closest('section').dataset.categoryId") == str(
        category["id"]
    )
    # Locking takes the trash's rows out of the page too.
    page.press(button_in(page, card_of(page, "Keep"), "Delete Keep"))
    page.click("#confirm-choices button.danger-fill")
    page.text_of("#notice", "Moved Keep to the trash.")
    page.click("#open-trash")
    page.text_of("#trash-status", "1 item in the trash.")
    page.click("#trash-back")
    page.click("#lock")
    page.find("#phrase")
    assert page.script("return document.querySelectorAll('#trash-list li').length") == 0
    assert page.console_errors() == []


def test_earlier_passwords_are_listed_masked_and_leave_the_page_with_the_dialog(browser, vault_server):
    page = browser
    server = vault_server()
    [item] = api(server, "PUT", "items", {"items": [{"name": "Mail", "password": "first pw"}]})["items"]
    for password in ("second pw", "third pw"):
        api(server, "POST", "items", {"items": [{"id": item["id"], "password": password}]})
    api(server, "PUT", "items", {"items": [{"name": "New", "password": "only pw"}]})
    sign_in(page, server)
    unlock(page)
    card = card_of(page, "Mail")
    page.press(button_in(page, card, "History of Mail"))
    page.text_of("#history-title", "Earlier passwords of Mail")
    page.text_of("#history-status", "2 earlier passwords, newest first.")
    listed = page.find("#history-list")
    assert [term.text.startswith("Replaced ") for term in listed.find_elements(page.by_css, "dt")] == [True, True]
    assert "pw" not in listed.text  # masked
    [newest, older] = listed.find_elements(page.by_css, "button[aria-label^='Show password of Mail, replaced ']")
    page.press(older)
    page.wait.until(lambda d: "first pw" in listed.text and "second pw" not in listed.text, "not shown")
    page.press(newest)
    page.wait.until(lambda d: "second pw" in listed.text, "newest not shown")
    page.assert_accessible("history-dialog")
    page.keys(ESCAPE)
    page.gone("#history-dialog")
    assert page.focused() == "History of Mail"
    page.wait.until(lambda d: page.script("return document.querySelector('#history-list').textContent") == "")

    page.press(button_in(page, card_of(page, "New"), "History of New"))
    page.text_of("#history-status", "No earlier passwords: they are kept from the first change on.")
    page.click("#history-dialog button[type=submit]")
    page.gone("#history-dialog")
    assert page.console_errors() == []


def test_search_notes_too_asks_the_server_and_typing_again_filters_the_page(browser, vault_server):
    page = browser
    server = vault_server()
    api(
        server,
        "PUT",
        "items",
        {
            "items": [
                {"name": "Mail", "blob": "recovery code 7421", "password": "p7421"},
                {"name": "Forum", "blob": "no code here"},
                {"name": "Bank 7421"},
            ]
        },
    )
    sign_in(page, server)
    unlock(page)
    card_of(page, "Mail")
    assert page.script("return document.getElementById('search-notes').hidden") is True
    page.type("#search", "7421\n")
    page.text_of("#search-status", "1 matching item")  # the page alone: names, not notes
    assert card_names(page) == ["Bank 7421"]
    page.assert_accessible("search-notes")
    page.click("#search-notes")
    page.text_of("#search-status", "2 items hold every word, notes included")
    assert sorted(card_names(page)) == ["Bank 7421", "Mail"]  # never by the password "p7421" alone
    page.gone("#search-notes")
    page.type("#search", "7421\n")  # typed again: the page's own filter again
    page.text_of("#search-status", "1 matching item")
    assert card_names(page) == ["Bank 7421"]
    assert page.console_errors() == []
