"""Sharing in bulk from the web page (issue 30, point 4): items selected by keyboard alone and moved in one request,
what is there already left out, a refused move that moves nothing and says which item and why, an import into a
collection that leaves out a duplicate, and a second collection of a name one has already."""

import json

from browser import DESKTOP, PHONE
from vaultpage import SHIFT, TAB, api, card_of, focus_on, sign_in, sign_up, tab_to, unlock

SPACE, DOWN, HOME, ENTER = "\ue00d", "\ue015", "\ue011", "\ue007"


def place_of(server, username="alice"):
    """{item name: its collection id, None for personal} as the server holds them for `username`."""
    return {item["name"]: item["collection_id"] for item in api(server, "GET", "fetchall", username=username)["items"]}


def new_collection(server, name, username="alice"):
    return api(server, "PUT", "collections", {"names": [name]}, username=username)["collections"][0]["id"]


def add_items(server, *items, username="alice"):
    return [item["id"] for item in api(server, "PUT", "items", {"items": list(items)}, username=username)["items"]]


def checked_names(page):
    return page.script(
        "return [...document.querySelectorAll('li.item input.select:checked')]"
        ".map((box) => box.closest('li.item').querySelector('h3').textContent)"
    )


def test_items_are_selected_and_moved_by_keyboard_alone_what_is_there_already_left_out(browser, vault_server):
    page = browser
    server = vault_server()
    family = new_collection(server, "Family")
    add_items(
        server, *({"name": name} for name in ("Alpha", "Bravo", "Charlie")), {"name": "Echo", "collection_id": family}
    )
    sign_in(page, server)
    unlock(page)
    assert "Shift+Space" in page.find("#keys-help").text
    tab_to(page, "Select Alpha")
    page.keys(SPACE)
    page.text_of("#selection-status", "1 selected")
    # From a box the arrow keys go to the next card's box; Shift+Space selects every card from the last one chosen.
    page.keys(DOWN, DOWN)
    assert page.focused() == "Select Charlie"
    page.keys(SHIFT, SPACE)
    page.text_of("#selection-status", "3 selected")
    page.keys(HOME)  # the first card's box: Echo's, Family's group coming before "No category"
    assert page.focused() == "Select Echo"
    page.keys(SPACE)
    page.text_of("#selection-status", "4 selected")
    assert checked_names(page) == ["Echo", "Alpha", "Bravo", "Charlie"]
    # On a phone the bar takes a sixth of the screen at most, and the last card scrolls clear above it.
    page.driver.set_window_size(*PHONE)
    try:
        page.script("scrollTo(0, document.body.scrollHeight)")
        bar, last = page.find("#selection-bar"), card_of(page, "Charlie")
        height = page.script("return innerHeight")
        print(f"\nselection bar on a phone: {bar.rect['height']:.0f} of {height} px")
        assert bar.rect["height"] <= height / 6, (bar.rect, height)
        assert last.rect["y"] + last.rect["height"] <= bar.rect["y"], (last.rect, bar.rect)
    finally:
        page.driver.set_window_size(*DESKTOP)

    tab_to(page, "selection-move")
    page.keys(ENTER)
    focus_on(page, "move-to-" + str(family))
    page.keys(ENTER)  # Enter on the choice moves
    page.text_of("#notice", "Moved 3 items to Family. Echo was there already.")
    assert place_of(server) == {"Alpha": family, "Bravo": family, "Charlie": family, "Echo": family}
    page.gone("#selection-bar")
    assert checked_names(page) == []
    # The keyboard goes on from the first item moved, in its new place.
    focus_on(page, "Select Alpha")
    group = "return arguments[0].closest('section').dataset.collectionId"
    assert page.script(group, card_of(page, "Alpha")) == str(family)

    # Back to the personal vault, one item by Space and the bar's other button.
    page.keys(SPACE)
    tab_to(page, "selection-personal")
    page.keys(ENTER)
    page.text_of("#notice", "Moved 1 item to your personal vault.")
    assert place_of(server)["Alpha"] is None
    assert page.console_errors() == []


def test_a_move_refused_for_one_item_moves_nothing_and_says_which_and_why(browser, vault_server):
    page = browser
    server = vault_server()
    sign_up(server, "bob")
    family = new_collection(server, "Family")
    bobs = new_collection(server, "Bob's", username="bob")
    alice_reads = {"members": [{"username": "alice", "role": "read"}]}
    api(server, "PUT", f"collections/{bobs}/members", alice_reads, username="bob")
    pending = api(server, "GET", "invitations")["invitations"]
    api(server, "POST", "invitations", {"accept": [row["id"] for row in pending]})
    add_items(server, {"name": "Tv", "collection_id": bobs}, username="bob")
    alpha, _ = add_items(server, {"name": "Alpha", "password": "one"}, {"name": "Bravo"})
    sign_in(page, server)
    unlock(page)

    # Tv is bob's, alice only reads it: the server refuses the whole request and the page says which item and why.
    page.press(card_of(page, "Alpha").find_element(page.by_css, "input.select"))
    page.press(card_of(page, "Tv").find_element(page.by_css, "input.select"))
    page.click("#selection-move")
    page.click(f"#move-to-{family}")
    page.click("#move-form button[type=submit]")
    page.text_of(
        "#selection-error",
        "Nothing moved: you may only read Bob's, so Tv cannot leave it. Take it out of the selection, "
        "or ask a manager of Bob's for the Write role.",
    )
    assert place_of(server) == {"Alpha": None, "Bravo": None, "Tv": bobs}
    page.text_of("#selection-status", "2 selected")  # the selection is kept, to be changed

    # Alpha changed in another window since the page showed it: nothing moves, the page catches up, again works.
    page.press(card_of(page, "Tv").find_element(page.by_css, "input.select"))
    api(server, "POST", "items", {"items": [{"id": alpha, "password": "two"}]})
    page.click("#selection-move")
    page.click(f"#move-to-{family}")
    page.click("#move-form button[type=submit]")
    page.text_of(
        "#selection-error",
        "Nothing moved: Alpha changed since the page showed it (saved in another window or by another member). "
        "The list shows it as it is now: check it and move again.",
    )
    assert place_of(server)["Alpha"] is None
    page.click("#selection-move")
    page.click(f"#move-to-{family}")
    page.click("#move-form button[type=submit]")
    page.text_of("#notice", "Moved 1 item to Family.")
    assert place_of(server)["Alpha"] == family
    assert page.console_errors(allowed_statuses=(403, 409)) == []


def test_an_import_into_a_collection_leaves_out_an_entry_it_holds_already(browser, vault_server, tmp_path):
    page = browser
    server = vault_server()
    family = new_collection(server, "Family")
    wifi = {"name": "Wifi", "url": "https://a.example", "username": "u", "password": "pw", "collection_id": family}
    add_items(server, wifi)
    entries = [
        {"type": 1, "name": name, "login": {"username": "u", "password": "pw", "uris": [{"uri": "https://a.example"}]}}
        for name in ("Wifi", "Tv")
    ]
    path = tmp_path / "bitwarden.json"
    path.write_text(json.dumps({"encrypted": False, "folders": [], "items": entries}), encoding="utf-8")
    sign_in(page, server)
    unlock(page)
    page.click("#open-import")
    options = page.script("return [...document.querySelectorAll('#import-into option')].map((o) => o.textContent)")
    assert options == ["Personal vault", "Family"]
    page.choose("#import-into", "Family")
    page.find("#import-file").send_keys(str(path))
    page.click("#import-check")
    page.find("#import-figures")
    assert "Duplicates left out\n1" in page.find("#import-figures").text
    page.click("#import-run")
    page.text_of(
        "#notice",
        "Imported 1 item into Family. Delete the other program's export file now: it is not encrypted.",
    )
    assert place_of(server) == {"Wifi": family, "Tv": family}
    assert page.console_errors() == []


def test_a_second_collection_of_a_name_one_has_is_asked_about_and_what_was_typed_is_kept(browser, vault_server):
    page = browser
    server = vault_server()
    new_collection(server, "Family")
    sign_in(page, server)
    unlock(page)
    page.click("#open-shared")
    page.click("#shared-new")
    page.type("#collection-name", "family ")
    page.click("#collection-form button[type=submit]")
    page.text_of("#confirm-title", "You already have a collection named Family: create another?")
    page.assert_accessible("collection-same-name")
    page.keys(ENTER)  # the focus is on Cancel: back to the name, as typed
    page.gone("#confirm-dialog")
    focus_on(page, "collection-name")
    assert page.find("#collection-name").get_attribute("value") == "family "
    assert len(api(server, "GET", "collections")["collections"]) == 1
    page.keys(ENTER)
    page.text_of("#confirm-title", "You already have a collection named Family: create another?")
    page.keys(SHIFT, TAB, ENTER)  # Create another
    page.find("#shared-list [data-collection-id] + [data-collection-id]")
    assert sorted(c["name"] for c in api(server, "GET", "collections")["collections"]) == ["Family", "family "]
    # Renaming one to the other's name asks too.
    page.text_of("#notice", "Saved collection family .")
    page.press(page.find("#shared-list [aria-label='Rename collection family ']"))
    page.type("#collection-name", "FAMILY")
    page.click("#collection-form button[type=submit]")
    page.text_of("#confirm-title", "You already have a collection named Family: rename this one to FAMILY too?")
    assert page.console_errors() == []
