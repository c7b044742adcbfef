"""The built-in page against a live server: a server with alice, signing in, finding cards (for the page's tests)."""

import urllib.parse
import urllib.request

from conftest import CHEAP_ARGON2
from live import LiveServer, request, write_config

PASSWORD = "correct horse"
# Not Latin-1: the page has to carry it in x-opp-phrase as UTF-8 bytes.
PHRASE = "smörgåsbord ключ"
# WebDriver's codes for these keys (selenium.webdriver.common.keys.Keys).
CONTROL, BACKSPACE, ESCAPE, SHIFT, TAB = "\ue009", "\ue003", "\ue00c", "\ue008", "\ue004"


def phrase_header(phrase):
    """How http.client must be handed a non-ASCII header: its UTF-8 bytes as Latin-1 text."""
    return phrase.encode("utf-8").decode("latin-1")


def start_server(folder, **settings):
    config = write_config(
        folder, db_connect=f"sqlite:///{folder}/opp.db", allow_signup="true", **CHEAP_ARGON2, **settings
    )
    server = LiveServer(config).start()
    sign_up(server, "alice")
    return server


def sign_up(server, username):
    """Another user of the server, with alice's password and passphrase."""
    user = {"username": username, "password": PASSWORD, "phrase": PHRASE}
    status, _, body = request("PUT", server.url + "/api/v1/user", user)
    assert status == 200, body


def api_token(server, username="alice"):
    status, _, answer = request("POST", server.url + "/api/v1/auth", {"username": username, "password": PASSWORD})
    assert status == 200, answer
    return answer["access_token"]


def api(server, method, path, body=None, token=None, username="alice"):
    """One vault call as `username` (a fresh token unless given); the answer's body."""
    if token is None:
        token = api_token(server, username)
    status, _, answer = request(
        method,
        server.url + "/api/v1/" + path,
        body,
        headers={"x-opp-jwt": token, "x-opp-phrase": phrase_header(PHRASE)},
    )
    assert status == 200, answer
    return answer


def attach(server, item_id, name, data, media_type, username="alice"):
    """`data` uploaded as a file of the item, as `username`."""
    token = api_token(server, username)
    upload = urllib.request.Request(
        f"{server.url}/api/v1/items/{item_id}/attachments?name={urllib.parse.quote(name)}",
        data=data,
        method="POST",
        headers={"x-opp-jwt": token, "x-opp-phrase": phrase_header(PHRASE), "Content-Type": media_type},
    )
    urllib.request.urlopen(upload).close()


def signed_in_with_a_deed(page, server, data):
    """alice's vault with one item, "Deeds", holding `data` as deed.pdf, signed in and unlocked."""
    [item] = api(server, "PUT", "items", {"items": [{"name": "Deeds"}]})["items"]
    attach(server, item["id"], "deed.pdf", data, "application/pdf")
    sign_in(page, server)
    unlock(page)
    return item


def card_of(page, name):
    """The visible item card whose heading reads `name`."""
    return page.wait.until(
        lambda d: next(
            (
                c
                for c in d.find_elements(page.by_css, "li.item")
                if c.is_displayed() and c.find_element(page.by_css, "h3").text == name
            ),
            False,
        ),
        f"no visible item named {name!r}",
    )


def button_in(page, card, label):
    """The button of `card` whose name starts with `label`, as a person reaches it: one behind the card's More
    is shown by pressing More first."""
    found = card.find_element(page.by_css, f"button[aria-label^='{label}']")
    if not found.is_displayed():
        page.press(card.find_element(page.by_css, "button.more"))
        page.wait.until(lambda d: found.is_displayed(), f"More of the card never showed {label!r}")
    return found


def fetchall(server, token):
    return api(server, "GET", "fetchall", token=token)


def token_of(page):
    """The session token the page holds."""
    return page.script("return sessionStorage.getItem('opp.token')")


def sign_in(page, server, url=None, username="alice"):
    page.open(url or server.url + "/")
    page.type("#username", username)
    page.type("#password", PASSWORD + "\n")
    page.find("#phrase")


def unlock(page):
    page.find("#phrase").send_keys(PHRASE + "\n")
    page.find("#search")


def focus_on(page, name):
    """Wait until the focus is on `name` (an id or a name), not dropped to <body>."""
    page.wait.until(lambda d: page.focused() == name, f"the focus is not on {name!r}")


def tab_to(page, name, backwards=False, most=30):
    """Press Tab (or Shift+Tab) until the focus is on `name`, as someone without a mouse would."""
    for _ in range(most):
        if page.focused() == name:
            return
        page.keys(*((SHIFT, TAB) if backwards else (TAB,)))
    raise AssertionError(f"Tab never reached {name!r}; the focus is on {page.focused()!r}")
