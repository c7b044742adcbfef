"""The waitress server: request limits, and waitress's own error answers in the API's shape."""

import json
import logging

import waitress
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.task import ErrorTask, WSGITask

from ..contract import errors
from ..web.middleware import CSP, SECURITY_HEADERS, STRICT_POLICY

log = logging.getLogger("oppmini.access")


class JsonErrorTask(ErrorTask):
    """Waitress's answer to a request it refuses itself (too large, malformed HTTP).

    The app never sees these requests, so this is where they get the
    contract's JSON error body, the security headers and their access line.
    """

    def execute(self):
        error = self.request.error
        self.status = f"{error.code} {error.reason}"
        if error.code == 413:
            # The app's own wording; waitress's would name its internal limit.
            title, description = errors.PAYLOAD_TOO_LARGE, "The request body is too large"
        else:
            title, description = error.reason, error.body
        body = json.dumps({"status_code": error.code, "error": title, "description": description}).encode()
        self.response_headers.append(("Content-Type", "application/json"))
        self.response_headers.extend(SECURITY_HEADERS)
        self.response_headers.append((CSP, STRICT_POLICY))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)
        client = self.channel.addr[0] if isinstance(self.channel.addr, tuple) else ""
        log.info("%s - - %s (refused by the HTTP server: %s)", client, error.code, error.reason)


class RequestParser(HTTPRequestParser):
    """Waitress's parser, but a Content-Length past int()'s 4300 digits is a 400 like any
    other bad length, not a ValueError that drops the connection unanswered."""

    def parse_header(self, header_plus):
        try:
            super().parse_header(header_plus)
        except ValueError:
            raise ParsingError("Content-Length is invalid") from None


class BodilessKeepAliveTask(WSGITask):
    """Waitress's task, but a 204 or 304 answer keeps the connection open.

    Waitress closes the connection after any HTTP/1.1 answer without a
    Content-Length, and drops that header from answers that have no body, so
    every 304 closed it: an open page's "did anything change?" (GET
    /v1/fetchall with If-None-Match) paid a new connection each time, and
    the 304 path ran at a quarter of W1's rate. These answers have no body by
    definition (RFC 9112, 6.3: their end is the end of the header), so the
    connection can carry the next request, as for any other answer; only the
    close waitress adds for want of a length is taken back, never one the
    client or the app asked for.
    """

    def build_response_header(self):
        closing_anyway = (
            self.close_on_finish
            or self.request.headers.get("CONNECTION", "").lower() == "close"
            or any(name.lower() == "connection" for name, _ in self.response_headers)
        )
        header = super().build_response_header()
        added = ("Connection", "close")
        if self.version == "1.1" and not self.has_body and not closing_anyway and added in self.response_headers:
            self.response_headers.remove(added)
            header = header.replace(b"\r\nConnection: close\r\n", b"\r\n", 1)
            self.close_on_finish = False
        return header


class JsonErrorChannel(HTTPChannel):
    task_class = BodilessKeepAliveTask
    error_task_class = JsonErrorTask
    parser_class = RequestParser


class QueueDepthAtDebug(logging.LoggerAdapter):
    """waitress.queue with its "Task queue depth is N" at DEBUG instead of WARNING.

    A browser opens several connections at once, so with few threads some of
    its requests wait for a thread on every page load: normal use, not a fault.
    A real overload still shows at WARNING: waitress's own "total open
    connections reached the connection limit" (100 per process).
    """

    def warning(self, msg, *args, **kwargs):
        self.debug(msg, *args, **kwargs)


# See create(): what an answer may have waiting for a slow client.
OUTPUT_PENDING_BYTES = 2 * 1024 * 1024


def create(app, config, sock=None):
    """A waitress server for `app` on the configured address, or on `sock` already
    listening (serve.py's processes share one); `run()` it."""
    where = {"sockets": [sock]} if sock is not None else {"host": config.host, "port": config.port}
    server = waitress.create_server(
        app,
        **where,
        threads=config.threads,
        # Bodies are buffered before the app runs: bound them here. Twice the
        # app's largest limit (an import file's or an attachment's) leaves room
        # for chunk framing; the app answers each route's exact limit itself
        # (middleware/payload), waitress only the excess.
        max_request_body_size=2 * max(config.max_body_bytes, config.max_import_bytes, config.max_attachment_bytes) + 1,
        ident="oppmini",
        # An answer's bytes not yet sent that make its thread wait for the
        # client: an attachment streams out in chunks, and waitress's 16 MiB
        # default let a 25 MiB download raise the process's peak memory by 19
        # MiB (tests/test_attachments_live.py). A slow client now holds the
        # thread for what it has not taken of a file past this.
        outbuf_high_watermark=OUTPUT_PENDING_BYTES,
        # Forwarding headers reach the app, which believes them only from config
        # trusted_proxies; waitress would otherwise drop them all.
        clear_untrusted_proxy_headers=False,
    )
    # One listening socket gives one server; several give a map of them.
    listeners = [server] if hasattr(server, "channel_class") else list(server.map.values())
    for listener in listeners:
        listener.channel_class = JsonErrorChannel
    server.task_dispatcher.queue_logger = QueueDepthAtDebug(logging.getLogger("waitress.queue"), {})
    return server
