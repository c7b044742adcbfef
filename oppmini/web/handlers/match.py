"""Handler of /v1/match: the caller's items that belong to a web page, best first (browser.md section 1)."""

from ...contract import errors
from ...contract.errors import bad_request
from ...vault import matching
from ...vault.sites import site_items
from . import SUCCESS


def match_items(call):
    """Live items, personal and shared, whose url and match rule fit the page at ?url=; each says how."""
    sent = call.query.get("url")
    if not sent:
        raise bad_request(errors.INVALID_PAGE_URL, "Give the page's address as ?url=.")
    page = matching.page_address(sent)
    if page is None:
        raise bad_request(errors.INVALID_PAGE_URL, "?url= must be an http:// or https:// URL with a host name.")
    found = []
    for item in site_items(call, page.site):
        closeness = matching.closeness(page, matching.item_address(item["url"]), item["match"])
        if closeness is not None:
            found.append((closeness, item))
    return {**SUCCESS, "items": [{**item, "matched": closeness} for closeness, item in matching.best_first(found)]}
