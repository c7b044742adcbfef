"""The web page for everyone: axe-core on every screen and dialog, at both sizes, light and dark."""

from vaultpage import ESCAPE, api, card_of, sign_in, unlock

SAMPLE = [
    {
        "name": "Mail",
        "url": "https://mail.example.org/a/rather/long/path/to/the/sign/in/page",
        "username": "alice@example.org",
        "password": "s3cret!",
        "blob": "Recovery codes in the drawer",
    },
    {"name": "Bank", "username": "alice", "password": "1234", "account": "DE00 1234"},
    {"name": "Library", "url": "javascript:alert(1)", "password": "books"},
]


def test_every_screen_and_dialog_passes_axe(browser, vault_server):
    page = browser
    server = vault_server()
    [category] = api(server, "PUT", "categories", {"category_names": ["Email and a rather long category name"]})[
        "categories"
    ]
    api(server, "PUT", "items", {"items": [{**SAMPLE[0], "category_id": category["id"]}, *SAMPLE[1:]]})
    page.open(server.url + "/")
    page.find("#username")
    page.assert_accessible("signin")
    page.type("#username", "alice")
    page.type("#password", "wrong\n")
    page.find("#signin-error")
    page.assert_accessible("signin-error")
    sign_in(page, server)
    page.assert_accessible("unlock")
    unlock(page)
    card_of(page, "Mail")
    page.assert_accessible("vault")
    page.click("#add-item")
    page.type("#item-name", "New")
    page.click("#gen-button")
    page.wait.until(lambda d: page.find("#item-password").get_attribute("value"), "no password generated")
    page.assert_accessible("item-dialog")
    page.keys(ESCAPE)
    page.find("#confirm-dialog")
    page.assert_accessible("discard-dialog")
    page.click("#confirm-choices button.danger-fill")
    page.gone("#item-dialog")
    page.click("#add-category")
    page.assert_accessible("category-dialog")
    page.keys(ESCAPE)
    page.click("button[aria-label='Delete category Email and a rather long category name']")
    page.assert_accessible("delete-category-dialog")
    page.keys(ESCAPE)
    page.type("#search", "zzz")
    page.text_of("#search-status", "No items match “zzz”.")
    page.assert_accessible("search-empty")
