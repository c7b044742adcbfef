"""Challenges: single-use, short-lived, bound to the session or login attempt that asked for one."""

import hashlib
import secrets

CHALLENGE_BYTES = 32
# What a browser is told to wait for a touch (ms), and how long the server keeps the challenge after.
TIMEOUT_MS = 60_000
LIFETIME_SECONDS = TIMEOUT_MS // 1000 + 30
ATTEMPT_BYTES = 16


def for_session(user_id, session_id):
    """What a registration's challenge is bound to: the account and session (token) that asked for it
    (a token from before sessions names none: then the account alone)."""
    return _bound("register", f"{user_id}:{session_id}")


def for_attempt(attempt):
    """What a login's challenge is bound to: the attempt id handed out with it."""
    return _bound("login", attempt)


def new_attempt():
    return secrets.token_urlsafe(ATTEMPT_BYTES)


def issue(conn, bound_to, user_id, now):
    """A fresh challenge bound to `bound_to`, replacing one it had; the challenge's bytes."""
    challenge = secrets.token_bytes(CHALLENGE_BYTES)
    with conn.transaction():
        conn.run("delete_stale_webauthn_challenges", now=now)
        conn.run("delete_webauthn_challenge", bound_to=bound_to)
        conn.run(
            "insert_webauthn_challenge",
            bound_to=bound_to,
            user_id=user_id,
            challenge=challenge,
            expires_at=now + LIFETIME_SECONDS,
        )
    return challenge


def take(conn, bound_to, user_id, now):
    """The challenge bound to `bound_to` for `user_id`, used up (committed at once, whatever the answer
    proves); None when there is none, it is another account's or it has expired."""
    row = conn.run("get_webauthn_challenge", bound_to=bound_to)
    if row is None or not conn.run("delete_webauthn_challenge", bound_to=bound_to):
        return None  # none, or another request answered it first
    if row["user_id"] != user_id or row["expires_at"] < now:
        return None
    return bytes(row["challenge"])


def _bound(purpose, value):
    return hashlib.sha256(f"oppmini webauthn {purpose}:{value}".encode()).hexdigest()
