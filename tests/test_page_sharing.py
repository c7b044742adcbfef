"""The web page's Shared view (issue 14, extensions §3) in two Chromium sessions, one a person: alice invites bob
to a collection, he accepts by keyboard alone, his role decides what his page offers, and once removed his page no
longer shows the items."""

import sqlite3
from contextlib import closing

from browser import DESKTOP
from vaultpage import ESCAPE, PASSWORD, PHRASE, TAB, api, button_in, card_of, sign_in, sign_up, unlock


def collections(server, username="alice"):
    return api(server, "GET", "collections", username=username)["collections"]


def item_named(server, name, username="alice"):
    return next(item for item in api(server, "GET", "fetchall", username=username)["items"] if item["name"] == name)


def section(page, collection_id):
    return page.find(f'#shared-list [data-collection-id="{collection_id}"]')


def member_row(page, collection_id, username):
    return page.find(f'#shared-list [data-collection-id="{collection_id}"] [data-username="{username}"]')


def role_of(page, collection_id, username):
    return member_row(page, collection_id, username).find_element(page.by_css, ".role").text


def buttons_of(page, element, where="button"):
    return [node.text for node in element.find_elements(page.by_css, where) if node.is_displayed()]


def visible_names(page):
    return [
        card.find_element(page.by_css, "h3").text
        for card in page.driver.find_elements(page.by_css, "li.item")
        if card.is_displayed()
    ]


def group_of(page, card):
    """The name on the heading of the group a card is shown in."""
    return page.script("return arguments[0].closest('section.group').querySelector('.toggle span').textContent", card)


def vault_group(page, collection_id):
    return page.find(f'#groups [data-collection-id="{collection_id}"]')


def jump_names(page):
    return page.script("return [...document.querySelectorAll('#jump-list a')].map((a) => a.textContent)")


def save_item(page):
    page.click("#item-form button[type=submit]")
    page.gone("#item-dialog")


def accept(server, username):
    """`username` accepts every invitation they have, through the API."""
    pending = api(server, "GET", "invitations", username=username)["invitations"]
    api(server, "POST", "invitations", {"accept": [row["id"] for row in pending]}, username=username)


def make_family(server):
    """Alice's collection "Family": its id."""
    api(server, "PUT", "collections", {"names": ["Family"]})
    return collections(server)[0]["id"]


def add_member_dialog(page, server, family_id):
    """Alice signed in, her Shared view open, and its Invite a member dialog for the collection."""
    sign_in(page, server)
    unlock(page)
    page.click("#open-shared")
    page.press(button_in(page, section(page, family_id), "Invite a member"))
    page.text_of("#member-title", "Invite a member to Family")


def reload_and_unlock(page):
    """What bob sees after a reload: the token survives in the tab, the passphrase is asked again."""
    page.driver.refresh()
    unlock(page)


def focus_on(page, label):
    """Wait for the keyboard focus on `label` (the view draws, then focuses)."""
    page.wait.until(lambda d: page.focused() == label, f"the focus never reached {label!r}")


def confirm(page, title):
    page.text_of("#confirm-title", title)
    page.click("#confirm-choices button.danger-fill")
    page.gone("#confirm-dialog")


def test_alice_shares_with_bob_whose_role_decides_what_his_page_offers_until_she_removes_him(
    browser, second_browser, vault_server
):
    alice, bob = browser, second_browser
    server = vault_server()
    sign_up(server, "bob")
    api(server, "PUT", "items", {"items": [{"name": "Bank", "password": "alice only"}]})
    sign_in(alice, server)
    unlock(alice)
    alice.find("#open-shared").send_keys("\n")
    alice.text_of("#shared-status", "You belong to no collection yet. Start with New collection.")
    assert alice.focused() == "shared-new"
    alice.assert_accessible("shared-empty")

    # By keyboard alone: New collection, its name, Enter; the focus waits on Invite a member: a name, Enter.
    alice.keys("\n")
    alice.find("#collection-name")
    alice.assert_accessible("collection-dialog")
    alice.keys("Family\n")
    alice.gone("#collection-dialog")
    assert alice.focused() == "Invite a member to Family"
    [family] = collections(server)
    assert (family["name"], family["role"], family["members"]) == (
        "Family",
        "manage",
        [{"username": "alice", "role": "manage"}],
    )
    alice.keys("\n")
    alice.text_of("#member-title", "Invite a member to Family")
    assert alice.focused() == "member-name"
    assert alice.find("#member-role-read").is_selected()  # the least a member can do, unless chosen
    alice.assert_accessible("member-dialog")
    alice.keys("bob\n")
    alice.gone("#member-dialog")
    assert alice.focused() == "Change role of bob"
    assert role_of(alice, family["id"], "bob") == "Read"
    assert "bob (invited, not yet accepted)" in member_row(alice, family["id"], "bob").text
    assert collections(server)[0]["members"] == [
        {"username": "alice", "role": "manage"},
        {"username": "bob", "role": "read", "pending": True},
    ]
    alice.text_of(f'[data-collection-id="{family["id"]}"] p', "Your role: Manage · 0 items")
    assert buttons_of(alice, section(alice, family["id"]), ".collection-head button") == [
        "Rename",
        "Invite a member",
        "Leave",
        "Delete",
    ]
    assert buttons_of(alice, member_row(alice, family["id"], "bob")) == ["Change role", "Withdraw"]
    assert buttons_of(alice, member_row(alice, family["id"], "alice")) == ["Change role"]  # herself: Leave
    alice.assert_accessible("shared-manage")

    # A new item goes into the collection from the item editor: no category there.
    alice.click("#shared-back")  # the vault is fetched again first: it has a collection now
    alice.wait.until(lambda d: alice.focused() == "open-shared", "Back never returned to the vault's Shared button")
    alice.click("#add-item")
    alice.type("#item-name", "Wi-Fi")
    alice.type("#item-password", "hunter22")
    assert alice.find("#item-category").is_enabled()
    alice.choose("#item-collection", "Family")
    assert not alice.find("#item-category").is_enabled()
    alice.text_of("#item-category-shared", "A shared item has no category.")
    alice.assert_accessible("item-dialog-collection", sizes=(DESKTOP,))
    save_item(alice)
    assert "Shared in Family" in card_of(alice, "Wi-Fi").text
    # Its card moved, without a reload, into a group of the collection's own, named and marked, with no
    # Rename or Delete of a category; "No category" keeps the personal items and comes last.
    assert group_of(alice, card_of(alice, "Wi-Fi")) == "Family"
    assert group_of(alice, card_of(alice, "Bank")) == "No category"
    family_group = vault_group(alice, family["id"])
    toggle = family_group.find_element(alice.by_css, ".toggle")
    assert toggle.find_element(alice.by_css, ".badge").text == "Shared"
    assert toggle.accessible_name == "Family, shared, 1 item"
    assert family_group.find_elements(alice.by_css, ".group-actions") == []
    assert jump_names(alice) == ["Family (shared)", "No category"]
    wifi = item_named(server, "Wi-Fi")
    assert (wifi["collection_id"], wifi["category_id"]) == (family["id"], None)

    # A personal item moves in, and out again.
    alice.press(button_in(alice, card_of(alice, "Bank"), "Edit"))
    assert alice.find("#item-collection").get_attribute("value") == ""
    alice.choose("#item-collection", "Family")
    save_item(alice)
    assert item_named(server, "Bank")["collection_id"] == family["id"]
    assert "Shared in Family" in card_of(alice, "Bank").text
    assert group_of(alice, card_of(alice, "Bank")) == "Family"
    assert toggle.accessible_name == "Family, shared, 2 items"
    alice.gone("#group-none")  # emptied, "No category" goes
    # The search counts in the collection's group too.
    alice.type("#search", "bank\n")
    alice.wait.until(lambda d: toggle.text.endswith("1 of 2 items"), "the collection's count ignored the search")
    alice.type("#search", "\n")
    assert api(server, "GET", "fetchall", username="bob")["items"] == []  # bob has not accepted yet
    alice.press(button_in(alice, card_of(alice, "Bank"), "Edit"))
    alice.choose("#item-collection", "Personal (not shared)")
    save_item(alice)
    assert item_named(server, "Bank")["collection_id"] is None
    assert "Shared in" not in card_of(alice, "Bank").text
    assert group_of(alice, card_of(alice, "Bank")) == "No category"
    assert toggle.accessible_name == "Family, shared, 1 item"

    # Bob, elsewhere: nothing of the collection until he accepts, by keyboard alone, in his Shared view.
    sign_in(bob, server, username="bob")
    unlock(bob)
    bob.text_of("#search-status", "Your vault is empty. Start with New item or New category.")
    bob.find("#open-shared").send_keys("\n")
    invitation = bob.find("#invitations-list [data-invitation-id]")
    assert invitation.text.startswith(f"alice invites you to collection {family['id']} with the Read role")
    assert "Family" not in bob.find("#shared-view").text  # its name shows once accepted
    focus_on(bob, f"Accept the invitation from alice to collection {family['id']}")
    bob.assert_accessible("shared-invitations")
    bob.keys("\n")
    bob.gone("#invitations")
    bob.text_of(f"#collection-{family['id']}", "Family")
    focus_on(bob, "Leave Family")
    assert collections(server)[0]["members"][1] == {"username": "bob", "role": "read"}
    bob.click("#shared-back")

    # The shared item, marked, and only what Read allows.
    card = card_of(bob, "Wi-Fi")
    assert visible_names(bob) == ["Wi-Fi"]
    assert "Shared in Family" in card.text
    assert group_of(bob, card) == "Family"
    bob.gone("#group-none")
    bob.press(button_in(bob, card, "More about Wi-Fi"))
    assert buttons_of(bob, card, ".item-actions button") == ["History", "Files"]
    # The group closes like a category, and Tab goes from its heading to its one card stop.
    toggle = vault_group(bob, family["id"]).find_element(bob.by_css, ".toggle")
    bob.press(toggle)
    assert toggle.get_attribute("aria-expanded") == "false" and not card.is_displayed()
    bob.keys("\n")
    bob.keys(TAB)
    assert bob.script("return document.activeElement") == card
    bob.assert_accessible("vault-shared-read", sizes=(DESKTOP,))
    bob.click("#open-shared")
    bob.text_of(f'[data-collection-id="{family["id"]}"] p', "Your role: Read · 1 item")
    assert buttons_of(bob, section(bob, family["id"])) == ["Leave"]
    assert role_of(bob, family["id"], "alice") == "Manage"
    bob.assert_accessible("shared-read")
    bob.click("#shared-back")

    # Alice makes him a writer.
    alice.click("#open-shared")
    alice.press(button_in(alice, member_row(alice, family["id"], "bob"), "Change role of bob"))
    alice.text_of("#member-title", "Change the role of bob in Family")
    alice.gone("#member-name")  # the person is named in the title
    assert alice.focused() == "member-role-read"
    alice.click("#member-role-write")
    alice.click("#member-form button[type=submit]")
    alice.gone("#member-dialog")
    alice.text_of('#shared-list [data-username="bob"] .role', "Write")
    assert collections(server)[0]["members"][1] == {"username": "bob", "role": "write"}

    # Bob's page, once reloaded, offers Edit; his change reaches alice.
    reload_and_unlock(bob)
    card = card_of(bob, "Wi-Fi")
    bob.press(button_in(bob, card, "More about Wi-Fi"))
    assert buttons_of(bob, card, ".item-actions button") == ["Edit", "History", "Files", "Delete"]
    bob.press(button_in(bob, card, "Edit"))
    bob.type("#item-password", "correct battery")
    save_item(bob)
    assert item_named(server, "Wi-Fi")["password"] == "correct battery"

    # Made a reader again while his editor is open: the refusal says why, and what he typed stays.
    bob.press(button_in(bob, card_of(bob, "Wi-Fi"), "Edit"))
    bob.type("#item-password", "typed as a reader")
    api(server, "PUT", f"collections/{family['id']}/members", {"members": [{"username": "bob", "role": "read"}]})
    bob.click("#item-form button[type=submit]")
    bob.text_of(
        "#item-error",
        "You are no longer a member of Family (or your role changed): your text is kept, copy it or save it "
        "as a personal item (Save again does).",
    )
    assert bob.find("#item-password").get_attribute("value") == "typed as a reader"
    bob.click("#item-dialog .cancel")
    confirm(bob, "Discard your changes?")
    assert item_named(server, "Wi-Fi")["password"] == "correct battery"

    # Alice removes him; his page no longer shows the item after a reload.
    alice.press(button_in(alice, member_row(alice, family["id"], "bob"), "Remove bob"))
    confirm(alice, "Remove bob from Family?")
    alice.gone('#shared-list [data-username="bob"]')
    assert collections(server)[0]["members"] == [{"username": "alice", "role": "manage"}]
    reload_and_unlock(bob)
    bob.text_of("#search-status", "Your vault is empty. Start with New item or New category.")
    assert visible_names(bob) == []
    assert alice.console_errors() == [] and bob.console_errors(allowed_statuses=(403,)) == []


def test_refusals_are_explained_and_the_dialogs_keep_what_was_typed(browser, second_browser, vault_server, tmp_path):
    alice, bob = browser, second_browser
    # A team that prefers the hint: an unknown name, or one without a key pair, is refused in words.
    server = vault_server(invite_unknown_names="false")
    sign_up(server, "bob")
    sign_up(server, "carol")
    # Carol as a user from before sharing: no key pair until she next unlocks a vault.
    with closing(sqlite3.connect(tmp_path / "opp.db")) as db, db:
        db.execute("UPDATE users SET public_key = NULL, sealed_private_key = NULL WHERE username = 'carol'")
    family_id = make_family(server)
    api(server, "PUT", f"collections/{family_id}/members", {"members": [{"username": "bob", "role": "write"}]})
    accept(server, "bob")
    api(server, "PUT", "items", {"items": [{"name": "Router", "collection_id": family_id}]})
    add_member_dialog(alice, server, family_id)

    # An unknown name, then a user without a key yet: said in words, the dialog and the name stay.
    alice.type("#member-name", "nobody")
    alice.click("#member-form button[type=submit]")
    alice.text_of("#member-error", "There is no user named “nobody” on this server. Check the spelling.")
    alice.type("#member-name", "carol")
    alice.click("#member-form button[type=submit]")
    alice.text_of(
        "#member-error",
        "carol cannot be invited yet: carol must sign in and unlock their vault once, "
        "which makes the key that sharing needs. Then invite them again.",
    )
    assert alice.find("#member-name").get_attribute("aria-invalid") == "true"
    alice.assert_accessible("member-dialog-error")
    api(server, "GET", "fetchall", username="carol")  # carol unlocks once
    alice.click("#member-form button[type=submit]")
    alice.gone("#member-dialog")
    assert role_of(alice, family_id, "carol") == "Read"

    # Escape on a changed dialog asks first; Keep editing keeps the text. A role chosen counts as a change.
    alice.press(button_in(alice, section(alice, family_id), "Invite a member"))
    alice.type("#member-name", "bo")
    alice.keys(ESCAPE)
    alice.text_of("#confirm-title", "Discard your changes?")
    alice.click("#confirm-choices button:last-child")
    assert alice.find("#member-name").get_attribute("value") == "bo"
    alice.find("#member-name").send_keys(ESCAPE)
    confirm(alice, "Discard your changes?")
    alice.gone("#member-dialog")
    alice.press(button_in(alice, member_row(alice, family_id, "carol"), "Change role of carol"))
    alice.click("#member-role-manage")
    alice.click("#member-dialog .cancel")
    alice.text_of("#confirm-title", "Discard your changes?")
    alice.click("#confirm-choices button.danger-fill")
    alice.gone("#member-dialog")
    assert role_of(alice, family_id, "carol") == "Read"

    # The last manager can neither step down nor leave.
    alice.press(button_in(alice, member_row(alice, family_id, "alice"), "Change role of alice"))
    alice.click("#member-role-write")
    alice.click("#member-form button[type=submit]")
    alice.text_of("#member-error", "A collection needs a manager: give another member the Manage role first.")
    alice.click("#member-dialog .cancel")
    confirm(alice, "Discard your changes?")
    alice.press(button_in(alice, section(alice, family_id), "Leave Family"))
    confirm(alice, "Leave Family?")
    alice.text_of("#shared-error", "A collection needs a manager: give another member the Manage role first.")

    # Rename, with a typed name kept through Escape; the cards follow the new name.
    alice.press(button_in(alice, section(alice, family_id), "Rename collection Family"))
    alice.text_of("#collection-title", "Rename collection Family")
    alice.type("#collection-name", "Home")
    alice.keys(ESCAPE)
    alice.text_of("#confirm-title", "Discard your changes?")
    alice.click("#confirm-choices button:last-child")
    alice.keys("\n")
    alice.gone("#collection-dialog")
    alice.text_of(f"#collection-{family_id}", "Home")
    assert alice.focused() == "Rename collection Home"
    assert collections(server)[0]["name"] == "Home"
    alice.click("#shared-back")
    assert "Shared in Home" in card_of(alice, "Router").text
    assert group_of(alice, card_of(alice, "Router")) == "Home"

    # Bob leaves; his vault drops the items when he goes back to it.
    sign_in(bob, server, username="bob")
    unlock(bob)
    card_of(bob, "Router")
    bob.click("#open-shared")
    bob.press(button_in(bob, section(bob, family_id), "Leave Home"))
    confirm(bob, "Leave Home?")
    bob.text_of("#shared-status", "You belong to no collection yet. Start with New collection.")
    assert [member["username"] for member in collections(server)[0]["members"]] == ["alice", "carol"]
    bob.click("#shared-back")
    bob.text_of("#search-status", "Your vault is empty. Start with New item or New category.")

    # A collection deleted since the list was drawn: said so.
    spare_id = api(server, "PUT", "collections", {"names": ["Spare"]})["collections"][0]["id"]
    alice.click("#open-shared")
    section(alice, spare_id)  # drawn: then deleted elsewhere
    api(server, "DELETE", "collections", {"ids": [spare_id]})
    alice.press(button_in(alice, section(alice, spare_id), "Rename collection Spare"))
    alice.type("#collection-name", "Attic\n")
    alice.text_of(
        "#collection-error",
        "This collection is gone, or you are no longer a member. Open Shared again to see what is left.",
    )
    alice.click("#collection-dialog .cancel")
    confirm(alice, "Discard your changes?")
    alice.click("#shared-back")
    alice.click("#open-shared")
    alice.gone(f'#shared-list [data-collection-id="{spare_id}"]')

    # Alice deletes the collection; its item goes into her trash, and so does not vanish for good.
    alice.press(button_in(alice, section(alice, family_id), "Delete collection Home"))
    alice.text_of(
        "#confirm-text",
        "Its item moves into your trash, where you can restore it; no other member sees "
        "it again. Every member is told.",
    )
    confirm(alice, "Delete collection Home?")
    alice.text_of("#shared-status", "You belong to no collection yet. Start with New collection.")
    assert collections(server) == []
    assert [item["name"] for item in api(server, "GET", "trash")["items"]] == ["Router"]
    alice.click("#shared-back")
    alice.text_of("#search-status", "Your vault is empty. Start with New item or New category.")


def test_a_member_typed_in_when_the_session_ends_is_added_after_signing_in_again(browser, vault_server):
    page = browser
    server = vault_server(exp_delta=8, max_exp_delta=8)
    sign_up(server, "bob")
    family_id = make_family(server)
    add_member_dialog(page, server, family_id)
    page.type("#member-name", "bob")
    page.click("#member-role-write")
    # Not renewed: the vault and the list leave the page, the changed dialog stays under a sign-in.
    page.text_of("#renew-title", "Your session ends soon")
    page.keys(ESCAPE)
    page.text_of("#renew-title", "Your session has ended")
    assert page.script("return document.querySelectorAll('#shared-list *').length") == 0
    page.find("#renew-password").send_keys(PASSWORD)
    page.find("#renew-phrase").send_keys(PHRASE + "\n")
    page.gone("#renew-dialog")
    assert page.find("#member-name").get_attribute("value") == "bob"
    assert page.find("#member-role-write").is_selected()
    page.click("#member-form button[type=submit]")
    page.gone("#member-dialog")
    assert role_of(page, family_id, "bob") == "Write"
    assert page.console_errors() == []


def test_bob_declines_an_invitation_by_keyboard_and_alice_withdraws_one(browser, second_browser, vault_server):
    bob, alice = browser, second_browser
    server = vault_server()
    sign_up(server, "bob")
    sign_up(server, "carol")
    family_id = make_family(server)
    work_id = api(server, "PUT", "collections", {"names": ["Work"]})["collections"][0]["id"]
    for collection_id in (family_id, work_id):
        api(server, "PUT", f"collections/{collection_id}/members", {"members": [{"username": "bob", "role": "read"}]})
    api(server, "PUT", f"collections/{family_id}/members", {"members": [{"username": "carol", "role": "write"}]})

    sign_in(bob, server, username="bob")
    unlock(bob)
    bob.find("#open-shared").send_keys("\n")
    focus_on(bob, f"Accept the invitation from alice to collection {family_id}")
    bob.keys(TAB)
    assert bob.focused() == f"Decline the invitation from alice to collection {family_id}"
    bob.keys("\n")
    bob.wait.until(lambda d: len(d.find_elements(bob.by_css, "#invitations-list li")) == 1, "nothing was declined")
    focus_on(bob, f"Accept the invitation from alice to collection {work_id}")
    assert [row["collection"] for row in api(server, "GET", "invitations", username="bob")["invitations"]] == [work_id]
    assert bob.console_errors() == []

    sign_in(alice, server)
    unlock(alice)
    alice.click("#open-shared")
    family = section(alice, family_id)
    assert [row.get_attribute("data-username") for row in family.find_elements(alice.by_css, "[data-username]")] == [
        "alice",
        "carol",
    ]  # bob declined: nothing of him is left
    alice.press(button_in(alice, member_row(alice, family_id, "carol"), "Withdraw the invitation to carol"))
    confirm(alice, "Withdraw the invitation to carol?")
    alice.gone(f'#shared-list [data-collection-id="{family_id}"] [data-username="carol"]')
    assert api(server, "GET", "invitations", username="carol")["invitations"] == []
    assert alice.console_errors() == []
