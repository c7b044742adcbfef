"""Which items belong to a web page: URLs read as sites, and each item's match rule.

An item's `match` rule says how close a page must be to the item's url:

- `domain` (the default): the same registrable domain under the Public
  Suffix List (`a.example.co.uk` and `b.example.co.uk`, never
  `user1.github.io` and `user2.github.io`);
- `host`: the same host;
- `exact`: the same origin, the page's path starting with the item's;
- `never`: offered for no page.

Hosts compare after IDNA and lower-casing; an item url without a scheme means
https://. An https item is never offered to an http page. IP addresses and
localhost have no registrable domain: they match only the same host and port.

The list comes from `publicsuffixlist`, which bundles it: nothing is fetched
while the server runs, and a release of the package brings a newer list.
"""

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

RULES = ("domain", "host", "exact", "never")
DEFAULT_RULE = "domain"
# How close a page is to an item, best first: the order of an answer.
CLOSENESS = ("exact", "host", "domain")
# What each rule lets count as a match: the closeness levels it allows.
ALLOWED = {"domain": CLOSENESS, "host": ("exact", "host"), "exact": ("exact",), "never": ()}
WEB_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}

_suffixes = PublicSuffixList()
# A host name after IDNA: labels of letters, digits, hyphens (and the underscores some intranets use).
_HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*")


@dataclass(frozen=True)
class Address:
    """A URL as matching reads it: scheme, ASCII lower-case host, port, path, and the host's site."""

    scheme: str
    host: str
    port: int
    path: str
    site: str  # the registrable domain; the host itself when it has none (an IP, localhost, a public suffix)
    literal: bool  # an IP address or localhost: matches only the same host and port


def page_address(url):
    """The Address of a page's URL; None when it is no http(s) URL with a host."""
    if not isinstance(url, str):
        return None
    return _address(url.strip())


def item_address(url):
    """The Address of an item's url (no scheme means https://); None when it names no web site."""
    url = url.strip()
    if not url:
        return None
    if "://" not in url:
        url = "https://" + url
    return _address(url)


def site_of(url):
    """The site an item's url belongs to ("" for none): what its domain tag is made from."""
    address = item_address(url)
    return "" if address is None else address.site


def closeness(page, item, rule):
    """How the item's Address matches the page's under `rule`: "exact", "host", "domain" or None."""
    if item is None or not ALLOWED.get(rule):
        return None
    if item.scheme == "https" and page.scheme == "http":
        return None
    same_origin = (page.scheme, page.host, page.port) == (item.scheme, item.host, item.port)
    if same_origin and page.path.startswith(item.path):
        found = "exact"
    elif page.literal or item.literal:
        found = "host" if (page.host, page.port) == (item.host, item.port) else None
    elif page.host == item.host:
        found = "host"
    elif page.site == item.site:
        found = "domain"
    else:
        found = None
    return found if found in ALLOWED[rule] else None


def best_first(matches):
    """(closeness, item) pairs sorted as answered: exact, host, domain; favourites first; then by name."""
    return sorted(
        matches,
        key=lambda pair: (CLOSENESS.index(pair[0]), not pair[1]["favorite"], pair[1]["name"].casefold(), pair[1]["id"]),
    )


def _address(url):
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port out of range or not a number, a broken IPv6 literal
        return None
    if "\\" in parts.netloc:
        # Browsers read a backslash in an http(s) address as "/", so in `https://evil.example\@bank.example/`
        # they go to evil.example, where urlsplit finds bank.example. Such an address names no site here.
        return None
    scheme = parts.scheme.lower()
    host = _ascii_host(parts.hostname or "")
    if scheme not in WEB_SCHEMES or not host:
        return None
    literal = _is_literal(host)
    return Address(
        scheme=scheme,
        host=host,
        port=DEFAULT_PORTS[scheme] if port is None else port,
        path=parts.path or "/",
        site=host if literal else _site(host),
        literal=literal,
    )


def _ascii_host(host):
    """The host in its ASCII (IDNA) form, lower-case, without a final dot; "" when it is not a valid name."""
    host = host.rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host.lower()
    except ValueError:
        pass
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:  # an empty or over-long label, a character IDNA refuses
        return ""
    return host if _HOST_NAME.fullmatch(host) else ""


def _is_literal(host):
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=4096)
def _site(host):
    # A host that is itself a public suffix (github.io, an unknown one-label name) is its own site.
    return _suffixes.privatesuffix(host) or host
