"""The page's Files dialog (extensions.md section 8): upload by button and by drop, download, delete
(asked first), the quota; current axe-core, and by keyboard alone."""

from browser import PHONE
from vaultpage import ESCAPE, api, button_in, card_of, focus_on, sign_in, signed_in_with_a_deed, tab_to, unlock

ENTER = "\ue007"


def test_files_are_added_by_button_and_by_drop_listed_and_deleted_after_asking(browser, vault_server, tmp_path):
    page = browser
    server = vault_server()
    [item] = api(server, "PUT", "items", {"items": [{"name": "Passport", "password": "pw"}]})["items"]
    sign_in(page, server)
    unlock(page)
    page.press(button_in(page, card_of(page, "Passport"), "Files of Passport"))
    page.text_of("#files-title", "Files of Passport")
    page.text_of("#files-status", "No files yet. Add one, or drop files here.")

    scan = tmp_path / "passport scan.pdf"
    scan.write_bytes(b"%PDF-1.4 a scan" * 5000)
    page.find("#files-input").send_keys(str(scan))
    page.text_of("#files-status", "1 file.")
    page.script(
        "const files = new DataTransfer();"
        "files.items.add(new File(['the PIN is in the safe'], 'note.txt', {type: 'text/plain'}));"
        "document.getElementById('files-dialog').dispatchEvent("
        "  new DragEvent('drop', {dataTransfer: files, bubbles: true, cancelable: true}));"
    )
    page.text_of("#files-status", "2 files.")
    listed = page.find("#files-list").text
    assert "passport scan.pdf" in listed and "73.2 KB" in listed and "note.txt" in listed
    page.wait.until(lambda d: page.find("#files-quota").text.startswith("Your files take 73.3 KB of "), "no quota")
    stored = api(server, "GET", "items")["items"][0]["attachments"]
    assert [(file["name"], file["size"], file["content_type"]) for file in stored] == [
        ("passport scan.pdf", 75000, "application/pdf"),
        ("note.txt", 22, "text/plain"),
    ]
    page.assert_accessible("files-dialog")

    # Deleting asks first; Cancel keeps the file.
    page.press(page.find("#files-list button[aria-label='Delete note.txt']"))
    page.text_of("#confirm-title", "Delete note.txt?")
    page.click("#confirm-choices button:not(.danger-fill)")
    page.text_of("#files-status", "2 files.")
    page.press(page.find("#files-list button[aria-label='Delete note.txt']"))
    page.click("#confirm-choices button.danger-fill")
    page.text_of("#files-status", "1 file.")
    assert [file["name"] for file in api(server, "GET", "items")["items"][0]["attachments"]] == ["passport scan.pdf"]
    page.keys(ESCAPE)
    page.gone("#files-dialog")
    # The button says how many files the item has, in its name too (the name holds the words shown).
    assert page.focused() == "Files (1) of Passport"
    assert button_in(page, card_of(page, "Passport"), "Files (1) of Passport").text == "Files (1)"
    # The Account view says what the files take.
    page.click("#account")
    page.text_of("#files-used", "Your attached files take 73.2 KB of your 500.0 MB; one file may hold up to 25.0 MB.")
    page.assert_accessible("account-files", sizes=(PHONE,), schemes=("dark",))
    assert page.console_errors() == []


def test_the_files_dialog_by_keyboard_alone(browser, vault_server):
    page = browser
    server = vault_server()
    signed_in_with_a_deed(page, server, b"deed")
    page.script("document.getElementById('search').focus()")
    tab_to(page, "More about Deeds")
    page.keys(ENTER)
    tab_to(page, "Files (1) of Deeds")
    page.keys(ENTER)
    page.text_of("#files-status", "1 file.")
    assert page.focused() == "files-add"
    tab_to(page, "Delete deed.pdf", backwards=True)
    page.keys(ENTER)
    page.text_of("#confirm-title", "Delete deed.pdf?")
    tab_to(page, "Delete file", backwards=True)
    page.keys(ENTER)
    page.text_of("#files-status", "No files yet. Add one, or drop files here.")
    page.keys(ESCAPE)
    page.gone("#files-dialog")
    # The dialog's close event, which puts the focus back, comes a task after the dialog is hidden.
    focus_on(page, "Files of Deeds")
    assert page.console_errors() == []
