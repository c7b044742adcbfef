"""HTTP to the server's JSON API with urllib: one request, one parsed answer or one error."""

import http.client
import ipaddress
import json
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request

from .errors import ServerError, SessionError, Unreachable, UsageError

DEFAULT_SERVER = "http://127.0.0.1:8080"
API_PATH = "/api/v1"
TIMEOUT_SECONDS = 60
# Read and written at a time while a file goes to or comes from the server.
COPY_BYTES = 64 * 1024
# The 401 errors of a token the server no longer takes (api-v1.md, Authentication errors).
TOKEN_ERRORS = {"Authorization Required", "Invalid JWT header", "Invalid token", "Invalid JWT"}


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """urllib would resend the token and the passphrase to wherever a redirect points; stop instead."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def normalised_server(url):
    """`url` as a base: scheme and host checked, no trailing slash (a path prefix such as /opp is kept)."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"the server must be an http:// or https:// URL, not {url!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise UsageError("the server URL takes no query, fragment or user name")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def is_local(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Client:
    """Calls to one server, carrying the token and, where asked, the passphrase."""

    def __init__(self, server, token=None, cacert=None):
        self.server = normalised_server(server)
        self.token = token
        if self.server.startswith("http://") and not is_local(self.server):
            print(
                f"opp: warning: {self.server} is plain HTTP: the password, passphrase and token cross the "
                "network unencrypted; use https://",
                file=sys.stderr,
            )
        handlers = [NoRedirects()]
        if self.server.startswith("https://"):
            try:
                context = ssl.create_default_context(cafile=cacert)
            except (OSError, ssl.SSLError) as error:
                raise UsageError(f"cannot load the CA file {cacert}: {error}") from None
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self.opener = urllib.request.build_opener(*handlers)

    def call(self, method, resource, body=None, query=None, phrase=None, upload=None):
        """The JSON answer of `method /api/v1/resource`; ServerError, SessionError or Unreachable otherwise.

        `upload`: bytes sent as they are (a file for POST /import) instead of a JSON `body`.
        """
        status, raw, _ = self._request(method, resource, body, query, phrase, upload)
        return self._parsed(status, raw)

    def send_file(self, resource, stream, length, media_type, query=None, phrase=None):
        """The JSON answer of POST /api/v1/resource with the `length` bytes of `stream` as the body,
        read as they are sent (never whole), declared as `media_type`."""
        headers = {"Content-Type": media_type, "Content-Length": str(length)}
        status, raw, _ = self._request("POST", resource, None, query, phrase, stream, headers)
        return self._parsed(status, raw)

    def save(self, resource, out, query=None, phrase=None):
        """GET /api/v1/resource written to the binary file `out` as it arrives, or, when `out` is a
        function, to the file it opens once given the name the answer offers (its Content-Disposition,
        else ""); the bytes written."""
        return self._request("GET", resource, None, query, phrase, None, into=out)[1]

    def _request(self, method, resource, body, query, phrase, upload, headers=None, into=None):
        """(status, the answer's bytes, its headers); with `into`, the bytes go there as they
        arrive and their count stands in for them."""
        url = f"{self.server}{API_PATH}/{resource}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        headers = {"Accept": "application/json", **(headers or {})}
        if self.token:
            headers["x-opp-jwt"] = self.token
        if phrase is not None:
            # The server reads header values as UTF-8; http.client would encode a str as latin-1.
            headers["x-opp-phrase"] = phrase.encode("utf-8")
        data = upload
        if upload is not None:
            headers.setdefault("Content-Type", "application/octet-stream")
        elif body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                if callable(into):
                    into = into(response.headers.get_filename() or "")
                if into is not None:
                    return response.status, _copy(response, into), response.headers
                return response.status, response.read(), response.headers
        except urllib.error.HTTPError as answer:
            raise self._error(answer) from None
        except urllib.error.URLError as error:
            raise Unreachable(f"cannot reach {self.server}: {_reason(error.reason)}") from None
        # A connection dropped mid-answer, a bad port number, an answer that is not HTTP.
        except (OSError, ValueError, http.client.HTTPException) as error:
            raise Unreachable(f"cannot reach {self.server}: {_reason(error)}") from None

    def _parsed(self, status, raw):
        try:
            return json.loads(raw)
        except ValueError:
            raise ServerError(status, f"HTTP {status}", "the answer is not JSON; is this an oppmini server?") from None

    def _error(self, answer):
        if 300 <= answer.code < 400:
            where = answer.headers.get("Location", "elsewhere")
            return UsageError(f"{self.server} redirects to {where}; give that as --server")
        try:
            body = json.loads(answer.read())
            error, description = str(body["error"]), str(body.get("description") or "")
        except (ValueError, KeyError, TypeError, OSError):
            body, error, description = None, f"HTTP {answer.code}", str(answer.reason or "")
        if answer.code == 401 and self.token and error in TOKEN_ERRORS:
            return SessionError(f"the session is no longer valid ({error}: {description}); run opp login")
        return ServerError(answer.code, error, description, body)


def _copy(response, out):
    """Every byte of `response` into `out`, a piece at a time; how many. An answer that ends before
    its Content-Length is an error (read in pieces, http.client would end it quietly)."""
    copied = 0
    while piece := response.read(COPY_BYTES):
        out.write(piece)
        copied += len(piece)
    expected = response.headers.get("Content-Length")
    if expected is not None and expected.isdigit() and copied != int(expected):
        raise ConnectionError(f"the answer was cut short after {copied} of its {expected} bytes")
    return copied


def _reason(reason):
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"certificate not trusted ({reason.verify_message}); give its CA with --cacert FILE"
    return getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
