"""The item editor's Files section (issue 27 point 5): a new item's files kept until Save and uploaded
then, one that fails said by name and kept to try again; an item's files downloaded and deleted (asked
first) from its editor; unsaved picked files asked about before closing; current axe-core, and by
keyboard alone."""

from browser import PHONE
from vaultpage import ESCAPE, api, card_of, sign_in, tab_to, unlock

ENTER = "\ue007"
QUOTA = 1000  # bytes: the two files of 600 bytes picked below do not both fit


def drop(page, name, text):
    """`text` as a file called `name` dropped on the item dialog, as a person drags one from their desktop."""
    page.script(
        "const files = new DataTransfer();"
        "files.items.add(new File([arguments[1]], arguments[0], {type: 'text/plain'}));"
        "document.getElementById('item-dialog').dispatchEvent("
        "  new DragEvent('drop', {dataTransfer: files, bubbles: true, cancelable: true}));",
        name,
        text,
    )


def stored(server):
    """{item name: [file names]} as the server keeps them."""
    items = api(server, "GET", "items")["items"]
    return {item["name"]: [file["name"] for file in item["attachments"]] for item in items}


def test_a_new_items_files_go_up_on_save_and_one_that_fails_stays_listed_to_try_again(browser, vault_server, tmp_path):
    page = browser
    server = vault_server(attachment_quota_bytes=str(QUOTA))
    sign_in(page, server)
    unlock(page)
    page.click("#add-item")
    page.type("#item-name", "Passport")
    page.text_of("#item-files-status", "No files. Add one, or drop files on this dialog.")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF" + bytes(596))
    page.find("#item-files-input").send_keys(str(scan))
    drop(page, "visa.txt", "v" * 600)
    page.text_of("#item-files-status", "Uploaded when you save: 2 files.")
    assert "Uploaded when you save" in page.find("#item-files-list").text
    page.assert_accessible("item-dialog-files")

    # Picked files are work not to lose: closing asks first.
    page.keys(ESCAPE)
    page.text_of("#confirm-title", "Discard your changes?")
    assert page.find("#confirm-text").text.endswith("The 2 files you picked are not uploaded.")
    page.click("#confirm-choices button:not(.danger-fill)")

    # Save: the item is created, the first file goes up, the second passes the quota and stays.
    page.click("#item-form button[type=submit]")
    page.wait.until(lambda d: "visa.txt: " in page.find("#item-error").text, "no word of the failed file")
    error = page.find("#item-error").text
    assert error.startswith("Saved Passport. This file was not uploaded, and stays listed under Files: visa.txt: ")
    assert "quota" in error
    page.text_of("#item-title", "Edit Passport")
    page.text_of("#item-files-status", "Saved: 1 file. Not uploaded: 1 file.")
    assert stored(server) == {"Passport": ["scan.pdf"]}
    assert "Not uploaded: " in page.find("#item-files-list").text
    page.assert_accessible("item-dialog-files-failed", sizes=(PHONE,), schemes=("dark",))

    # The saved file comes back as it went; deleting it asks first, and makes room for the other.
    page.script(
        "window.saved = null; const blobURL = URL.createObjectURL;"
        "URL.createObjectURL = (blob) => { window.savedBlob = blob; return blobURL(blob); };"
        "HTMLAnchorElement.prototype.click = function () { window.saved = this.download; };"
    )
    page.press(page.find("#item-files-list button[aria-label='Download scan.pdf']"))
    page.wait.until(lambda d: page.script("return window.saved !== null"), "no download")
    back = page.driver.execute_async_script(
        "const done = arguments[0]; window.savedBlob.arrayBuffer().then((b) => new Uint8Array(b))"
        ".then((b) => done([window.saved, b.length, String.fromCharCode(...b.slice(0, 4))]), (e) => done(String(e)));"
    )
    assert back == ["scan.pdf", 600, "%PDF"]
    page.press(page.find("#item-files-list button[aria-label='Delete scan.pdf']"))
    page.text_of("#confirm-title", "Delete scan.pdf?")
    page.click("#confirm-choices button.danger-fill")
    page.text_of("#item-files-status", "Not uploaded: 1 file.")
    page.press(page.find("#item-files-list button[aria-label='Try again to upload visa.txt']"))
    page.text_of("#item-files-status", "Saved: 1 file.")
    assert stored(server) == {"Passport": ["visa.txt"]}

    # Nothing is kept now: Save closes the editor, and no second item was made.
    page.click("#item-form button[type=submit]")
    page.gone("#item-dialog")
    assert stored(server) == {"Passport": ["visa.txt"]}
    assert card_of(page, "Passport").find_element(page.by_css, ".item-actions button[aria-label^='Files']")
    # The browser's own line for the refused upload, and nothing else.
    (refused,) = page.console_errors()
    assert "/attachments?name=visa.txt - Failed to load resource" in refused and "400" in refused


def test_an_items_files_in_its_editor_by_keyboard_alone(browser, vault_server, tmp_path):
    page = browser
    server = vault_server()
    api(server, "PUT", "items", {"items": [{"name": "Deeds"}]})
    sign_in(page, server)
    unlock(page)
    # A file added in the editor of a saved item goes up at once.
    page.script("document.getElementById('search').focus()")
    tab_to(page, "More about Deeds")
    page.keys(ENTER)
    tab_to(page, "Edit Deeds")
    page.keys(ENTER)
    page.text_of("#item-title", "Edit Deeds")
    deed = tmp_path / "deed.pdf"
    deed.write_bytes(b"deed")
    page.find("#item-files-input").send_keys(str(deed))
    page.text_of("#item-files-status", "Saved: 1 file.")
    assert stored(server) == {"Deeds": ["deed.pdf"]}
    # Save with nothing else changed: the card still counts the file.
    page.script("document.getElementById('item-name').focus()")
    tab_to(page, "Save")
    page.keys(ENTER)
    page.gone("#item-dialog")
    assert card_of(page, "Deeds").find_element(page.by_css, "button[aria-label='Files (1) of Deeds']")

    page.script("document.getElementById('search').focus()")
    tab_to(page, "Edit Deeds")
    page.keys(ENTER)
    page.text_of("#item-files-status", "Saved: 1 file.")
    tab_to(page, "Delete deed.pdf")
    page.keys(ENTER)
    page.text_of("#confirm-title", "Delete deed.pdf?")
    tab_to(page, "Delete file", backwards=True)
    page.keys(ENTER)
    page.text_of("#item-files-status", "No files. Add one, or drop files on this dialog.")
    assert page.focused() == "item-files-add"
    assert stored(server) == {"Deeds": []}
    # Nothing typed, nothing kept: Escape closes at once, and the keyboard is back on the card's Edit.
    page.keys(ESCAPE)
    page.gone("#item-dialog")
    page.wait.until(lambda d: page.focused() == "Edit Deeds", "the keyboard is not back on the card's Edit")
    assert page.console_errors() == []
