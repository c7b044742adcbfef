"""The smaller points of the page (issue 18, problem 11): errors that say what to do and mark their fields,
tooltips on cut addresses, long category names, the generator's strength in words, counts and titles."""

import re

from browser import DESKTOP, PHONE
from vaultpage import ESCAPE, PASSWORD, api, button_in, card_of, sign_in, unlock

LONG_NAME = "Accounts-of-the-household-and-of-the-grandparents-kept-here-together"


def described_by(page, selector):
    field = page.driver.find_element(page.by_css, selector)
    return field.get_attribute("aria-invalid"), (field.get_attribute("aria-describedby") or "").split()


def test_errors_say_what_to_do_and_mark_the_field_they_are_about(browser, vault_server):
    page = browser
    server = vault_server()
    [gone, kept] = api(server, "PUT", "categories", {"category_names": ["Old", "Kept"]})["categories"]
    page.open(server.url + "/")
    page.type("#username", "alice")
    page.type("#password", "wrong\n")
    page.text_of("#signin-error", "Wrong username or password.")
    assert described_by(page, "#password") == ("true", ["signin-error"])
    page.type("#password", PASSWORD + "\n")
    page.find("#phrase").send_keys("not it\n")
    page.text_of("#unlock-error", "Wrong passphrase. Check it and try again.")
    assert described_by(page, "#phrase") == ("true", ["unlock-error"])
    unlock(page)
    assert described_by(page, "#phrase") == (None, [])

    # The category is deleted elsewhere while the dialog is open: the server's refusal becomes advice,
    # and the category field is marked as the one to change.
    page.click("#add-item")
    page.type("#item-name", "Bank")
    page.choose("#item-category", "Old")
    api(server, "DELETE", "categories", {"ids": [gone["id"]], "cascade": False})
    page.click("#item-form button[type=submit]")
    page.text_of(
        "#item-error",
        "The category chosen no longer exists (deleted in another window?). Choose another category and save again.",
    )
    assert described_by(page, "#item-category") == ("true", ["item-error"])
    assert described_by(page, "#item-name") == (None, [])
    page.choose("#item-category", "Kept")
    page.click("#item-form button[type=submit]")
    page.gone("#item-dialog")
    assert described_by(page, "#item-category") == (None, [])

    # Renaming a category deleted elsewhere.
    page.click("button[aria-label='Rename category Kept']")
    api(server, "DELETE", "categories", {"ids": [kept["id"]], "cascade": False})
    page.type("#category-name", "Renamed\n")
    page.text_of(
        "#category-error",
        "This category no longer exists (deleted in another window?). Lock and unlock to see the vault as it is now.",
    )
    assert described_by(page, "#category-name") == ("true", ["category-error"])
    assert "The server refused" not in page.find("#category-dialog").text
    page.assert_accessible("category-error", schemes=("light",))
    assert page.console_errors(allowed_statuses=(400, 401)) == []


def test_cards_headings_generator_and_titles_speak_plainly(browser, vault_server):
    page = browser
    server = vault_server()
    [category] = api(server, "PUT", "categories", {"category_names": [LONG_NAME]})["categories"]
    address = "https://accounts.example.org/a/rather/long/path/to/the/sign/in/page?with=a&query=too"
    api(
        server,
        "PUT",
        "items",
        {
            "items": [
                {"name": "Bank", "url": address, "category_id": category["id"]},
                {"name": "Mail", "category_id": category["id"]},
                {"name": "Forum", "category_id": category["id"]},
            ]
        },
    )
    page.open(server.url + "/")
    page.find("#username")
    assert page.driver.title == "Sign in · oppmini vault"
    sign_in(page, server)
    assert page.driver.title == "Unlock · oppmini vault"
    unlock(page)
    assert page.driver.title == "Your vault · oppmini vault"

    # A cut address shows the whole of it on hover.
    card = card_of(page, "Bank")
    page.press(button_in(page, card, "More about Bank"))
    link = card.find_element(page.by_css, "a.item-url")
    assert link.get_attribute("title") == address
    page.driver.set_window_size(*PHONE)
    assert page.script("const a = arguments[0]; return a.scrollWidth > a.clientWidth", link)
    page.driver.set_window_size(*DESKTOP)

    # The count after a heading is read as "3 items", and follows the search.
    toggle = page.find("#groups .toggle")
    assert toggle.accessible_name == f"{LONG_NAME} 3 items"
    page.type("#search", "bank\n")
    page.text_of("#search-status", "1 matching item")
    assert toggle.accessible_name == f"{LONG_NAME} 1 of 3 items"
    page.type("#search", "\n")

    # A long category name wraps beside Rename and Delete, on a phone too.
    for width, height in ((1280, 800), (390, 844)):
        page.driver.set_window_size(width, height)
        # Rename and Delete sit right of the name, within its height, not on a line of their own.
        beside = page.script("""const head = document.querySelector('#groups .group-head');
            const name = head.querySelector('.toggle').getBoundingClientRect();
            return [...head.querySelectorAll('.rename, .danger')].map((e) => e.getBoundingClientRect())
              .map((r) => r.left >= name.right && r.top < name.bottom && r.bottom > name.top)""")
        assert beside == [True, True], width
    page.driver.set_window_size(1280, 800)

    # The generator's strength in words first.
    page.click("#add-item")
    page.type("#gen-length", "100")
    page.click("#gen-button")
    page.wait.until(lambda d: page.visible_text("#gen-entropy"), "no strength shown")
    assert re.fullmatch(r"Very strong: about \d+ bits of entropy\.", page.visible_text("#gen-entropy"))
    page.type("#gen-length", "8")
    page.click("#gen-button")
    page.wait.until(lambda d: not page.visible_text("#gen-entropy").startswith("Very"), "no new strength")
    assert re.fullmatch(r"(Fair|Weak, make it longer): about \d+ bits of entropy\.", page.visible_text("#gen-entropy"))
    page.keys(ESCAPE)
    page.click("#confirm-choices button.danger-fill")

    # Each view names itself in the tab's title.
    for view, title in (("trash", "Trash"), ("import", "Import"), ("export", "Export"), ("account", "Your account")):
        page.click("#account" if view == "account" else f"#open-{view}")
        page.wait.until(
            lambda d, title=title: d.title == f"{title} · oppmini vault", f"title of {view}: {page.driver.title}"
        )
        page.press(page.find(f"#{view}-view .toolbar button"))  # Back
        page.wait.until(lambda d: d.title == "Your vault · oppmini vault", f"title back from {view}")
    assert page.console_errors() == []


def test_the_notice_region_is_in_the_page_before_its_text(browser, vault_server):
    page = browser
    server = vault_server()
    page.open(server.url + "/")
    page.find("#username")
    # A live region a screen reader follows must be there, shown, before anything is said in it.
    state = "const n = document.querySelector('#notice'); return [n.hidden, getComputedStyle(n).display, n.textContent]"
    assert page.script(state) == [False, "block", ""]
    sign_in(page, server)
    unlock(page)
    page.click("#lock")
    page.text_of("#notice", "Locked. Enter your passphrase to continue.")
    assert page.script(state)[:2] == [False, "block"]
