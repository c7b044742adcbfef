"""The web page's Health view and the cards' health badges (issue 29): weak, reused and old items planted
through the API, Change password opening the editor with a new password, the view by keyboard alone, and
what the page does with a call that comes back after the session it was made in."""

import sqlite3
from contextlib import closing

from browser import DESKTOP
from pwnedfile import write_pwned_file
from vaultpage import ESCAPE, SHIFT, TAB, api, card_of, sign_in, sign_up, tab_to, unlock

REUSED = "Tz7#qL9!vW2@pR5xMe"
DAY = 86400


def plant(server, folder):
    """Alice's items: one weak, two sharing a password, one 400 days old, one fine; Bob's weak one in a
    collection where Alice only reads. {name: id}."""
    items = [
        {"name": "Weak one", "url": "https://weak.example.org/", "password": "password1"},
        {"name": "Reused A", "password": REUSED},
        {"name": "Reused B", "password": REUSED},
        {"name": "Old one", "password": "Kj8$mN3&xQ6^bV1zWt"},
        {"name": "Fine one", "password": "Hq4!sD9@zL2#cF7%Yp"},
    ]
    ids = {item["name"]: item["id"] for item in api(server, "PUT", "items", {"items": items})["items"]}
    with closing(sqlite3.connect(folder / "opp.db")) as db, db:
        db.execute(
            "UPDATE items SET created_at = created_at - :age, updated_at = updated_at - :age WHERE item_id = :id",
            {"age": 400 * DAY, "id": ids["Old one"]},
        )
    sign_up(server, "bob")
    api(server, "PUT", "collections", {"names": ["Bob's"]}, username="bob")
    [bobs] = api(server, "GET", "collections", username="bob")["collections"]
    api(
        server,
        "PUT",
        f"collections/{bobs['id']}/members",
        {"members": [{"username": "alice", "role": "read"}]},
        username="bob",
    )
    pending = api(server, "GET", "invitations")["invitations"]
    api(server, "POST", "invitations", {"accept": [row["id"] for row in pending]})
    shared = {"name": "Bob's router", "password": "admin", "collection_id": bobs["id"]}
    api(server, "PUT", "items", {"items": [shared]}, username="bob")
    return ids


def badge_of(page, name):
    badges = card_of(page, name).find_elements(page.by_css, ".health-badge")
    return badges[0].text if badges else None


def group_text(page, key):
    return page.find(f"#health-{key}").text


def test_the_health_view_lists_what_the_report_found_and_change_password_opens_the_generator(
    browser, vault_server, tmp_path
):
    page = browser
    server = vault_server()
    plant(server, tmp_path)
    sign_in(page, server)
    unlock(page)
    # The badges follow the report, in words.
    page.wait.until(lambda d: badge_of(page, "Weak one") == "Weak password", "no badge on the weak card")
    assert badge_of(page, "Reused A") == badge_of(page, "Reused B") == "Reused password"
    assert badge_of(page, "Old one") is None
    assert badge_of(page, "Fine one") is None
    page.shoot("health-badges", DESKTOP)

    page.click("#open-health")
    status = page.wait.until(
        lambda d: (
            (page.visible_text("#health-status") or "").startswith("Score") and page.visible_text("#health-status")
        ),
        "no report shown",
    )
    assert status == "Score 20 of 100. 5 items checked; weak passwords: 1, reused passwords: 2, old passwords: 1."
    weak = group_text(page, "weak")
    assert weak.startswith("Weak passwords (2)") and "Weak one" in weak and "Score " in weak
    reused = group_text(page, "reused")
    assert "The same password in 2 items:" in reused and "Reused A" in reused and "Reused B" in reused
    assert "Old one" in group_text(page, "old") and "Not changed for 400 days." in group_text(page, "old")
    assert "The exposed check is off" in group_text(page, "exposed")
    # Bob's item: marked with its collection, not counted against Alice, nothing to press.
    [row] = [one for one in page.driver.find_elements(page.by_css, "#health-weak .health-item") if "Bob's" in one.text]
    assert "Bob's router" in row.text and "Shared in Bob's" in row.text
    assert "Read only: not counted against you." in row.text
    assert row.find_elements(page.by_css, "button") == []
    page.assert_accessible("health")

    # Change password: the editor with a new password, shown and selected; saved, the finding goes.
    page.press(page.find("button[aria-label='Change password of Weak one']"))
    page.find("#item-dialog")
    page.wait.until(lambda d: page.find("#item-password").get_attribute("value") != "password1", "no new password")
    assert page.find("#item-password").get_attribute("type") == "text"
    assert page.find("#gen-entropy").text.endswith("bits of entropy.")
    assert page.focused() == "item-password"
    page.click("#item-form button[type=submit]")
    page.gone("#item-dialog")
    page.text_of("#notice", "Saved Weak one.")
    page.wait.until(lambda d: "Weak one" not in group_text(page, "weak"), "the weak item stayed in the report")
    page.click("#health-back")
    page.wait.until(lambda d: badge_of(page, "Weak one") is None, "the badge stayed after the change")
    assert page.console_errors() == []


def test_the_health_view_by_keyboard_alone(browser, vault_server, tmp_path):
    page = browser
    server = vault_server()
    plant(server, tmp_path)
    sign_in(page, server)
    unlock(page)
    tab_to(page, "open-health")
    page.keys("\n")
    assert page.focused() == "health-back"
    page.find("#health-weak")
    tab_to(page, "Change password of Weak one")
    page.keys("\n")
    page.wait.until(lambda d: page.focused() == "item-password", "the new password never had the focus")
    # The new password is typed work: Escape asks before throwing it away.
    page.keys(ESCAPE)
    page.text_of("#confirm-title", "Discard your changes?")
    page.keys(SHIFT, TAB)
    assert page.focused() == "Discard changes"
    page.keys("\n")
    page.gone("#item-dialog")
    page.wait.until(lambda d: page.focused() == "Change password of Weak one", "the keyboard lost its place")
    tab_to(page, "Edit Weak one")
    tab_to(page, "health-back", backwards=True)
    page.keys("\n")
    assert page.focused() == "open-health"
    # Nothing was saved.
    [weak] = [item for item in api(server, "GET", "fetchall")["items"] if item["name"] == "Weak one"]
    assert weak["password"] == "password1"
    assert page.console_errors() == []


# A call still under way when the page forgets its token (as at sign-out, when the report asked for after
# unlocking has not come back yet): its 401 belongs to a session that is already over.
LATE_CALL = """const done = arguments[arguments.length - 1];
import("./session.js").then(async (session) => {
  const late = session.call("GET", "fetchall").catch((problem) => problem.status);
  session.forgetToken();
  done(await late);
});"""


def test_a_401_for_a_token_the_page_already_forgot_ends_nothing_more(browser, vault_server):
    page = browser
    server = vault_server()
    sign_in(page, server)
    unlock(page)
    api(server, "DELETE", "auth", token=page.script("return sessionStorage.getItem('opp.token')"))
    assert page.driver.execute_async_script(LATE_CALL) == 401
    assert page.find("#vault-view").is_displayed()
    assert page.script("return document.querySelector('#signin-error').hidden") is True


def test_an_exposed_password_is_named_in_the_view_and_on_its_card(browser, vault_server, tmp_path):
    page = browser
    pwned = write_pwned_file(tmp_path / "pwned.txt", seen={"password1": 2_413_945})
    server = vault_server(pwned_passwords_file=str(pwned))
    api(server, "PUT", "items", {"items": [{"name": "Weak one", "password": "password1"}]})
    sign_in(page, server)
    unlock(page)
    page.wait.until(lambda d: badge_of(page, "Weak one") == "Weak, exposed password", "no exposed badge")
    page.click("#open-health")
    page.wait.until(lambda d: "Weak one" in group_text(page, "exposed"), "the exposed item is not listed")
    exposed = group_text(page, "exposed")
    assert exposed.startswith("Exposed passwords (1)")
    assert "Seen 2,413,945 times in published breaches." in exposed
    assert page.console_errors() == []
