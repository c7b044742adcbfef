"""The web page at 2,000 items, measured in Chromium with performance.now (a benchmark that prints its
figures, not a timed assertion; docs/benchmarks.md keeps them). The page marks its unlock with
performance.mark (opp:unlock, opp:fetched, opp:rendered, opp:drawn), so the server's part (the fetchall
request, sent to parsed) and the page's (the answer to the first paint) are told apart."""

from vaultpage import PHRASE, api, button_in, card_of, sign_in

ITEMS = 2000
CATEGORIES = 20

# Run ACTION (JavaScript), then wait for READY (a JavaScript expression) and the next painted frame;
# the milliseconds from before the action to that frame. Pasted in, as the page's policy forbids eval.
TIMED = """const done = arguments[arguments.length - 1];
const start = performance.now();
const painted = () => requestAnimationFrame(() => setTimeout(() => done(performance.now() - start), 0));
const check = () => ((READY) ? painted() : setTimeout(check, 1));
ACTION;
check();"""

SEARCH = "document.querySelector('#search')"


def timed(page, action, ready):
    return page.driver.execute_async_script(TIMED.replace("READY", ready).replace("ACTION", action or "0"))


def keystrokes(page, text):
    """Each character typed into Search as an input event: the slowest key's handler and frame, in ms."""
    worst = 0
    for length in range(1, len(text) + 1):
        action = f"{SEARCH}.value = {text[:length]!r}; {SEARCH}.dispatchEvent(new Event('input'))"
        worst = max(worst, timed(page, action, "true"))
    return worst


def test_figures_at_2000_items(browser, vault_server):
    page = browser
    server = vault_server()
    categories = api(server, "PUT", "categories", {"category_names": [f"Category {n:02}" for n in range(CATEGORIES)]})[
        "categories"
    ]
    for half in range(2):
        rows = [
            {
                "name": f"Site {n:04}",
                "url": f"https://site{n}.example.org/login",
                "username": f"user{n}@example.org",
                "password": f"pw-{n}",
                "category_id": categories[n % CATEGORIES]["id"],
            }
            for n in range(half * ITEMS // 2, (half + 1) * ITEMS // 2)
        ]
        api(server, "PUT", "items", {"items": rows})
    page.driver.set_script_timeout(60)
    sign_in(page, server)
    page.find("#phrase").send_keys(PHRASE)
    figures = {}
    unlock = "document.querySelector('#unlock-form').requestSubmit()"
    figures["unlock → first paint"] = timed(page, unlock, "document.querySelector('#groups li.item')")
    figures["… of which the fetchall request"] = page.script(
        "return performance.getEntriesByType('resource').filter((e) => e.name.includes('fetchall')).pop().duration"
    )
    marks = page.script(
        "return Object.fromEntries(performance.getEntriesByType('mark')"
        ".filter((m) => m.name.startsWith('opp:')).map((m) => [m.name, m.startTime]))"
    )
    # The server's part ends when the answer is parsed; the page's part is the rest, up to the paint.
    figures["… request sent → answer parsed"] = marks["opp:fetched"] - marks["opp:unlock"]
    figures["… the page's part (parsed → paint)"] = (
        figures["unlock → first paint"] - figures["… request sent → answer parsed"]
    )
    figures["…… of which cards built (renderVault)"] = marks["opp:rendered"] - marks["opp:fetched"]
    figures["…… of which search, status, codes"] = marks["opp:drawn"] - marks["opp:rendered"]
    figures["… → every card drawn"] = timed(
        page, "", f"document.querySelectorAll('#groups li.item').length === {ITEMS}"
    )
    figures["worst keystroke (handler + frame)"] = keystrokes(page, "site 199")
    figures["search shown after the pause"] = timed(
        page, "", "document.querySelector('#search-status').textContent.startsWith('10 matching')"
    )
    clear = (
        f"{SEARCH}.value = ''; {SEARCH}.dispatchEvent(new Event('input')); "
        f"{SEARCH}.dispatchEvent(new KeyboardEvent('keydown', {{key: 'Enter'}}))"
    )
    figures["clear search (Enter)"] = timed(page, clear, "!document.querySelector('#search-status').textContent")
    page.press(button_in(page, card_of(page, "Site 0007"), "Edit Site 0007"))
    page.type("#item-name", "Site 0007 renamed")
    save = "document.querySelector('#item-form').requestSubmit()"
    figures["edit-save round trip"] = timed(
        page, save, "[...document.querySelectorAll('#groups h3')].some((h) => h.textContent === 'Site 0007 renamed')"
    )
    print(f"\nThe page with {ITEMS} items in {CATEGORIES} categories, in ms:")
    for name, value in figures.items():
        print(f"  {name:36} {value:8.1f}")
    assert page.console_errors() == []
