"""The WSGI application: Bottle glue between the URL map and the handlers."""

import json
import logging
import time

import bottle

from . import errors, guards
from .call import Call, WsgiHeaders
from .db import Busy, Unavailable
from .errors import ApiError
from .middleware import with_security_headers
from .payload import check_content_type
from .routes import API_PREFIXES, ROUTES
from .services import Services

log = logging.getLogger(__name__)

# An atomic handler that lost a lock race (MySQL deadlock, SQLite busy past its
# timeout) was rolled back whole, so it is run again before the client hears of it.
BUSY_ATTEMPTS = 3

BOTTLE_ERRORS = {
    404: ("Not Found", "The requested URL was not found on the server."),
    405: ("Method Not Allowed", "The method is not allowed for the requested URL."),
    500: ("Internal Server Error", "The server could not complete the request."),
}


def make_app(config, clock=time.time):
    """A fresh WSGI app for `config`; creates the database schema if it is missing."""
    services = Services.build(config, clock)
    app = bottle.Bottle(catchall=True)
    app.services = services
    for route in ROUTES:
        for prefix in API_PREFIXES:
            app.route(prefix + route.path, route.method, endpoint(services, route))
    app.default_error_handler = bottle_error
    wsgi = with_security_headers(app)
    wsgi.services = services
    return wsgi


def endpoint(services, route):
    """The Bottle callback for one route: checks in the contract's order, then the handler."""

    def answer():
        request = bottle.request
        for attempt in range(1, BUSY_ATTEMPTS + 1):
            try:
                return attempt_once()
            except Busy as error:
                if not route.atomic or attempt == BUSY_ATTEMPTS:
                    return unavailable(route, request, error)
                log.info("retrying %s %s after a lock conflict: %s", route.method, request.path, error)

    def attempt_once():
        request = bottle.request
        try:
            with services.db.connect() as conn:
                call = Call(
                    services,
                    conn,
                    WsgiHeaders(request.environ),
                    query=dict(request.query.decode()),
                    client=request.environ.get("REMOTE_ADDR", ""),
                )
                if route.token:
                    guards.authenticate(call)
                if route.body:
                    check_content_type(request.content_type, route.auth_style)
                    call.body = request.body.read()
                if route.phrase:
                    guards.unlock(call)
                if route.atomic:
                    with conn.transaction(write=route.method != "GET"):
                        return route.handler(call)
                return route.handler(call)
        except ApiError as error:
            return error_answer(error)
        except Busy:
            raise
        except Unavailable as error:
            return unavailable(route, request, error)
        except Exception:
            log.exception("unhandled error in %s %s", route.method, request.path)
            return error_answer(ApiError(500, *BOTTLE_ERRORS[500]))

    answer.__name__ = f"{route.method.lower()}_{route.handler.__name__}"
    return answer


def unavailable(route, request, error):
    log.warning("database unavailable during %s %s: %s", route.method, request.path, error)
    return error_answer(ApiError(503, errors.DATABASE_UNAVAILABLE, "Try again shortly."))


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
    return json.dumps(ApiError(status, error, description).body())
