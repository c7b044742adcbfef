"""The web page's Import and Export views (issue 13): a dry run's figures first, then the import; the export's warning
and the file it hands the browser."""

import base64
import csv
import io
import json
import re

import pytest

from browser import DESKTOP, PHONE
from importers.conftest import SAMPLES
from oppmini.transfer.importers import AUTO, NAMES
from vaultpage import PASSWORD, TAB, api, card_of, fetchall, focus_on, sign_in, signed_in_with_a_deed, unlock

# The Bitwarden export of the corpus: 12 logins and 2 secure notes in 6 folders.
SAMPLE = SAMPLES / "bitwarden_pass-import.json" if SAMPLES else None


def figures(page):
    """The dry run's figures as the page shows them, label: value."""
    table = page.find("#import-figures")
    labels = [node.text for node in table.find_elements(page.by_css, "dt")]
    values = [node.text for node in table.find_elements(page.by_css, "dd")]
    return dict(zip(labels, values, strict=True))


def check(page, path):
    page.find("#import-file").send_keys(str(path))
    page.click("#import-check")
    page.find("#import-figures")


def visible_cards(page):
    return [card for card in page.driver.find_elements(page.by_css, "li.item") if card.is_displayed()]


def test_a_file_is_checked_by_a_dry_run_then_imported_and_shown_in_the_vault(browser, vault_server):
    if SAMPLE is None:
        pytest.skip("the import corpus is not beside the project (../shared/imports)")
    page = browser
    server = vault_server()
    sign_in(page, server)
    unlock(page)
    page.click("#open-import")
    page.text_of("#import-view h1", "Import")
    options = page.script("return [...document.querySelectorAll('#import-format option')].map(o => o.value)")
    assert options == [AUTO, *NAMES]  # the page's list is the server's
    page.assert_accessible("import")

    check(page, SAMPLE)
    assert figures(page) == {
        "Format": "bitwarden-json",
        "Items": "14",
        "New categories": "6",
        "Duplicates left out": "0",
        "Entries of kinds oppmini does not hold, left out": "0",
        "Attached files": "0",
    }
    token = page.script("return sessionStorage.getItem('opp.token')")
    assert fetchall(server, token)["items"] == []  # a dry run writes nothing
    assert page.focused() == "import-run"
    page.assert_accessible("import-checked")

    page.click("#import-run")
    page.find("#vault-view")
    assert page.focused() == "open-import"
    page.text_of(
        "#notice",
        "Imported 14 items (6 new categories). Delete the other program's export file now: it is not encrypted.",
    )
    card_of(page, "mastodon.social")
    card_of(page, "note")
    assert len(visible_cards(page)) == 14
    stored = fetchall(server, token)
    assert len(stored["items"]) == 14 and len(stored["categories"]) == 6

    # The same file again: every entry is a duplicate, left out unless asked to keep them.
    page.click("#open-import")
    assert page.visible_text("#import-figures") is None  # the last file's figures are gone
    check(page, SAMPLE)
    assert figures(page)["Items"] == "0" and figures(page)["Duplicates left out"] == "14"
    page.text_of("#import-status", "The file holds no item to import.")
    page.gone("#import-run")
    page.click("#import-duplicates-keep")
    page.gone("#import-figures")  # a changed option makes the figures stale
    page.click("#import-check")
    page.wait.until(
        lambda d: page.visible_text("#import-figures") and figures(page)["Items"] == "14",
        "keeping duplicates did not count them",
    )
    assert figures(page)["Duplicates left out"] == "0"
    assert page.console_errors() == []


def test_warnings_name_entries_by_position_and_a_refused_file_says_why(browser, vault_server, tmp_path):
    page = browser
    server = vault_server()
    secret = "hunter2-never-shown"
    mixed = tmp_path / "mixed.json"
    mixed.write_text(
        json.dumps(
            {
                "encrypted": False,
                "folders": [],
                "items": [
                    {"type": 1, "name": "Mail", "login": {"username": "me", "password": secret, "uris": []}},
                    # A card with a mistyped digit: imported, with a warning that names the entry, not the number.
                    {"type": 3, "name": "Visa", "card": {"number": "4111111111111112"}},
                    {"type": 9, "name": "Odd"},
                ],
            }
        )
    )
    junk = tmp_path / "junk.txt"
    junk.write_text("not an export at all\n")
    sign_in(page, server)
    unlock(page)
    page.click("#open-import")
    page.click("#import-check")
    page.text_of("#import-error", "Choose a file first.")
    # A slow line: while the file travels, a bar runs and the buttons wait.
    page.driver.execute_cdp_cmd("Network.enable", {})
    page.driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 1500, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    page.find("#import-file").send_keys(str(mixed))
    page.click("#import-check")
    page.find("#import-progress")
    page.text_of("#import-status", "Checking mixed.json (1 KB)…")
    assert page.find("#import-check").get_attribute("disabled") is not None
    page.find("#import-figures")
    page.gone("#import-progress")
    page.driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    assert figures(page)["Items"] == "2"
    assert figures(page)["Entries of kinds oppmini does not hold, left out"] == "1"
    page.text_of(
        "#import-warnings",
        "Entry 2: the card number fails the Luhn check: look for a mistyped digit\n"
        "Entry 3: an unknown kind of item: not imported",
    )
    assert secret not in page.find("#import-view").text
    assert "4111111111111112" not in page.find("#import-view").text

    page.find("#import-file").send_keys(str(junk))
    page.gone("#import-figures")
    page.click("#import-check")
    page.text_of(
        "#import-error",
        "The file is in none of the formats oppmini recognises. Choose its format under "
        "Format, or export it again from the program it came from.",
    )
    page.gone("#import-run")
    assert page.console_errors(allowed_statuses=(400,)) == []


# Every Blob the page turns into a URL, and every <a download> it clicks, kept for the test to read.
CATCH_DOWNLOADS = """
window.caught = [];
const make = URL.createObjectURL;
URL.createObjectURL = (blob) => { window.caught.push({blob}); return make.call(URL, blob); };
HTMLAnchorElement.prototype.click = function () { window.caught.at(-1).name = this.download; };
"""
ARROW_DOWN, ARROW_UP, ENTER = "\ue015", "\ue013", "\ue007"
READ_DOWNLOAD = """const done = arguments[arguments.length - 1];
const last = window.caught.at(-1);
last.blob.text().then((text) => done({name: last.name, text}));"""


def download(page, label):
    page.choose("#export-format", label)
    count = page.script("return window.caught.length")
    page.click("#export-run")
    page.wait.until(
        lambda d: (
            page.script("return window.caught.length") > count
            and page.script("return window.caught.at(-1).name !== undefined")
        ),
        "no download",
    )
    focus_on(page, "export-run")  # still on the button, not dropped while it was busy
    return page.driver.execute_async_script(READ_DOWNLOAD)


def test_export_warns_that_the_file_is_not_encrypted_and_downloads_it(browser, vault_server):
    page = browser
    server = vault_server()
    api(server, "PUT", "items", {"items": [{"name": "Mail", "username": "me", "password": "pw-in-clear"}]})
    sign_in(page, server)
    unlock(page)
    page.click("#open-export")
    warning = page.find("#export-warning").text
    assert warning.startswith("The export is NOT encrypted: every password")
    assert "Delete the file as soon as it has been imported where it is going." in warning
    page.assert_accessible("export")
    page.script(CATCH_DOWNLOADS)

    native = download(page, "oppmini JSON")
    assert re.fullmatch(r"oppmini-export-\d{8}\.json", native["name"]), native["name"]
    [item] = json.loads(native["text"])["items"]
    assert (item["name"], item["username"], item["password"]) == ("Mail", "me", "pw-in-clear")
    page.text_of(
        "#notice",
        f"Saved {native['name']}. It is not encrypted: delete it once it has been imported where it is going.",
    )

    table = download(page, "Bitwarden CSV")
    assert table["name"].endswith(".csv")
    [row] = csv.DictReader(io.StringIO(table["text"]))
    assert (row["name"], row["login_username"], row["login_password"]) == ("Mail", "me", "pw-in-clear")
    assert page.script("return window.caught.length") == 2

    page.click("#export-view button")  # Back
    page.find("#vault-view")
    assert page.focused() == "open-export"
    assert PASSWORD not in page.session_storage()
    assert page.console_errors() == []


def test_export_adds_the_shared_collections_items_only_when_asked(browser, vault_server):
    page = browser
    server = vault_server()
    api(server, "PUT", "items", {"items": [{"name": "Mail", "password": "mine"}]})
    [family] = api(server, "PUT", "collections", {"names": ["Family"]})["collections"]
    api(server, "PUT", "items", {"items": [{"name": "Wi-Fi", "password": "ours", "collection_id": family["id"]}]})
    sign_in(page, server)
    unlock(page)
    page.click("#open-export")
    page.script(CATCH_DOWNLOADS)
    label = "oppmini JSON"
    personal = json.loads(download(page, label)["text"])
    assert [item["name"] for item in personal["items"]] == ["Mail"]
    page.click("#export-shared")
    both = json.loads(download(page, label)["text"])
    assert sorted(item["name"] for item in both["items"]) == ["Mail", "Wi-Fi"]
    assert [collection["name"] for collection in both["collections"]] == ["Family"]
    page.assert_accessible("export-shared")
    # On a phone the choice's words wrap: the view never scrolls sideways.
    page.driver.set_window_size(*PHONE)
    assert page.script("const html = document.documentElement; return html.scrollWidth <= html.clientWidth")
    assert page.console_errors() == []


def test_export_adds_the_files_only_when_asked_and_only_to_oppmini_json(browser, vault_server):
    page = browser
    server = vault_server()
    signed_in_with_a_deed(page, server, b"%PDF deed")
    page.click("#open-export")
    page.script(CATCH_DOWNLOADS)
    assert "attachments" not in json.loads(download(page, "oppmini JSON")["text"])["items"][0]
    page.click("#export-files")
    page.assert_accessible("export-files")
    [written] = json.loads(download(page, "oppmini JSON")["text"])["items"][0]["attachments"]
    data = base64.b64encode(b"%PDF deed").decode()
    assert written == {"name": "deed.pdf", "content_type": "application/pdf", "data": data}
    # Another format holds no files: the choice is not offered there, and is kept for when oppmini JSON is back.
    page.choose("#export-format", "Bitwarden JSON")
    assert page.script("return document.getElementById('export-files-choice').hidden")
    assert "attachments" not in download(page, "Bitwarden JSON")["text"]
    page.choose("#export-format", "oppmini JSON")
    assert page.find("#export-files").is_selected()
    assert page.console_errors() == []


def test_a_csv_that_would_change_items_names_them_first_and_lets_the_person_choose_by_keyboard(browser, vault_server):
    page = browser
    server = vault_server()
    api(
        server,
        "PUT",
        "items",
        {
            "items": [
                {"name": "Bank", "url": "https://bank.example/?a=1,2", "password": "b1"},
                {"name": "=cmd", "password": "c2"},
                {"name": "Plain", "password": "p3"},
            ]
        },
    )
    sign_in(page, server)
    unlock(page)
    page.click("#open-export")
    page.script(CATCH_DOWNLOADS)
    assert page.focused() == "export-format"
    assert "not for a spreadsheet" in page.find("#export-spreadsheet").text
    # By keyboard alone: Bitwarden CSV (the third format), Tab past the collections' box to Download, Enter.
    page.keys(ARROW_DOWN, ARROW_DOWN)
    assert page.script("return document.getElementById('export-format').value") == "bitwarden-csv"
    page.keys(TAB, TAB, ENTER)
    page.find("#export-changes")
    assert page.find("#export-changes h2").text == "Bitwarden CSV changes 2 items"
    assert [line.text for line in page.driver.find_elements(page.by_css, "#export-changes li")] == [
        "Bank: its URL holds a comma: read back as several URLs",
        '=cmd: its name starts with "=": written with a \' in front, so that a spreadsheet shows it rather than '
        "running it",
    ]
    assert "Bitwarden JSON or oppmini JSON" in page.find("#export-changes").text
    assert page.script("return window.caught.length") == 0  # nothing downloaded before the person chooses
    assert page.focused() == "export-other"
    page.assert_accessible("export-changes")
    # On a phone the notice's words and buttons wrap: the view never scrolls sideways.
    page.driver.set_window_size(*PHONE)
    assert page.script("const html = document.documentElement; return html.scrollWidth <= html.clientWidth")
    page.driver.set_window_size(*DESKTOP)

    # Another format: the notice goes, the focus is back on the formats; Bitwarden JSON downloads at once.
    page.keys(ENTER)
    page.gone("#export-changes")
    assert page.focused() == "export-format"
    page.keys(ARROW_UP)
    page.keys(TAB, TAB, ENTER)
    page.wait.until(lambda d: page.script("return window.caught.length") == 1, "no download")
    assert page.script("return window.caught[0].name").endswith(".json")

    # The CSV again, and downloaded anyway.
    page.find("#export-format").send_keys(ARROW_DOWN)
    page.keys(TAB, TAB, ENTER)
    page.find("#export-changes")
    page.keys(TAB, ENTER)
    page.wait.until(lambda d: page.script("return window.caught.length") == 2, "no download")
    saved = page.driver.execute_async_script(READ_DOWNLOAD)
    assert saved["name"].endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(saved["text"])))
    assert [row["name"] for row in rows] == ["Bank", "'=cmd", "Plain"]
    page.gone("#export-changes")
    assert page.focused() == "export-run"
    assert page.console_errors() == []
