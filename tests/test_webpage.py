"""Same-origin web front ends: a single-page app at /, the API always first."""

from pathlib import Path

import pytest
import webtest

from live import LiveServer, write_config
from live import request as http_request
from oppmini import config as settings
from oppmini.web import app as app_module
from oppmini.web.app import make_app, page_file
from oppmini.web.middleware import CSP, SECURITY_HEADERS, STRICT_POLICY

INDEX = "<!doctype html><title>front end</title>"
NOT_FOUND = {"status_code": 404, "error": "Not Found", "description": "The requested URL was not found on the server."}
# A single-page app shaped like an Angular build (see its README).
SPA = Path(__file__).resolve().parent / "spa"


@pytest.fixture
def site(tmp_path):
    folder = tmp_path / "site"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text(INDEX, encoding="utf-8")
    (folder / "main.js").write_text("console.log('main');", encoding="utf-8")
    (folder / "assets" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (folder / ".env").write_text("SECRET=1", encoding="utf-8")
    # Files named like API paths must never shadow the API.
    (folder / "v1").mkdir()
    (folder / "v1" / "health").write_text("shadow", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("outside", encoding="utf-8")
    (folder / "link.txt").symlink_to(tmp_path / "outside.txt")
    return folder


@pytest.fixture
def web(config, clock, site):
    return webtest.TestApp(make_app(config.replace(static_folder=str(site)), clock=clock))


def test_files_are_served_as_they_are(web):
    answer = web.get("/main.js")
    assert answer.text == "console.log('main');" and "javascript" in answer.content_type
    assert web.get("/assets/logo.svg").content_type == "image/svg+xml"
    assert web.head("/main.js").status_int == 200


@pytest.mark.parametrize(
    "path", ["/", "/vault", "/vault/items/3", "/your/secrets", "/assets", "/assets/", "/api", "/v1x/health", "/.env"]
)
def test_any_other_path_is_the_index(web, path):
    answer = web.get(path)
    assert answer.text == INDEX and answer.content_type == "text/html"
    assert answer.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/missing.js", "/your/main.js", "/styles.css", "/assets/gone.png", "/link.txt"])
def test_a_missing_file_is_a_json_404_not_the_index(web, path):
    assert web.get(path, status=404).json == NOT_FOUND


@pytest.mark.parametrize("path", ["/missing.js", "/your/app.js", "/style.css.map"])
def test_the_built_in_page_answers_a_missing_file_with_404_too(config, clock, path):
    web = webtest.TestApp(make_app(config, clock=clock))
    assert web.get(path, status=404).json == NOT_FOUND
    assert web.get("/your/secrets").text == web.get("/").text


def test_api_paths_always_win(web):
    assert web.get("/v1/health").json["status"] == "OpenPassPhrase service is running"
    for path in ("/v1", "/v1/", "/v1/main.js", "/api/v1/index.html", "/api/v1/nothing"):
        answer = web.get(path, status=404)
        assert answer.json["error"] == "Not Found"
    answer = web.get("/v1/auth", status=405)
    assert set(answer.headers["Allow"].split(",")) == {"POST", "DELETE"}


def test_the_page_answers_only_reads(web):
    answer = web.post_json("/", {"a": 1}, status=405)
    assert answer.json["status_code"] == 405


def test_nothing_outside_the_folder_is_reachable(site):
    # Named like files: not found. Anything else: the page's own index.
    for path in ("../outside.txt", "/../outside.txt", "assets/../../outside.txt", "link.txt"):
        assert page_file(site.resolve(), path) is None
    for path in ("//etc/passwd", "a\x00b", ".env", "assets"):
        assert page_file(site.resolve(), path) == "index.html"
    assert page_file(site.resolve(), "assets/logo.svg") == "assets/logo.svg"


def test_traversal_over_http_reaches_nothing_outside(web):
    for path in ("/../outside.txt", "/assets/../../outside.txt", "/%2e%2e/outside.txt"):
        assert web.get(path, status=404).json == NOT_FOUND


def test_without_static_folder_the_built_in_page_is_served(config, clock, site, monkeypatch):
    monkeypatch.setattr(app_module, "BUILT_IN_PAGE", site)
    web = webtest.TestApp(make_app(config, clock=clock))
    assert web.get("/anything").text == INDEX


def test_without_any_page_other_paths_are_json_404s(config, clock, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(app_module, "BUILT_IN_PAGE", tmp_path / "none")
    web = webtest.TestApp(make_app(config, clock=clock))
    assert web.get("/", status=404).json["error"] == "Not Found"
    web = webtest.TestApp(make_app(config.replace(static_folder=str(tmp_path / "gone")), clock=clock))
    assert web.get("/page", status=404).json["status_code"] == 404
    assert "is not a folder" in caplog.text


# ---- Content-Security-Policy: oppmini's strict one, except for another app's files.


def assert_security_headers(headers, policy):
    for name, value in SECURITY_HEADERS:
        assert headers[name] == value, name
    assert headers.get(CSP) == policy


def test_a_static_folder_app_gets_the_security_headers_but_no_policy(web):
    for path in ("/", "/main.js", "/assets/logo.svg", "/your/secrets"):
        assert_security_headers(web.get(path).headers, None)


def test_the_api_and_every_error_keep_the_strict_policy_beside_a_static_folder_app(web):
    assert_security_headers(web.get("/v1/health").headers, STRICT_POLICY)
    assert_security_headers(web.get("/api/v1/nothing", status=404).headers, STRICT_POLICY)
    assert_security_headers(web.get("/missing.js", status=404).headers, STRICT_POLICY)
    assert_security_headers(web.post("/", status=405).headers, STRICT_POLICY)


def test_static_csp_is_the_policy_of_the_static_folder_app(config, clock, site):
    policy = "default-src 'self'; style-src 'self' 'unsafe-inline'"
    web = webtest.TestApp(make_app(config.replace(static_folder=str(site), static_csp=policy), clock=clock))
    for path in ("/", "/main.js", "/your/secrets"):
        assert_security_headers(web.get(path).headers, policy)
    assert_security_headers(web.get("/v1/health").headers, STRICT_POLICY)


def test_the_built_in_page_keeps_the_strict_policy_whatever_static_csp_says(config, clock):
    web = webtest.TestApp(make_app(config.replace(static_csp="default-src *"), clock=clock))
    for path in ("/", "/app.js", "/style.css", "/your/secrets"):
        assert_security_headers(web.get(path).headers, STRICT_POLICY)


def test_static_csp_is_one_line_of_printable_ascii():
    policy = "default-src 'self'; script-src 'self' 'unsafe-inline'"
    assert settings.parse({"static_csp": f" {policy} "}).static_csp == policy
    assert settings.parse({"static_csp": ""}).static_csp is None
    for bad in ("default-src 'self'\nX-Injected: 1", "default-src \x00", "style-src 'sha256-é'"):
        with pytest.raises(settings.ConfigError, match="^config 'static_csp': expected one line of printable ASCII$"):
            settings.parse({"static_csp": bad})


# ---- An Angular-shaped app in Chromium: what the strict policy and the index.html fallback broke.

# The README's example static_csp for an Angular build: inline code allowed, nothing from elsewhere.
ANGULAR_CSP = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'"
)


@pytest.fixture(scope="module", params=[None, ANGULAR_CSP], ids=["no static_csp", "static_csp"])
def spa_server(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("spa")
    policy = {"static_csp": request.param} if request.param else {}
    config = write_config(
        folder, db_connect=f"sqlite:///{folder}/opp.db", static_folder=SPA, processes=1, threads=1, **policy
    )
    with LiveServer(config) as server:
        assert http_request("GET", server.url + "/")[1].get(CSP) == request.param
        yield server


def computed(page, selector, prop):
    return page.script("return getComputedStyle(document.querySelector(arguments[0]))[arguments[1]]", selector, prop)


def assert_rendered_at(page, base_url, route):
    """The module script ran and saw `route`, under both the inline style and the stylesheet."""
    page.text_of("#route", route)
    assert computed(page, "body", "backgroundColor") == "rgb(10, 20, 30)"  # the inline <style>
    # The stylesheet applies once its inline onload switches it from print to all.
    page.wait.until(lambda d: computed(page, "#route", "color") == "rgb(200, 100, 0)", "styles.css never applied")
    # Relative links resolve against <base href="/">, wherever the app started.
    assert page.find("#secrets").get_attribute("href") == base_url + "/your/secrets"


def test_an_angular_shaped_app_renders_styled_at_the_root_and_at_a_deep_link(browser, spa_server):
    page = browser
    page.get_console()  # earlier tests' messages are not this one's
    page.driver.get(spa_server.url + "/")
    assert_rendered_at(page, spa_server.url, "/")
    errors = page.console_errors()

    page.click("#secrets")  # the history API: no request to the server
    page.text_of("#route", "/your/secrets")
    page.driver.refresh()  # now the server is asked for the deep link
    assert_rendered_at(page, spa_server.url, "/your/secrets")
    errors += page.console_errors()

    page.driver.get(spa_server.url + "/your/secrets/")
    assert_rendered_at(page, spa_server.url, "/your/secrets/")
    errors += page.console_errors()
    # Content Security Policy refusals, a script refused as text/html: none of it.
    assert errors == []
    # Nor does the browser's burst of parallel requests make the server warn.
    assert " WARNING " not in spa_server.log()
