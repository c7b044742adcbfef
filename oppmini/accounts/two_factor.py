"""Two-factor login: TOTP (RFC 6238) secrets, one-use codes and recovery codes.

The secret is needed at login, before any passphrase is known, so it cannot be
sealed under the user's data key. It is sealed under a key derived from the
token signing key instead: with `secret_key` set in the configuration, a copy
of the database alone does not give the secrets away (README "Account
security" says what does).
"""

import base64
import hashlib
import hmac
import io
import re
import secrets
import time

import pyotp
import segno

from ..seal import crypto
from ..seal.crypto import SealError

SECRET_BYTES = 20  # 160 bits, RFC 4226's recommendation
# Sealed as its base32 text (32 characters for 20 bytes), as begin() does.
SEALED_SECRET_BYTES = crypto.RECORD_OVERHEAD + len(base64.b32encode(bytes(SECRET_BYTES)))
STEP_SECONDS = 30
DRIFT_STEPS = 1  # a code of the step before or after is still good
DIGITS = 6
RECOVERY_CODES = 10
RECOVERY_CODE_BYTES = 10  # 80 bits: 16 base32 characters, shown in groups of four
ISSUER = "oppmini"
TOTP_CODE = re.compile(r"[0-9]{6}")
# A code as people type it: spaces and dashes are grouping only.
GROUPING = re.compile(r"[\s-]")


def normalised(code):
    return GROUPING.sub("", code).lower()


def qr_svg(text):
    """`text` as a QR code: a standalone SVG document (with its namespace, so it also shows as an image)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", xmldecl=False, scale=4, border=4)
    return out.getvalue().decode("ascii")


def secrets_not_opening(conn, secret_key):
    """The names of the accounts with 2FA on whose secret `secret_key` does not open (all of them when it
    is None): restored from a server with another signing key, no code of theirs can match."""
    two_factor = TwoFactor(secret_key) if secret_key else None
    return [
        row["username"]
        for row in conn.run("list_two_factor_secrets")
        if two_factor is None or not two_factor.opens(row["user_id"], row["sealed_secret"])
    ]


class TwoFactor:
    """Enrolment, confirmation and the checks of codes; the clock is injectable."""

    def __init__(self, secret_key, clock=time.time):
        self._seal_key = hmac.new(secret_key.encode("utf-8"), b"oppmini two-factor secrets", hashlib.sha256).digest()
        self.clock = clock

    # Enrolment.

    def begin(self, conn, user):
        """A fresh pending secret (replacing any unconfirmed one); what the user's app needs."""
        secret = base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")
        sealed = crypto.seal(self._seal_key, secret.encode("ascii"), self._binding(user["user_id"]))
        now = int(self.clock())
        with conn.transaction():
            if not conn.run("update_two_factor_pending", user_id=user["user_id"], sealed_secret=sealed, now=now):
                conn.run("insert_two_factor", user_id=user["user_id"], sealed_secret=sealed, now=now)
        uri = pyotp.TOTP(secret).provisioning_uri(name=user["username"], issuer_name=ISSUER)
        return {"secret": secret, "otpauth": uri, "qr_svg": qr_svg(uri)}

    def confirm(self, conn, user_id, state, code):
        """Turn 2FA on when `code` is current for the pending secret; the new recovery codes, else None."""
        step = self._matching_step(state, code, user_id)
        if step is None:
            return None
        now = int(self.clock())
        # The confirming code counts as used: it cannot sign in again.
        if not conn.run("update_two_factor_enabled", user_id=user_id, step=step, now=now):
            return None  # confirmed meanwhile by another request
        return self.new_recovery_codes(conn, user_id)

    def new_recovery_codes(self, conn, user_id):
        """Ten new recovery codes in place of any the account had (they stand in for every second
        factor: a code or a security key); the codes, to show once."""
        codes = [self._new_recovery_code() for _ in range(RECOVERY_CODES)]
        conn.run("delete_recovery_codes", user_id=user_id)
        for code_text in codes:
            conn.run("insert_recovery_code", user_id=user_id, code_hash=self._hash(user_id, code_text))
        return codes

    @staticmethod
    def turn_off(conn, user_id, keep_recovery_codes=False):
        """Forget the TOTP secret; the recovery codes too, unless another second factor still needs them."""
        conn.run("delete_two_factor", user_id=user_id)
        if not keep_recovery_codes:
            conn.run("delete_recovery_codes", user_id=user_id)

    @staticmethod
    def forget_recovery_codes(conn, user_id):
        conn.run("delete_recovery_codes", user_id=user_id)

    # Checks.

    @staticmethod
    def state(conn, user_id):
        """The user's two_factor row (enabled or pending), or None."""
        return conn.run("get_two_factor", user_id=user_id)

    def spend(self, conn, user_id, state, code):
        """Accept `code` once: "code" (a TOTP code, its step taken), "recovery code" (spent), else None.
        `state` is None when the account has no TOTP secret (security keys only)."""
        if not isinstance(code, str):
            return None
        # With security keys only there is no TOTP secret, and only a recovery code can match.
        step = self._matching_step(state, code, user_id) if state and state["enabled"] else None
        if step is not None:
            # Atomic in the database: a replayed code, even in a racing request, matches no row.
            return "code" if conn.run("update_two_factor_step", user_id=user_id, step=step) else None
        typed = normalised(code)
        if TOTP_CODE.fullmatch(typed) or not typed:
            return None
        spent = conn.run("delete_recovery_code", user_id=user_id, code_hash=self._hash(user_id, typed))
        return "recovery code" if spent else None

    def opens(self, user_id, sealed_secret):
        """Whether this signing key opens the user's sealed secret (not so for one sealed under another)."""
        try:
            crypto.open_sealed(self._seal_key, sealed_secret, self._binding(user_id))
        except SealError:
            return False
        return True

    @staticmethod
    def recovery_codes_left(conn, user_id):
        return conn.run("count_recovery_codes", user_id=user_id)

    def _matching_step(self, state, code, user_id):
        """The step of the window (now, one step either way) that `code` is the code of, newer
        than the last step taken; else None."""
        typed = normalised(code) if isinstance(code, str) else ""
        if not TOTP_CODE.fullmatch(typed):
            return None
        try:
            secret = crypto.open_sealed(self._seal_key, state["sealed_secret"], self._binding(user_id))
        except SealError:
            # Sealed under another signing key (secret_key changed, or a restore
            # into another server): no code can match until `opp-db reset-2fa`.
            return None
        totp = pyotp.TOTP(secret.decode("ascii"), digits=DIGITS, interval=STEP_SECONDS)
        now_step = int(self.clock()) // STEP_SECONDS
        found = None
        for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
            # Every step is compared (constant time each), whichever matches.
            if hmac.compare_digest(totp.generate_otp(step), typed) and step > state["last_step"]:
                found = step
        return found

    @staticmethod
    def _new_recovery_code():
        raw = base64.b32encode(secrets.token_bytes(RECOVERY_CODE_BYTES)).decode("ascii").lower()
        return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))

    @staticmethod
    def _hash(user_id, code):
        # 80 random bits need no slow hash: nothing short of them can be guessed offline.
        return hashlib.sha256(f"oppmini recovery code:{user_id}:{normalised(code)}".encode()).hexdigest()

    @staticmethod
    def _binding(user_id):
        return crypto.bind("two_factor", user_id, user_id)
