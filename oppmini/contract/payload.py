"""Request bodies: JSON parsing and the contract's shape checks, in its order."""

import json

from . import errors
from .errors import ApiError, bad_request

JSON_MEDIA_TYPE = "application/json"


def check_content_type(content_type, auth_style=False):
    """Raise the contract's 400 unless the body is declared as JSON."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if not media_type:
        problem = errors.MISSING_CONTENT_TYPE
    elif media_type != JSON_MEDIA_TYPE:
        problem = errors.INVALID_CONTENT_TYPE
    else:
        return
    # /v1/auth reports these as a generic "Bad Request", as OpenPassPhrase did.
    raise bad_request(errors.BAD_REQUEST, problem) if auth_style else bad_request(problem)


BODY_KEY = "oppmini.body"


def read_body(environ, limit):
    """The WSGI request body, at most `limit` bytes; 413 beyond it, declared or not.

    Kept in the environ: a request retried after a lock conflict reads it again.
    """
    if BODY_KEY not in environ:
        environ[BODY_KEY] = _read_body(environ, limit)
    return environ[BODY_KEY]


def _read_body(environ, limit):
    declared = (environ.get("CONTENT_LENGTH") or "").strip()
    stream = environ["wsgi.input"]
    if declared:
        if not is_digits(declared):
            raise bad_request(errors.BAD_REQUEST, "Content-Length is not a number")
        length = digits_number(declared, len(str(limit)))
        if length is None or length > limit:
            raise _too_large(limit)
        return stream.read(length)
    if not environ.get("wsgi.input_terminated"):
        return b""  # no length and no end marker: WSGI says there is no body to read
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise _too_large(limit)
    return body


class StreamedBody:
    """A request body read piece by piece as it is used, never whole (an attachment's upload)."""

    PIECE_BYTES = 64 * 1024

    def __init__(self, environ):
        declared = (environ.get("CONTENT_LENGTH") or "").strip()
        if declared and not is_digits(declared):
            raise bad_request(errors.BAD_REQUEST, "Content-Length is not a number")
        if not declared and not environ.get("wsgi.input_terminated"):
            raise ApiError(411, errors.LENGTH_REQUIRED, "Send the file with a Content-Length.")
        # None: a body that ends where its stream ends (WSGI's input_terminated).
        self.length = int(declared) if declared else None
        self.media_type = environ.get("CONTENT_TYPE") or ""
        self._stream = environ["wsgi.input"]

    def pieces(self):
        """The body's bytes in pieces of at most PIECE_BYTES; 400 when it ends before its Content-Length."""
        left = self.length
        while left is None or left > 0:
            piece = self._stream.read(self.PIECE_BYTES if left is None else min(self.PIECE_BYTES, left))
            if not piece:
                if left:
                    raise bad_request(errors.BAD_REQUEST, "The body ended before its Content-Length.")
                return
            if left is not None:
                left -= len(piece)
            yield piece


def _too_large(limit):
    return ApiError(413, errors.PAYLOAD_TOO_LARGE, f"The request body is larger than {limit} bytes")


def is_digits(text):
    """Only ASCII digits: str.isdigit() alone also passes '²', which int() refuses."""
    return text.isascii() and text.isdigit()


def digits_number(text, max_digits):
    """The number a string of digits spells, or None when it is none or, leading zeros aside,
    has more than `max_digits` digits: the bound comes first, as int() raises past 4300 digits."""
    if not is_digits(text):
        return None
    digits = text.lstrip("0") or "0"
    return int(digits) if len(digits) <= max_digits else None


def _refuse_constant(name):
    raise ValueError(f"{name} is not allowed in JSON")


def _json_integer(text):
    # Valid JSON, but past 4300 digits int() raises: such a number becomes the
    # infinity it approximates (as in JavaScript), which every integer check refuses.
    try:
        return int(text)
    except ValueError:
        return float(text)


def parse_object(body, empty_allowed=False):
    """The body as a JSON object, else 400 `Missing payload!` saying why; `{}` too unless `empty_allowed`."""
    if not body:
        raise bad_request(errors.MISSING_PAYLOAD, "The request body is empty")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise bad_request(errors.MISSING_PAYLOAD, f"The body is not valid UTF-8 (byte {error.start})") from None
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_int=_json_integer)
    except json.JSONDecodeError as error:
        raise bad_request(
            errors.MISSING_PAYLOAD,
            f"The body is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
        ) from None
    except (ValueError, RecursionError) as error:
        raise bad_request(errors.MISSING_PAYLOAD, f"The body is not valid JSON: {error}") from None
    if not isinstance(value, dict) or not (value or empty_allowed):
        raise bad_request(errors.MISSING_PAYLOAD, "The body must be a non-empty JSON object")
    return value


def list_field(payload, name, required=True):
    """A field that must be a list; None when optional and absent."""
    if name not in payload:
        if required:
            raise errors.required_missing(name)
        return None
    value = payload[name]
    if not isinstance(value, list):
        raise errors.not_list(name)
    return value


def single_field(payload, name, required=True, default=None):
    """A field that must not be a list; `default` when optional and absent."""
    if name not in payload:
        if required:
            raise errors.required_missing(name)
        return default
    value = payload[name]
    if isinstance(value, list):
        raise errors.not_single(name)
    return value


def text_input(payload, name, required=True):
    """A single string parameter of /v1/user; blank (after stripping) counts as empty."""
    value = single_field(payload, name, required=required)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(f"Input '{name}' parameter must be a string!")
    if not is_text(value):
        raise bad_request(f"Input '{name}' parameter is not valid text!")
    return value


def is_text(value):
    """False for a string holding a lone surrogate: valid JSON ("\\ud800") but no text
    UTF-8, Argon2 or a database can take; each field refuses it in its own words."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def blank(value):
    return value is None or not value.strip()


def require_text(payload, name):
    value = text_input(payload, name)
    if blank(value):
        raise errors.input_empty(name)
    return value
