"""Access tokens: standard HS256 JWTs, signed and checked with itsdangerous."""

import base64
import hashlib
import json
import time

from itsdangerous import BadSignature, Signer
from itsdangerous.signer import HMACAlgorithm

from .errors import TOKEN_EXPIRED

HEADER = {"alg": "HS256", "typ": "JWT"}
# How far a server's clock may lag the issuer's before nbf/exp are held against a token.
LEEWAY_SECONDS = 0


class TokenRejected(Exception):
    """A token that must not be honoured; the message says why, without the token."""


def _b64encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode_json(segment):
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


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

    def issue(self, user_id, stamp, lifetime):
        now = int(self.clock())
        claims = {"identity": user_id, "iat": now, "nbf": now, "exp": now + lifetime, "stamp": stamp}
        unsigned = f"{_b64encode(_compact(HEADER))}.{_b64encode(_compact(claims))}"
        return self.signer.sign(unsigned).decode("ascii")

    def read(self, token):
        """The claims of a genuine, current token; TokenRejected otherwise."""
        segments = token.split(".")
        if len(segments) != 3:
            raise TokenRejected("Not enough segments" if len(segments) < 3 else "Too many segments")
        header = _b64decode_json(segments[0])
        if header is None:
            raise TokenRejected("Invalid header")
        if header.get("alg") != "HS256":
            raise TokenRejected("The specified alg value is not allowed")
        try:
            self.signer.unsign(token)
        except BadSignature:
            raise TokenRejected("Signature verification failed") from None
        claims = _b64decode_json(segments[1])
        if claims is None or not all(
            isinstance(claims.get(name), int) and not isinstance(claims.get(name), bool)
            for name in ("identity", "iat", "nbf", "exp")
        ) or not isinstance(claims.get("stamp"), str):
            raise TokenRejected("Invalid payload")
        now = self.clock()
        if now + LEEWAY_SECONDS < claims["nbf"]:
            raise TokenRejected("The token is not yet valid (nbf)")
        if now - LEEWAY_SECONDS >= claims["exp"]:
            raise TokenRejected(TOKEN_EXPIRED)
        return claims
