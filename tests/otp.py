"""RFC 6238 codes computed here, apart from the server's pyotp, and 2FA enrolment through the API."""

import base64
import hashlib
import hmac
import struct


def code_at(secret_b32, at, step=30, digits=6):
    """The TOTP code of `secret_b32` at Unix time `at` (RFC 6238 with HMAC-SHA1, RFC 4226 truncation)."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(at) // step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def enrol(client, token, clock, password="correct horse", **confirm):
    """Turn 2FA on for the token's user; (secret, recovery codes). Uses the current step's code."""
    headers = {"x-opp-jwt": token}
    secret = client.put_json("/v1/2fa", {"password": password}, headers=headers).json["secret"]
    body = {"code": code_at(secret, clock()), "password": password, **confirm}
    codes = client.post_json("/v1/2fa", body, headers=headers).json["recovery_codes"]
    return secret, codes
