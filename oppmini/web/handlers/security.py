"""Handlers of /v1/2fa, /v1/sessions and /v1/activity: a user's own account security."""

from ...accounts.activity import PAGE_MAX
from ...contract import errors
from ...contract.errors import ApiError, bad_request
from ...contract.payload import digits_number, list_field, require_text, single_field
from ...vault.rows import ID_DIGITS, ID_MAX, as_id, cap_rows
from . import SUCCESS
from .proof import proven_user, record_code_use

DEFAULT_PAGE = 100


def two_factor_status(call):
    """GET (extension, for pages that show it): whether 2FA is on, and how many recovery codes are unused."""
    two_factor = call.services.two_factor
    state = two_factor.state(call.conn, call.user_id)
    enabled = bool(state and state["enabled"])
    # Recovery codes stand in for security keys too: they are counted whichever factor is on.
    left = two_factor.recovery_codes_left(call.conn, call.user_id)
    return {**SUCCESS, "enabled": enabled, "recovery_codes_left": left}


def begin_two_factor(call):
    """PUT {"password"} (and "otp" while 2FA is on): a new secret to confirm; refused while 2FA is on."""
    payload = call.payload()
    prove(call, payload, "PUT /v1/2fa")
    state = call.services.two_factor.state(call.conn, call.user_id)
    if state is not None and state["enabled"]:
        raise bad_request(errors.BAD_REQUEST, errors.TWO_FACTOR_ALREADY_ON)
    return {**SUCCESS, **call.services.two_factor.begin(call.conn, call.user)}


def confirm_two_factor(call):
    """POST {"code", "password", "end_other_sessions"}: a current code of the pending secret turns 2FA on
    and, unless asked not to, signs every other session out; the recovery codes, once."""
    payload = call.payload()
    code = single_field(payload, "code")
    end_others = single_field(payload, "end_other_sessions", required=False, default=True)
    if not isinstance(end_others, bool):
        raise ApiError(400, errors.BAD_REQUEST, "'end_other_sessions' must be true or false.")
    two_factor = call.services.two_factor
    _refuse_unless_pending(two_factor.state(call.conn, call.user_id))
    prove(call, payload, "POST /v1/2fa")
    with call.conn.transaction():
        state = two_factor.state(call.conn, call.user_id)
        _refuse_unless_pending(state)
        codes = two_factor.confirm(call.conn, call.user_id, state, code) if isinstance(code, str) else None
        if codes is None:
            raise bad_request(errors.BAD_REQUEST, errors.TWO_FACTOR_INVALID)
        ended = call.services.sessions.end_others(call.conn, call.user_id, call.session_id) if end_others else 0
        call.record("two_factor_on", other_sessions_ended=ended)
    return {**SUCCESS, "recovery_codes": codes}


def _refuse_unless_pending(state):
    if state is None or state["enabled"]:
        raise bad_request(errors.BAD_REQUEST, errors.TWO_FACTOR_ALREADY_ON if state else errors.TWO_FACTOR_NOT_STARTED)


def turn_off_two_factor(call):
    """Turn 2FA off (DELETE with {"password", "otp"}; "code" is taken for "otp", as earlier releases sent it)."""
    payload = call.payload()
    state = call.services.two_factor.state(call.conn, call.user_id)
    require_text(payload, "password")
    if state is None or not state["enabled"]:
        raise bad_request(errors.BAD_REQUEST, errors.TWO_FACTOR_OFF)
    used = prove(call, payload, "DELETE /v1/2fa", otp=payload.get("otp") or payload.get("code"))
    with call.conn.transaction():
        keys_left = call.services.security_keys.count(call.conn, call.user_id)
        call.services.two_factor.turn_off(call.conn, call.user_id, keep_recovery_codes=keys_left > 0)
        record_code_use(call, call.user_id, used)
        call.record("two_factor_off", by="user")
    return SUCCESS


def prove(call, payload, route, otp=None):
    """The caller's password in `payload` (and, with a second factor on, its "otp" or "webauthn")
    checked like a login's; how the second factor was proved."""
    password = require_text(payload, "password")
    otp = payload.get("otp") if otp is None else otp
    _, used = proven_user(
        call,
        call.user["username"],
        password,
        otp,
        bad_request(errors.PASSWORD_INCORRECT),
        route,
        assertion=payload.get("webauthn"),
    )
    return used


def list_sessions(call):
    return {**SUCCESS, "sessions": call.services.sessions.listed(call.conn, call.user_id, call.session_id)}


def revoke_sessions(call):
    """End the caller's sessions named in {"ids"} (DELETE); ids that are not theirs are ignored."""
    ids = list_field(call.payload(), "ids")
    cap_rows(call, "ids", ids)
    for session_id in filter(None, map(as_id, ids)):
        if call.services.sessions.revoke(call.conn, call.user_id, session_id):
            call.record("session_revoked", session_id=session_id)
    return SUCCESS


def list_activity(call):
    """GET ?limit=&before=: the caller's events, newest first, `limit` at a time below id `before`."""
    limit = _query_number(call, "limit", DEFAULT_PAGE, 1, PAGE_MAX)
    before = _query_number(call, "before", ID_MAX, 1, ID_MAX)
    return {**SUCCESS, "events": call.services.activity.page(call.conn, call.user_id, limit, before)}


def _query_number(call, name, default, low, high):
    text = call.query.get(name)
    if text is None or text == "":
        return default
    value = digits_number(text, ID_DIGITS)
    if not isinstance(value, int) or not low <= value <= high:
        raise ApiError(400, errors.BAD_REQUEST, f"'{name}' must be a whole number from {low} to {high}.")
    return value
