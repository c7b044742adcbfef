"""A long list by keyboard and on a phone: sticky Search, lock and sign-out, categories that close, a jump
list, a skip link, few tab stops, and the keys named on the page (issue 18, problem 5)."""

import pytest

from browser import DESKTOP, PHONE
from vaultpage import SHIFT, TAB, api, sign_in, unlock

ITEMS = 200
CATEGORIES = 10
# Every element Tab can reach in the page as it is shown (checkVisibility: not in a closed <details>,
# not under display: none; cards skipped by content-visibility: auto still count).
TAB_STOPS = """return [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
  .filter((e) => e.tabIndex >= 0 && !e.disabled && e.checkVisibility() && !e.closest('dialog:not([open])')).length"""
# What has the focus: a card by its name, anything else by id, label or text.
FOCUSED = """const e = document.activeElement;
if (e.matches('li.item')) return 'card ' + e.querySelector('h3').textContent;
if (e.matches('.toggle')) return 'toggle ' + e.firstChild.textContent;
return e.id || e.getAttribute('aria-label') || e.textContent.trim();"""
# Is `arguments[0]` on screen and not covered by anything at its middle?
IN_SIGHT = """const e = arguments[0]; const r = e.getBoundingClientRect();
const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
return r.top >= 0 && r.bottom <= innerHeight && r.width > 0 && (hit === e || e.contains(hit));"""


@pytest.fixture
def long_vault(browser, vault_server):
    server = vault_server()
    categories = api(server, "PUT", "categories", {"category_names": [f"Category {n:02}" for n in range(CATEGORIES)]})[
        "categories"
    ]
    api(
        server,
        "PUT",
        "items",
        {
            "items": [
                {
                    "name": f"Site {n:03}",
                    "url": f"https://site{n}.example.org/",
                    "username": f"user{n}",
                    "password": f"pw-{n}",
                    "blob": "a note",
                    "category_id": categories[n % CATEGORIES]["id"],
                }
                for n in range(ITEMS)
            ]
        },
    )
    sign_in(browser, server)
    unlock(browser)
    browser.wait.until(
        lambda d: browser.script("return document.querySelectorAll('li.item').length") == ITEMS, "not every card drawn"
    )
    return browser


def focused(page):
    return page.script(FOCUSED)


def tab_until(page, wanted, most=40, backwards=False):
    """Tab (or Shift+Tab) until the focus is on `wanted`; the number of presses."""
    for presses in range(most + 1):
        if focused(page) == wanted:
            return presses
        page.keys(*((SHIFT, TAB) if backwards else (TAB,)))
    raise AssertionError(f"Tab never reached {wanted!r}; the focus is on {focused(page)!r}")


def test_a_long_list_has_few_tab_stops_and_moves_by_arrow_keys(long_vault):
    page = long_vault
    stops = page.script(TAB_STOPS)
    print(f"\ntab stops with {ITEMS} items in {CATEGORIES} categories: {stops}")
    # A card is one stop (its buttons join when it is entered); a category three (name, Rename, Delete).
    assert stops <= 4 * CATEGORIES + 20, stops
    assert focused(page) == "search"
    # From Search, past the toolbar, to the first category and its first card.
    assert tab_until(page, "toggle Category 00") <= 12
    page.keys(TAB, TAB, TAB)
    assert focused(page) == "card Site 000"
    page.keys("\ue015")  # ArrowDown: the next card of the list
    assert focused(page) == "card Site 010"
    page.keys("\ue010")  # End: the last card
    assert focused(page) == "card Site 199"
    page.keys("\ue011")  # Home
    assert focused(page) == "card Site 000"
    # Tab enters the card: its box, Copy password and More; Enter on More opens the rest, then on to the next category.
    page.keys(TAB)
    assert focused(page) == "Select Site 000"
    page.keys(TAB)
    assert focused(page) == "Copy password of Site 000"
    page.keys(TAB)
    assert focused(page) == "More about Site 000"
    page.keys("\n")
    page.keys(TAB)
    assert focused(page) == "site0.example.org"  # its link
    page.keys(TAB)
    assert focused(page) == "Copy username of Site 000"
    assert tab_until(page, "Delete Site 000") <= 7
    page.keys(TAB)
    assert focused(page) == "toggle Category 01"
    # Back again: the card is one stop once left.
    page.keys(SHIFT, TAB)
    assert focused(page) == "card Site 000"
    # The card entered last is the stop of its category.
    page.keys("\ue015")
    assert focused(page) == "card Site 010"
    page.keys(TAB)
    tab_until(page, "toggle Category 01")
    page.keys(SHIFT, TAB)
    assert focused(page) == "card Site 010"
    # / goes back to Search from a card.
    page.keys("/")
    assert focused(page) == "search"
    assert "/ goes to Search" in page.find("#keys-help").text
    assert page.console_errors() == []


def test_categories_close_and_the_jump_list_opens_one(long_vault):
    page = long_vault
    page.script("document.querySelector('#category-group-0, .toggle').focus()")
    tab_until(page, "toggle Category 01")
    page.keys("\n")
    toggle = page.find("#groups section:nth-child(2) .toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert (
        page.script("return document.querySelector('#groups section:nth-child(2) li.item').checkVisibility()") is False
    )
    assert toggle.text.endswith("20 items")  # the count stays in sight
    # A closed category is three stops: its name, Rename and Delete.
    page.keys(TAB, TAB, TAB)
    assert focused(page) == "toggle Category 02"
    # Closed categories stay closed while searching; the count follows the search.
    page.type("#search", "site 01\n")
    page.text_of("#search-status", "10 matching items")
    assert toggle.text.endswith("1 of 20 items")
    page.type("#search", "\n")
    page.text_of("#search-status", "")

    # The jump list: its link opens the category and puts the focus on its name, clear of the sticky parts.
    for size in (DESKTOP, PHONE):
        page.driver.set_window_size(*size)
        page.script("window.scrollTo(0, 0)")
        page.click("#jump summary")
        page.find(f"#jump-list a[href='#group-{toggle.get_attribute('aria-controls').split('-')[1]}']")
        if size == PHONE:
            page.shoot("vault-jump-list-phone", PHONE)
        page.find("#jump-list").find_element(page.by_css, "a:nth-child(1)")
        link = [a for a in page.driver.find_elements(page.by_css, "#jump-list a") if a.text == "Category 01"][0]
        link.click()
        assert focused(page) == "toggle Category 01"
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.script("return document.querySelector('#jump').open") is False
        assert page.script(IN_SIGHT, toggle), f"Category 01 hidden under the header at {size}"
        page.keys("\n")  # closed again for the next size
    page.driver.set_window_size(*DESKTOP)
    page.keys("\n")
    page.click("#jump summary")
    page.assert_accessible("vault-jump-list")
    assert page.console_errors() == []


def test_search_lock_and_sign_out_stay_in_sight_and_the_skip_link_leads_to_the_list(long_vault):
    page = long_vault
    for size in (DESKTOP, PHONE):
        page.driver.set_window_size(*size)
        page.script("window.scrollTo(0, document.body.scrollHeight)")
        page.script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert page.script("return window.scrollY") > 5000
        for selector in ("#search", "#lock", "#sign-out"):
            assert page.script(IN_SIGHT, page.driver.find_element(page.by_css, selector)), f"{selector} at {size}"
        page.shoot(f"vault-scrolled-{'phone' if size == PHONE else 'desktop'}", size)
        # A card given the focus is scrolled clear of the sticky parts.
        page.script("document.querySelector('li.item:nth-child(5)').focus()")
        card = page.driver.switch_to.active_element
        page.script(
            "arguments[0].scrollIntoView({block: 'start'}); document.activeElement.blur(); arguments[0].focus()", card
        )
        assert page.script(IN_SIGHT, card.find_element(page.by_css, "h3")), f"focused card covered at {size}"
    page.driver.set_window_size(*DESKTOP)
    # The skip link: first in the page, shown when focused, straight to the list.
    page.script("window.scrollTo(0, 0); document.querySelector('#skip').focus()")
    assert page.script(IN_SIGHT, page.find("#skip"))
    page.keys("\n")
    assert focused(page) == "groups"
    page.keys(TAB)
    assert focused(page) == "toggle Category 00"
