"""The match rules (oppmini/vault/matching.py): which item urls belong to which pages, no database needed."""

import pytest

from oppmini.vault import matching

# (page url, item url, rule, expected closeness or None)
CASES = [
    # domain: the registrable domain under the Public Suffix List
    ("https://a.example.co.uk/", "https://b.example.co.uk", "domain", "domain"),
    ("https://example.co.uk/", "https://other.co.uk", "domain", None),
    ("https://user1.github.io/", "https://user2.github.io", "domain", None),
    ("https://user1.github.io/x", "https://user1.github.io/y", "domain", "host"),
    ("https://login.bank.test/", "https://bank.test", "domain", "domain"),
    ("https://bank.test.evil.test/", "https://bank.test", "domain", None),
    ("https://evilbank.test/", "https://bank.test", "domain", None),
    ("https://bank.test@evil.test/", "https://bank.test", "domain", None),  # the host is after the @
    ("https://bank.test:pw@login.bank.test/", "https://bank.test", "domain", "domain"),
    ("https://www.example.com/", "example.com", "domain", "domain"),
    # host: the same host only
    ("https://login.bank.test/", "https://bank.test", "host", None),
    ("https://bank.test/any", "https://bank.test/login", "host", "host"),
    ("https://bank.test:8443/", "https://bank.test", "host", "host"),
    # exact: the same origin and a path prefix
    ("https://bank.test/login?next=1", "https://bank.test/login", "exact", "exact"),
    ("https://bank.test/login/step2", "https://bank.test/login", "exact", "exact"),
    ("https://bank.test/other", "https://bank.test/login", "exact", None),
    ("https://bank.test:8443/login", "https://bank.test/login", "exact", None),
    ("https://www.bank.test/login", "https://bank.test/login", "exact", None),
    ("https://bank.test/", "bank.test", "exact", "exact"),
    # closeness is told even under a looser rule
    ("https://bank.test/login", "https://bank.test/login", "domain", "exact"),
    # never: no page at all
    ("https://bank.test/", "https://bank.test", "never", None),
    # scheme: an https item never goes to an http page; no scheme means https
    ("http://bank.test/", "https://bank.test", "domain", None),
    ("http://bank.test/", "bank.test", "domain", None),
    ("https://bank.test/", "http://bank.test", "domain", "host"),
    ("http://bank.test/", "http://bank.test", "exact", "exact"),
    ("https://bank.test/", "ftp://bank.test", "domain", None),
    ("https://bank.test/", "", "domain", None),
    # IDNA and case
    ("https://bücher.example/", "https://xn--bcher-kva.example/login", "host", "host"),
    ("https://XN--BCHER-KVA.example/", "BÜCHER.example", "exact", "exact"),
    ("https://shop.bücher.example/", "https://xn--bcher-kva.example", "domain", "domain"),
    ("https://BANK.test./", "https://bank.test/login", "host", "host"),
    # IP addresses and localhost: the same host and port, whatever the rule
    ("http://192.168.1.1/", "http://192.168.1.1", "domain", "exact"),
    ("http://192.168.1.1:8080/", "http://192.168.1.1", "domain", None),
    ("http://192.168.1.2/", "http://192.168.1.1", "domain", None),
    ("http://192.168.1.1:8080/admin", "http://192.168.1.1:8080/", "domain", "exact"),
    ("https://192.168.1.1/admin", "http://192.168.1.1:443", "domain", "host"),
    ("http://localhost:3000/", "http://localhost:3000", "domain", "exact"),
    ("http://localhost:3001/", "http://localhost:3000", "domain", None),
    ("http://app.localhost:3000/", "http://localhost:3000", "domain", None),
    ("http://[::1]:3000/", "http://[::1]:3000/", "host", "exact"),
    ("http://[::1]:3001/", "http://[::1]:3000/", "domain", None),
]


@pytest.mark.parametrize(("page_url", "item_url", "rule", "expected"), CASES)
def test_closeness(page_url, item_url, rule, expected):
    page = matching.page_address(page_url)
    assert page is not None
    assert matching.closeness(page, matching.item_address(item_url), rule) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "bank.test",
        "ftp://bank.test/",
        "javascript:alert(1)",
        "https://",
        "https://bank.test:99999/",
        None,
        # A browser reads the backslash as the path's start (host evil.test); urlsplit would take bank.test.
        "https://evil.test\\@bank.test/",
        "https://evil.test\\.bank.test/",
    ],
)
def test_not_a_page(url):
    assert matching.page_address(url) is None


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://a.b.example.co.uk/x", "example.co.uk"),
        ("user1.github.io", "user1.github.io"),
        ("https://github.io", "github.io"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("http://127.0.0.1:8080", "127.0.0.1"),
        ("http://localhost:3000", "localhost"),
        ("not a url at all", ""),
        ("https://bank test/", ""),
        ("", ""),
    ],
)
def test_site_of(url, site):
    assert matching.site_of(url) == site


def test_best_first():
    def item(item_id, name, favorite=False):
        return {"id": item_id, "name": name, "favorite": favorite}

    pairs = [
        ("domain", item(1, "a")),
        ("host", item(2, "b")),
        ("exact", item(3, "z")),
        ("host", item(4, "c", favorite=True)),
        ("exact", item(5, "Y")),
    ]
    assert [found["id"] for _, found in matching.best_first(pairs)] == [5, 3, 4, 2, 1]
