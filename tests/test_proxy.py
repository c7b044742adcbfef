"""Client address and scheme behind reverse proxies, and the API under a path prefix."""

import bottle
import pytest
import webtest

from oppmini import config as settings
from oppmini.config import parse_networks
from oppmini.web import app as app_module
from oppmini.web.app import make_app
from oppmini.web.proxy import client_address, client_scheme
from oppmini.web.routes import Route

TRUSTED = parse_networks("127.0.0.1, 10.0.0.0/8, ::1")


def environ(peer, forwarded_for=None, proto=None, scheme="http"):
    env = {"REMOTE_ADDR": peer, "wsgi.url_scheme": scheme}
    if forwarded_for is not None:
        env["HTTP_X_FORWARDED_FOR"] = forwarded_for
    if proto is not None:
        env["HTTP_X_FORWARDED_PROTO"] = proto
    return env


def test_parse_networks_takes_commas_and_spaces():
    assert [str(n) for n in parse_networks(" 127.0.0.1,::1  10.0.0.0/8 ,")] == ["127.0.0.1/32", "::1/128", "10.0.0.0/8"]
    assert parse_networks("") == ()


@pytest.mark.parametrize(
    "value, fault",
    [
        ("10.0.0.1/8", "10.0.0.1/8 has host bits set"),
        ("localhost", "'localhost' does not appear to be an IPv4 or IPv6 network"),
    ],
)
def test_bad_trusted_proxies_name_the_entry(value, fault):
    with pytest.raises(settings.ConfigError) as caught:
        settings.parse({"trusted_proxies": value})
    assert str(caught.value) == f"config 'trusted_proxies': {fault}"


def test_trusted_proxies_default_to_none_and_come_from_the_environment():
    assert settings.parse({}).trusted_proxies == ()
    config = settings.load(None, {"OPP_TRUSTED_PROXIES": "192.0.2.0/24"})
    assert [str(n) for n in config.trusted_proxies] == ["192.0.2.0/24"]


@pytest.mark.parametrize(
    "peer, forwarded_for, client",
    [
        # Nobody trusted: the header is whatever the caller wrote.
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),
        ("127.0.0.1", None, "127.0.0.1"),
        ("127.0.0.1", "198.51.100.1", "198.51.100.1"),
        # The client wrote a forged entry first; the proxy appended the real peer.
        ("127.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        # Through two trusted proxies, the first untrusted address from the right.
        ("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.1.2.3", "198.51.100.1"),
        # Only trusted addresses: the leftmost, which the outermost proxy saw.
        ("127.0.0.1", "10.9.9.9, 10.1.2.3", "10.9.9.9"),
        # Garbage stops the walk at the last address that was checked.
        ("127.0.0.1", "198.51.100.1, not-an-address, 10.1.2.3", "10.1.2.3"),
        ("127.0.0.1", "", "127.0.0.1"),
        # Ports and brackets as some proxies write them; IPv4 seen through IPv6.
        ("127.0.0.1", "198.51.100.1:4711", "198.51.100.1"),
        ("::1", "[2001:db8::7]:443", "2001:db8::7"),
        ("::ffff:127.0.0.1", "198.51.100.1", "198.51.100.1"),
        ("2001:db8::1", "198.51.100.1", "2001:db8::1"),
    ],
)
def test_client_address(peer, forwarded_for, client):
    assert client_address(environ(peer, forwarded_for), TRUSTED) == client


def test_client_address_believes_nothing_with_no_trusted_proxies():
    assert client_address(environ("127.0.0.1", "198.51.100.1"), ()) == "127.0.0.1"


@pytest.mark.parametrize(
    "peer, proto, scheme, expected",
    [
        ("127.0.0.1", "https", "http", "https"),
        ("127.0.0.1", "HTTPS", "http", "https"),
        ("127.0.0.1", "http, https", "http", "https"),  # the value the nearest proxy added
        ("127.0.0.1", "gopher", "http", "http"),
        ("203.0.113.9", "https", "http", "http"),  # forged by an untrusted caller
        ("203.0.113.9", "http", "https", "https"),  # TLS ended at this server itself
        ("127.0.0.1", None, "https", "https"),
    ],
)
def test_client_scheme(peer, proto, scheme, expected):
    assert client_scheme(environ(peer, proto=proto, scheme=scheme), TRUSTED) == expected


@pytest.fixture
def proxied(config, clock):
    return webtest.TestApp(make_app(config.replace(trusted_proxies=parse_networks("127.0.0.1")), clock=clock))


def test_hsts_only_when_the_client_used_https(proxied):
    hsts = "Strict-Transport-Security"
    from_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    answer = proxied.get("/v1/health", headers={"X-Forwarded-Proto": "https"}, extra_environ=from_proxy)
    assert answer.headers[hsts] == "max-age=31536000"
    assert hsts not in proxied.get("/v1/health", extra_environ=from_proxy).headers
    forged = {"REMOTE_ADDR": "203.0.113.9"}
    assert hsts not in proxied.get("/v1/health", headers={"X-Forwarded-Proto": "https"}, extra_environ=forged).headers
    direct_tls = {"REMOTE_ADDR": "203.0.113.9", "wsgi.url_scheme": "https"}
    assert proxied.get("/v1/health", extra_environ=direct_tls).headers[hsts] == "max-age=31536000"


def seen_by_handler(monkeypatch, config, clock):
    """An app with one extra route answering what its handler was told about the request."""

    def echo(call):
        return {"client": call.client}

    monkeypatch.setattr(app_module, "ROUTES", (*app_module.ROUTES, Route("GET", "/echo", echo)))
    return webtest.TestApp(make_app(config, clock=clock))


def test_handlers_see_the_client_behind_a_trusted_proxy(monkeypatch, config, clock):
    client = seen_by_handler(monkeypatch, config.replace(trusted_proxies=parse_networks("127.0.0.1")), clock)
    headers = {"X-Forwarded-For": "6.6.6.6, 198.51.100.1"}
    assert client.get("/v1/echo", headers=headers, extra_environ={"REMOTE_ADDR": "127.0.0.1"}).json == {
        "client": "198.51.100.1"
    }
    assert client.get("/v1/echo", headers=headers, extra_environ={"REMOTE_ADDR": "203.0.113.9"}).json == {
        "client": "203.0.113.9"
    }


def with_where_route(monkeypatch, config, clock, **environ):
    """An app with one extra route answering the URL Bottle believes it was called at."""

    def where(call):
        return {"url": bottle.request.url}

    monkeypatch.setattr(app_module, "ROUTES", (*app_module.ROUTES, Route("GET", "/where", where)))
    return webtest.TestApp(make_app(config, clock=clock), extra_environ=environ)


def test_forwarding_headers_from_untrusted_callers_never_reach_bottle(monkeypatch, config, clock):
    client = with_where_route(monkeypatch, config, clock, REMOTE_ADDR="203.0.113.9")
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    assert client.get("/v1/where", headers=forged).json == {"url": "http://localhost:80/v1/where"}


def test_api_under_a_path_prefix(monkeypatch, config, clock):
    # What Apache hands over for WSGIScriptAlias /opp and a request to /opp/v1/...
    client = with_where_route(monkeypatch, config, clock, SCRIPT_NAME="/opp")
    client.put_json("/v1/user", {"username": "alice", "password": "pw", "phrase": "phrase one"})
    assert client.post_json("/api/v1/auth", {"username": "alice", "password": "pw"}).json["access_token"]
    assert client.get("/v1/nothing", status=404).json["error"] == "Not Found"
    # Links built from the request keep the prefix.
    assert client.get("/v1/where").json == {"url": "http://localhost:80/opp/v1/where"}


def test_the_bare_prefix_redirects_inside_it(client):
    # /opp/ and not /opp, so that the web page's relative links stay under /opp/.
    for script_name, query, location in [("/opp", "", "/opp/"), ("/my opp", "a=1", "/my%20opp/?a=1")]:
        environ = {"SCRIPT_NAME": script_name, "PATH_INFO": ""}
        answer = client.get("/?" + query if query else "/", extra_environ=environ, status=301)
        assert answer.headers["Location"] == location
        assert answer.headers["Cache-Control"] == "no-store"
