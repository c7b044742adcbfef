"""The checks before a vault handler runs: the token, then the passphrase."""

import hmac

from ..accounts.tokens import TokenRejected
from ..contract import errors
from ..contract.errors import ApiError, bad_request
from ..seal import keys

TOKEN_HEADER = "x-opp-jwt"
PHRASE_HEADER = "x-opp-phrase"


def authenticate(call):
    """Set `call.user` from the token header, or raise the contract's 401."""
    token = call.headers.get(TOKEN_HEADER) or ""
    if not token:
        raise ApiError(
            401,
            errors.AUTH_REQUIRED,
            errors.NO_TOKEN,
            headers={"WWW-Authenticate": 'JWT realm="Login Required"'},
        )
    # split() drops every whitespace character (as str.isspace sees them), so
    # only a token without any comes back whole; C speed, not a loop per character.
    if token.split() != [token]:
        raise ApiError(401, errors.INVALID_JWT_HEADER, errors.TOKEN_SPACES)
    try:
        claims = call.services.signer.read(token)
    except TokenRejected as why:
        raise errors.invalid_token(str(why)) from None
    services = call.services
    session_id = claims.get("sid")
    # The user and the token's session in one indexed read; no write (but a
    # coarse last_seen_at, at most once a minute).
    user = call.conn.run(
        "get_user_by_token", user_id=claims["identity"], session_id=session_id, now=int(services.clock())
    )
    if user is None:
        raise ApiError(401, errors.INVALID_JWT, errors.NO_SUCH_TOKEN_USER)
    # A random stamp per user: replacing it revokes every earlier token, and a
    # token can never open a later account, whatever id that account gets.
    if not hmac.compare_digest(claims["stamp"].encode(), user["security_stamp"].encode()):
        raise errors.invalid_token(errors.TOKEN_REVOKED)
    # A token without a session was issued before sessions existed: honoured
    # until it expires (README "Sessions"); logging out everywhere still ends it.
    if session_id is not None:
        if user["session_id"] is None:
            raise errors.invalid_token(errors.TOKEN_REVOKED)
        services.sessions.seen(call.conn, session_id, user["session_seen_at"])
    call.user, call.session_id = user, session_id


def unlock(call):
    """Set `call.data_key` from the passphrase header, or raise the contract's 400."""
    phrase = call.headers.get(PHRASE_HEADER)
    if phrase is None:
        raise bad_request(errors.PHRASE_MISSING)
    call.data_key = checked_passphrase(call, call.user, phrase)


def checked_passphrase(call, user, phrase):
    """The user's data key for `phrase`: 429 while locked out, 400 when wrong (and counted)."""
    throttle, accounts = call.services.throttle, call.services.accounts
    # Checked before the cache too: a right passphrase answered during a
    # lock-out, and a wrong one refused, would tell them apart.
    throttle.check_phrase(call.conn, user, call.client)
    data_key = accounts.cached_key(user, phrase) if phrase else None
    reserved = None
    if data_key is None:
        # Counted before the Argon2 work, so parallel guesses stay within the limit.
        reserved = throttle.reserve_phrase(call.conn, user, call.client)
        data_key = accounts.unlock(user, phrase) if phrase else None
        if data_key is None:
            throttle.guess_failed(call.client, "passphrase")
            record_failure(call, "passphrase_failed", reserved, user["user_id"])
            raise bad_request(errors.PHRASE_INCORRECT)
    throttle.phrase_succeeded(call.conn, user, reserved)
    # A user from before sharing gets a key pair at this first unlock.
    keys.ensure_key_pair(call.conn, user, data_key)
    return data_key


def record_failure(call, event, reserved, user_id, **detail):
    """A failed guess at an account in its activity log, and the lock-out it brings on, if any."""
    call.record(event, user_id, **detail)
    holding = call.services.throttle.holding(call.conn, reserved)
    if holding:
        call.record("lockout", user_id, limits=holding)
