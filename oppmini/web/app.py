"""The WSGI application: Bottle glue between the URL map and the handlers."""

import json
import logging
import time
from pathlib import Path, PurePosixPath

import bottle

from ..contract import errors, jsonbytes
from ..contract.errors import ApiError
from ..contract.payload import StreamedBody, check_content_type, read_body
from ..metrics import ROUTE_KEY, UNMATCHED, WEB_PAGE
from ..seal.crypto import KdfBusy
from ..services import Services
from ..store.db import Busy, TooLarge, Unavailable, pause_after_conflict
from . import guards
from .call import Call, Download, FileStream, Tagged, WsgiHeaders
from .middleware import (
    CSP,
    STRICT_POLICY,
    with_access_log,
    with_content_policy,
    with_metrics_page,
    with_prefix_slash,
    with_request_metrics,
    with_security_headers,
    with_utf8_request,
)
from .proxy import client_address, honour_proxies
from .routes import API_PREFIXES, METRICS_PATH, ROUTES

log = logging.getLogger(__name__)

# An atomic handler that lost a lock race (MySQL deadlock, a transaction that
# failed certification on a Galera cluster, SQLite busy past its timeout) was
# rolled back whole, so it is run again, in a new transaction after a random
# pause, before the client hears of it: 503 with Retry-After after the last
# (the pauses add up to 0.6 s at most).
BUSY_ATTEMPTS = 6

# The built-in web page, served at / when config `static_folder` names no other.
BUILT_IN_PAGE = Path(__file__).resolve().parent / "static"

BOTTLE_ERRORS = {
    404: ("Not Found", "The requested URL was not found on the server."),
    405: ("Method Not Allowed", "The method is not allowed for the requested URL."),
    500: ("Internal Server Error", "The server could not complete the request."),
}


def make_app(config, clock=time.time):
    """A fresh WSGI app for `config`; creates the database schema if it is missing."""
    services = Services.build(config, clock)
    api = bottle.Bottle(catchall=True)
    # A handler's dict is written by jsonbytes.dumps (orjson) in place of Bottle's json.dumps.
    api.uninstall(bottle.JSONPlugin)
    api.install(bottle.JSONPlugin(jsonbytes.dumps))
    for route in ROUTES:
        for prefix in API_PREFIXES:
            api.route(prefix + route.path, route.method, endpoint(services, route))
    api.default_error_handler = bottle_error
    api = with_content_policy(api, STRICT_POLICY)
    page_folder = web_page_folder(config)
    page = with_content_policy(web_page(page_folder), page_policy(config)) if page_folder else api
    routed = with_metrics_page(by_prefix(api, page), services.metrics, config.metrics_token, METRICS_PATH)
    # Outermost: the security headers, the access log and the app see the
    # scheme and client address behind trusted proxies.
    checked = with_security_headers(with_utf8_request(with_prefix_slash(routed)))
    logged = with_access_log(with_request_metrics(checked, services.metrics), config.trusted_proxies)
    wsgi = honour_proxies(logged, config.trusted_proxies)
    wsgi.services = services
    return wsgi


def by_prefix(api, page):
    """API paths to the API, whatever files the web page has; every other path to the page."""

    def dispatch(environ, start_response):
        path = environ.get("PATH_INFO", "")
        is_api = any(path == prefix or path.startswith(prefix + "/") for prefix in API_PREFIXES)
        # The route's name for the figures; an API route found renames it (endpoint below).
        environ[ROUTE_KEY] = UNMATCHED if is_api else WEB_PAGE
        return (api if is_api else page)(environ, start_response)

    return dispatch


def web_page_folder(config):
    """The single-page app to serve: config `static_folder`, else the built-in page, else none."""
    if config.static_folder:
        folder = Path(config.static_folder).resolve()
        if folder.is_dir():
            return folder
        log.warning("static_folder %s is not a folder; no web page is served", folder)
        return None
    return BUILT_IN_PAGE if BUILT_IN_PAGE.is_dir() else None


def page_policy(config):
    """The web page's Content-Security-Policy: the strict one for oppmini's own page.

    Another app (config static_folder) is served under config static_csp, by
    default none: its own <meta> policy applies. The strict policy would block
    what an Angular build needs: inline styles, an inline onload, <base href>.
    """
    return config.static_csp if config.static_folder else STRICT_POLICY


def web_page(folder):
    """A single-page app: its files as they are, 404 for a file it lacks, index.html for any other path."""
    page = bottle.Bottle(catchall=True)
    page.default_error_handler = bottle_error

    def serve(path=""):
        name = page_file(folder, path)
        if name is None:
            # index.html in place of a missing script is refused as the wrong
            # type and leaves a blank page; a 404 names the broken reference.
            bottle.abort(404)
        return bottle.static_file(name, root=str(folder))

    page.route("/", "GET", serve)
    page.route("/<path:path>", "GET", serve)
    return page


def page_file(folder, path):
    """`path` relative to `folder` when it names a visible file inside it.

    Else None when `path` names a file (its last part has an extension, such as
    .js or .png), and index.html for any other path: the app's own routes.
    """
    try:
        candidate = (folder / path.lstrip("/")).resolve()
        inside = candidate.relative_to(folder)
        # Links out of the folder, dotfiles and folders are not served as files.
        if candidate.is_file() and not any(part.startswith(".") for part in inside.parts):
            return str(inside)
    except (ValueError, OSError):
        pass
    return None if PurePosixPath(path).suffix else "index.html"


def endpoint(services, route):
    """The Bottle callback for one route: checks in the contract's order, then the handler."""

    def answer(**path):
        request = bottle.request
        request.environ[ROUTE_KEY] = label
        for attempt in range(1, BUSY_ATTEMPTS + 1):
            try:
                return attempt_once(path)
            except Busy as error:
                services.metrics.database_error("lock conflict")
                # A streamed body was read as it went: there is none left to run again with.
                if not route.atomic or route.stream or attempt == BUSY_ATTEMPTS:
                    return unavailable(route, request, error)
                log.info("retrying %s %s after a lock conflict: %s", route.method, request.path, error)
                pause_after_conflict(attempt)

    def attempt_once(path):
        request = bottle.request
        limit = services.config.max_body_bytes
        try:
            with services.db.connect(keep=True, causal=route.causal) as conn:
                call = Call(
                    services,
                    conn,
                    WsgiHeaders(request.environ),
                    query=dict(request.query.decode()),
                    path=path,
                    client=client_address(request.environ, services.config.trusted_proxies),
                )
                if route.token:
                    guards.authenticate(call)
                if route.body:
                    check_content_type(request.content_type, route.auth_style)
                    call.body = read_body(request.environ, limit)
                if route.upload:
                    call.body = read_body(request.environ, services.config.max_import_bytes)
                if route.stream:
                    call.upload = StreamedBody(request.environ)
                if route.phrase:
                    guards.unlock(call)
                if route.counted:
                    route.counted(call)
                if route.atomic:
                    with conn.transaction(write=route.method != "GET"):
                        return as_answer(route.handler(call))
                return as_answer(route.handler(call))
        except ApiError as error:
            return error_answer(error)
        except KdfBusy:
            log.warning("every key-derivation slot busy during %s %s", route.method, request.path)
            return error_answer(ApiError(503, errors.SERVER_BUSY, errors.SERVER_BUSY_DETAIL, {"Retry-After": "1"}))
        except Busy:
            raise
        except TooLarge:
            log.warning("a transaction of %s %s was over the cluster's wsrep_max_ws_size", route.method, request.path)
            return error_answer(ApiError(413, errors.PAYLOAD_TOO_LARGE, errors.WRITESET_TOO_LARGE))
        except Unavailable as error:
            services.metrics.database_error("unavailable")
            return unavailable(route, request, error)
        except Exception:
            log.exception("unhandled error in %s %s", route.method, request.path)
            return error_answer(ApiError(500, *BOTTLE_ERRORS[500]))

    label = f"{route.method} {API_PREFIXES[0]}{route.path}"
    answer.__name__ = f"{route.method.lower()}_{route.handler.__name__}"
    return answer


def as_answer(result):
    """A handler's dict as it is (Bottle writes it as JSON); a Download or FileStream as a file to save;
    a Tagged answer with its ETag, or 304 and no body when the client holds it already."""
    response = bottle.response
    if isinstance(result, Tagged):
        response.set_header("ETag", result.etag)
        if result.answer is None:
            response.status = 304
            return b""
        return result.answer
    if isinstance(result, FileStream):
        chunks = result.started()  # before any header: a damaged file is still an error answer
        response.content_type = result.media_type
        response.set_header("Content-Length", str(result.size))
        response.set_header("Content-Disposition", result.disposition())
        return chunks
    if not isinstance(result, Download):
        return result
    response.content_type = result.media_type
    response.set_header("Content-Disposition", f'attachment; filename="{result.filename}"')
    return result.body


def unavailable(route, request, error):
    log.warning("database unavailable during %s %s: %s", route.method, request.path, error)
    return error_answer(ApiError(503, errors.DATABASE_UNAVAILABLE, "Try again shortly.", {"Retry-After": "1"}))


def error_answer(error):
    response = bottle.response
    response.status = error.status
    for name, value in error.headers.items():
        response.set_header(name, value)
    return error.body()


def bottle_error(http_error):
    """Bottle's own 404, 405 and 500 as the contract's JSON error body."""
    status = http_error.status_code
    error, description = BOTTLE_ERRORS.get(status, (http_error.status_line.partition(" ")[2], ""))
    bottle.response.content_type = "application/json"
    # An error is never a page of the web app: the strict policy, whatever the app's.
    bottle.response.set_header(CSP, STRICT_POLICY)
    return json.dumps(ApiError(status, error, description).body())
