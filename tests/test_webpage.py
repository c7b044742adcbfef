"""Same-origin web front ends: a single-page app at /, the API always first."""

import pytest
import webtest

from oppmini import app as app_module
from oppmini.app import make_app, page_file

INDEX = "<!doctype html><title>front end</title>"


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


@pytest.mark.parametrize("path", ["/", "/vault", "/vault/items/3", "/assets", "/assets/", "/missing.js",
                                  "/api", "/v1x/health", "/.env", "/link.txt"])
def test_any_other_path_is_the_index(web, path):
    answer = web.get(path)
    assert answer.text == INDEX and answer.content_type == "text/html"
    assert answer.headers["X-Frame-Options"] == "DENY"


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
    for path in ("../outside.txt", "/../outside.txt", "assets/../../outside.txt", "//etc/passwd", "link.txt",
                 "a\x00b", ".env", "assets"):
        assert page_file(site.resolve(), path) == "index.html"
    assert page_file(site.resolve(), "assets/logo.svg") == "assets/logo.svg"


def test_traversal_over_http_gets_the_index(web):
    for path in ("/../outside.txt", "/assets/../../outside.txt", "/%2e%2e/outside.txt"):
        assert web.get(path).text == INDEX


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
