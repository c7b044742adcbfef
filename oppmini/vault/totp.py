"""One-time codes of items: seeds read from otpauth URIs or bare base32, codes per RFC 6238.

The HMAC and the RFC 4226 truncation are pyotp's (`HOTP.at`); the time step
is counted here, because pyotp's TOTP refuses periods over 120 seconds and,
from 2.12, seeds under 112 bits, while the seeds real sites hand out are
often 80 bits and item codes must work for every period from 1 to 300.
Nothing here ever puts a seed or a code into an error message.
"""

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pyotp

MAX_LENGTH = 2000
MIN_SECRET_BITS = 80  # 16 base32 characters, common on real sites
DIGITS = (6, 8)
PERIODS = (1, 300)
ALGORITHMS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}
BASE32 = re.compile(r"^[A-Z2-7]+$")
# Lengths a base32 text can have once its padding is dropped.
UNPADDED_REMAINDERS = {0, 2, 4, 5, 7}


@dataclass(frozen=True)
class Seed:
    secret: bytes = field(repr=False)  # never in a log line or a traceback
    digits: int = 6
    period: int = 30
    algorithm: str = "SHA1"

    def code(self, now):
        """(code, seconds left in its time step) at Unix time `now`."""
        now = int(now)
        step = now // self.period
        key = base64.b32encode(self.secret).decode("ascii")
        hotp = _Hotp(key, digits=self.digits, digest=ALGORITHMS[self.algorithm])
        return hotp.at(step), self.period - now % self.period


class _Hotp(pyotp.HOTP):
    # pyotp 2.12 refuses secrets under 112 bits by default; real sites hand
    # out 80-bit ones, and parse() already holds them to that floor.
    min_secret_length_bits = MIN_SECRET_BITS


def parse(text):
    """The Seed of an item's `totp` value; ValueError saying what is wrong (never the secret)."""
    text = text.strip()
    if text[:10].lower() == "otpauth://":
        return _from_uri(text)
    return Seed(_secret(text))


def _from_uri(text):
    parts = urlsplit(text)
    if parts.netloc.lower() != "totp":
        raise ValueError("an otpauth URI must be of type totp (otpauth://totp/...)")
    query = parse_qs(parts.query, keep_blank_values=True)
    secret = _only(query, "secret")
    if secret is None:
        raise ValueError("the otpauth URI has no secret parameter")
    digits = _number(query, "digits", 6, DIGITS)
    period = _number(query, "period", 30, PERIODS)
    algorithm = (_only(query, "algorithm") or "SHA1").upper()
    if algorithm not in ALGORITHMS:
        raise ValueError(f"the algorithm must be one of {', '.join(ALGORITHMS)}")
    return Seed(_secret(secret), digits, period, algorithm)


def _only(query, name):
    values = query.get(name)
    if values is None:
        return None
    if len(values) != 1:
        raise ValueError(f"the otpauth URI names {name} more than once")
    return values[0]


def _number(query, name, default, bounds):
    value = _only(query, name)
    if value is None:
        return default
    low, high = bounds
    if not (value.isascii() and value.isdigit() and len(value) <= 3 and low <= int(value) <= high):
        raise ValueError(f"{name} must be a whole number from {low} to {high}")
    return int(value)


def _secret(text):
    """The bytes of a base32 secret; spaces, case and padding ignored."""
    letters = "".join(text.split()).upper().rstrip("=")
    if not letters or not BASE32.match(letters) or len(letters) % 8 not in UNPADDED_REMAINDERS:
        raise ValueError("the secret is not base32 (letters A-Z and digits 2-7)")
    try:
        secret = base64.b32decode(letters + "=" * (-len(letters) % 8))
    except binascii.Error:
        raise ValueError("the secret is not base32 (letters A-Z and digits 2-7)") from None
    if len(secret) * 8 < MIN_SECRET_BITS:
        raise ValueError(f"the secret is shorter than {MIN_SECRET_BITS} bits (16 base32 characters)")
    return secret
