"""Access tokens: standard HS256 JWTs, signed and checked with itsdangerous."""

import base64
import hashlib
import json
import re
import time

from itsdangerous import BadSignature, Signer
from itsdangerous.signer import HMACAlgorithm

from ..contract.errors import TOKEN_EXPIRED
from ..vault.rows import ID_MAX

HEADER = {"alg": "HS256", "typ": "JWT"}
# How far a server's clock may lag the issuer's before nbf/exp are held against a token.
LEEWAY_SECONDS = 0
# The integer claims and their bounds: whatever the key signed, an identity
# must be a user id the databases can hold (a larger one was a 500 at lookup).
CLAIM_RANGES = {"identity": (1, ID_MAX), "iat": (0, ID_MAX), "nbf": (0, ID_MAX), "exp": (0, ID_MAX)}
# The session a token belongs to; tokens issued before sessions existed have none.
OPTIONAL_CLAIM_RANGES = {"sid": (1, ID_MAX)}
BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
# How many tokens' checked claims a process keeps (see TokenSigner.read); when full, it starts again.
CHECKED_TOKENS = 1024


class TokenRejected(Exception):
    """A token that must not be honoured; the message says why, without the token."""


def _b64encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(segment):
    """The bytes of an unpadded base64url segment in its one canonical spelling, else None.

    Python's decoder (and itsdangerous's) also takes padding, '+/', stray
    characters and set spare bits in the last character: each would be another
    spelling of the same token.
    """
    if not BASE64URL.fullmatch(segment) or len(segment) % 4 == 1:
        return None
    raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    return raw if _b64encode(raw) == segment else None


def _b64decode_json(segment):
    raw = _b64decode(segment)
    try:
        value = json.loads(raw) if raw is not None else None
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _valid_claims(claims):
    if claims is None or not isinstance(claims.get("stamp"), str):
        return False
    for name, (low, high) in CLAIM_RANGES.items():
        if not _in_range(claims.get(name), low, high):
            return False
    return all(
        _in_range(claims[name], low, high) for name, (low, high) in OPTIONAL_CLAIM_RANGES.items() if name in claims
    )


def _in_range(value, low, high):
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def _compact(value):
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8")


class TokenSigner:
    """Issues and reads tokens; the clock is injectable so expiry tests need no sleep."""

    def __init__(self, secret_key, clock=time.time):
        # key_derivation "none" signs with the key itself: HMAC-SHA256 over
        # "header.payload", base64url without padding: exactly JWS HS256.
        self.signer = Signer(
            secret_key,
            sep=".",
            key_derivation="none",
            algorithm=HMACAlgorithm(hashlib.sha256),
        )
        self.clock = clock
        self._checked = {}

    def issue(self, user_id, stamp, lifetime, session_id=None):
        now = int(self.clock())
        claims = {"identity": user_id, "iat": now, "nbf": now, "exp": now + lifetime, "stamp": stamp}
        if session_id is not None:
            claims["sid"] = session_id
        unsigned = f"{_b64encode(_compact(HEADER))}.{_b64encode(_compact(claims))}"
        return self.signer.sign(unsigned).decode("ascii")

    def read(self, token):
        """The claims of a genuine, current token; TokenRejected otherwise.

        A client sends the same token with each request, and checking its
        form and signature again (base64, JSON, HMAC) was a fifth of an
        unchanged fetchall's cost (bench W17). What never changes for one
        token is checked once per process and kept by the token's SHA-256
        (looked up by digest, so no comparison runs over the token itself);
        its times are checked at every read, and whether its session and
        stamp still hold is the database's answer every time.
        """
        digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
        claims = self._checked.get(digest)
        if claims is None:
            claims = self._genuine_claims(token)
            if len(self._checked) >= CHECKED_TOKENS:
                self._checked.clear()
            self._checked[digest] = claims
        now = self.clock()
        if now + LEEWAY_SECONDS < claims["nbf"]:
            raise TokenRejected("The token is not yet valid (nbf)")
        if now - LEEWAY_SECONDS >= claims["exp"]:
            raise TokenRejected(TOKEN_EXPIRED)
        return dict(claims)

    def _genuine_claims(self, token):
        """The claims of a token signed with this key, of the expected form; TokenRejected otherwise."""
        segments = token.split(".")
        if len(segments) != 3:
            raise TokenRejected("Not enough segments" if len(segments) < 3 else "Too many segments")
        header = _b64decode_json(segments[0])
        if header is None:
            raise TokenRejected("Invalid header")
        if header.get("alg") != "HS256":
            raise TokenRejected("The specified alg value is not allowed")
        try:
            if _b64decode(segments[2]) is None:
                raise BadSignature("not canonical base64url")
            self.signer.unsign(token)
        except BadSignature:
            raise TokenRejected("Signature verification failed") from None
        claims = _b64decode_json(segments[1])
        if not _valid_claims(claims):
            raise TokenRejected("Invalid payload")
        return claims
