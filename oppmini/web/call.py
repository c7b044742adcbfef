"""One request as handlers see it: its connection, caller and body, and no Bottle."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from ..contract.payload import parse_object


@dataclass
class Call:
    services: object
    conn: object
    headers: object
    body: bytes = b""
    upload: object = None  # a streamed body (contract.payload.StreamedBody), on a route that streams
    query: dict = field(default_factory=dict)
    path: dict = field(default_factory=dict)  # the URL's parts a route names, e.g. item_id
    client: str = ""
    user: dict | None = None
    session_id: int | None = None  # the token's session, when it names one
    data_key: bytes | None = None
    shares: object = None  # the caller's collections, opened once per request (vault.access.shares)
    notes: object = None  # sharing's events of this request, written at its end (sharing.events.notes)
    _payload: dict | None = None

    def payload(self, empty_allowed=False):
        """The body as a JSON object, parsed once; 400 `Missing payload!` otherwise (for `{}`
        too, unless `empty_allowed`)."""
        if self._payload is None:
            self._payload = parse_object(self.body, empty_allowed)
        return self._payload

    @property
    def config(self):
        return self.services.config

    @property
    def user_id(self):
        return self.user["user_id"]

    @property
    def agent(self):
        return self.headers.get("User-Agent") or ""

    def record(self, event, user_id=None, **detail):
        """Add an event to the activity log of `user_id` (default: the caller), from this client.

        The client's address and agent go only into the caller's own log (or,
        with no caller yet, the log of the account a sign-in tried): another
        user's log names who acted, never where from (extensions.md section 4).
        """
        own = user_id is None or self.user is None or user_id == self.user_id
        address, agent = (self.client, self.agent) if own else ("", "")
        self.services.activity.record(self.conn, user_id or self.user_id, event, address, agent, **detail)


@dataclass(frozen=True)
class Download:
    """A handler's answer that is a file to save (GET /v1/export), not a JSON object."""

    body: bytes
    media_type: str
    filename: str


@dataclass(frozen=True)
class Tagged:
    """A handler's answer with its ETag; `answer` None when the client's If-None-Match names it (304)."""

    answer: dict | None
    etag: str


@dataclass(frozen=True)
class FileStream:
    """A handler's answer that is a file sent chunk by chunk as it is read (an attachment)."""

    chunks: Iterable[bytes]
    size: int
    media_type: str
    filename: str

    def started(self):
        """The chunks with the first one taken now, so that a fault found before it (a damaged file) is
        answered as an error, not after a 200 was sent; closing them ends the reading early."""
        return _Started(iter(self.chunks))

    def disposition(self):
        """Content-Disposition naming the file as RFC 6266 says: an ASCII stand-in for old clients,
        and the name itself, UTF-8 percent-encoded, for the others."""
        fallback = "".join(char if " " <= char <= "~" and char not in '"\\%' else "_" for char in self.filename)
        return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(self.filename, safe='')}"


class _Started:
    """An iterator whose first item was taken at once; WSGI servers call close() when done or gone."""

    def __init__(self, iterator):
        self._iterator = iterator
        self._first = next(iterator, None)

    def __iter__(self):
        if self._first is not None:
            yield self._first
        yield from self._iterator

    def close(self):
        close = getattr(self._iterator, "close", None)
        if close is not None:
            close()


class WsgiHeaders:
    """Request headers by name; values decoded as UTF-8 where they are (WSGI hands latin-1)."""

    def __init__(self, environ):
        self.environ = environ

    def get(self, name, default=None):
        value = self.environ.get("HTTP_" + name.upper().replace("-", "_"))
        if value is None:
            return default
        try:
            return value.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return value
