"""WSGI wrappers around the app: security headers and policy, the access log, the prefix redirect."""

import json
import logging
import re
import time
from http import HTTPStatus
from urllib.parse import quote, unquote_to_bytes

from ..contract import errors
from ..contract.errors import ApiError, bad_request
from ..metrics import MULTIPROC_VARIABLE, ROUTE_KEY, UNMATCHED, bearer_matches
from .accesslog import direct_writer
from .proxy import client_address

access_log = logging.getLogger("oppmini.access")
# Longest path written to the access log; the rest is cut.
MAX_LOGGED_PATH = 200

# Every answer, the API's and any web page's alike.
SECURITY_HEADERS = (
    # Vault contents must never sit in a browser or proxy cache.
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)
CSP = "Content-Security-Policy"
# The API's and oppmini's own page's policy: nothing inline, nothing from elsewhere.
# Another web app (config static_folder) brings its own, see app.page_policy.
STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def with_security_headers(app):
    """Add the security headers to every response that does not set its own."""
    return _with_headers(app, SECURITY_HEADERS)


def with_content_policy(app, policy):
    """Add `policy` as the Content-Security-Policy of responses that set none; None adds nothing."""
    return app if policy is None else _with_headers(app, ((CSP, policy),))


def _with_headers(app, defaults):
    def wrapped(environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            extra = [(name, value) for name, value in defaults if name.lower() not in present]
            return start_response(status, headers + extra, exc_info)

        return app(environ, start)

    return wrapped


def with_access_log(app, trusted_proxies=(), clock=time.monotonic):
    """One log line per request: client, method, path, status, duration.

    Never headers, bodies or the query string, where secrets travel.
    """

    def wrapped(environ, start_response):
        started = clock()
        statuses = []

        def start(status, headers, exc_info=None):
            statuses.append(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        try:
            return app(environ, start)
        finally:
            # The arguments cost more than the check: build them only for a line that is written.
            writer = direct_writer(access_log)
            if writer is not None:
                writer.write_message(_access_line(environ, trusted_proxies, statuses, clock() - started))
            elif access_log.isEnabledFor(logging.INFO):
                access_log.info("%s", _access_line(environ, trusted_proxies, statuses, clock() - started))

    return wrapped


def with_request_metrics(app, metrics):
    """Count and time every request by the route it took and its status; `app` itself when metrics are off."""
    if not metrics.enabled:
        return app

    def wrapped(environ, start_response):
        started = time.perf_counter()
        statuses = []

        def start(status, headers, exc_info=None):
            statuses.append(status[:3])
            return start_response(status, headers, exc_info)

        try:
            return app(environ, start)
        finally:
            route = environ.get(ROUTE_KEY, UNMATCHED)
            metrics.request(route, statuses[-1] if statuses else "-", time.perf_counter() - started)

    return wrapped


def with_metrics_page(app, metrics, token, path):
    """Answer GET `path` with every process's figures to the bearer of `token`; `app` itself when metrics are off."""
    if not metrics.enabled:
        return app

    def wrapped(environ, start_response):
        if environ.get("PATH_INFO") != path:
            return app(environ, start_response)
        environ[ROUTE_KEY] = f"GET {path}"
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _json_error(
                start_response,
                ApiError(405, "Method Not Allowed", "The method is not allowed for the requested URL."),
                [("Allow", "GET, HEAD")],
            )
        if not bearer_matches(environ.get("HTTP_AUTHORIZATION"), token):
            return _json_error(
                start_response,
                ApiError(401, errors.AUTH_REQUIRED, errors.METRICS_TOKEN),
                [("WWW-Authenticate", 'Bearer realm="metrics"')],
            )
        if environ.get("wsgi.multiprocess") and not metrics.multiprocess:
            # One worker's figures of several would pass for the whole server's.
            return _json_error(
                start_response,
                ApiError(
                    503, errors.METRICS_UNAVAILABLE, errors.METRICS_ONE_PROCESS.format(variable=MULTIPROC_VARIABLE)
                ),
            )
        content_type, body = metrics.exposition()
        start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]

    return wrapped


def _json_error(start_response, error, headers=()):
    """`error` as the contract's JSON body, outside Bottle."""
    body = json.dumps(error.body()).encode()
    # An error is never a page of the web app: the strict policy, as bottle_error sends.
    start_response(
        f"{error.status} {HTTPStatus(error.status).phrase}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body))), (CSP, STRICT_POLICY), *headers],
    )
    return [body]


def _access_line(environ, trusted_proxies, statuses, seconds):
    client = client_address(environ, trusted_proxies) or "-"
    method = printable(environ.get("REQUEST_METHOD", ""))[:16]
    path = printable(environ.get("PATH_INFO", ""))[:MAX_LOGGED_PATH]
    return f"{client} {method} {path} {statuses[-1] if statuses else '-'} {seconds * 1000:.1f}ms"


# What printable() leaves as it is; most paths hold nothing else.
LOG_SAFE = "/:@!$&'()*+,;=-._~"
_ALREADY_PRINTABLE = re.compile(r"[A-Za-z0-9" + re.escape(LOG_SAFE) + r"]*")


def printable(text):
    """`text` (WSGI's latin-1) percent-escaped, so no client can forge a log line."""
    if _ALREADY_PRINTABLE.fullmatch(text):
        return text  # nothing to escape; the check costs a tenth of quote()
    return quote(text.encode("latin-1", "replace"), safe=LOG_SAFE)


def with_prefix_slash(app):
    """Under a path prefix, answer /opp with a redirect to /opp/.

    The web page's links are relative, so that it works wherever it is mounted;
    from /opp they would resolve outside the prefix, from /opp/ inside it.
    """

    def wrapped(environ, start_response):
        prefix = environ.get("SCRIPT_NAME", "")
        if prefix and not environ.get("PATH_INFO"):
            location = quote(prefix.encode("latin-1"), safe="/") + "/"
            if environ.get("QUERY_STRING"):
                location += "?" + environ["QUERY_STRING"]
            start_response("301 Moved Permanently", [("Location", location), ("Content-Length", "0")])
            return [b""]
        return app(environ, start_response)

    return wrapped


def with_utf8_request(app):
    """Answer 400 to a path or query string that is not UTF-8, before anything decodes it.

    Bottle would drop the bad bytes of a path (/v1/he%ffalth answered as
    /v1/health) and fail on those of a query string with a 500.
    """

    def wrapped(environ, start_response):
        problem = _not_utf8(environ)
        if problem is None:
            return app(environ, start_response)
        return _json_error(start_response, bad_request(errors.BAD_REQUEST, problem))

    return wrapped


def _not_utf8(environ):
    """Which of path and query string is not UTF-8, or None."""
    if not _is_utf8(environ.get("PATH_INFO", "")):
        return errors.PATH_NOT_UTF8
    if not _is_utf8(environ.get("QUERY_STRING", ""), percent_encoded=True):
        return errors.QUERY_NOT_UTF8
    return None


def _is_utf8(text, percent_encoded=False):
    # WSGI hands both as latin-1 strings: the path percent-decoded, the query string not.
    try:
        raw = text.encode("latin-1")
        (unquote_to_bytes(raw) if percent_encoded else raw).decode("utf-8")
    except UnicodeError:
        return False
    return True
