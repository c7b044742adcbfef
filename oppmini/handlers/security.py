"""Handlers of /v1/2fa, /v1/sessions and /v1/activity: a user's own account security."""

from .. import errors
from ..errors import ApiError, bad_request
from ..guards import record_failure
from ..payload import digits_number, list_field, require_text, single_field
from ..rows import ID_DIGITS, ID_MAX, as_id, cap_rows
from ..security.activity import PAGE_MAX
from . import SUCCESS

DEFAULT_PAGE = 100


def two_factor_status(call):
    """GET (extension, for pages that show it): whether 2FA is on, and how many recovery codes are unused."""
    two_factor = call.services.two_factor
    state = two_factor.state(call.conn, call.user_id)
    enabled = bool(state and state["enabled"])
    left = two_factor.recovery_codes_left(call.conn, call.user_id) if enabled else 0
    return {**SUCCESS, "enabled": enabled, "recovery_codes_left": left}


def begin_two_factor(call):
    """PUT: a new secret to confirm; refused while 2FA is on (turning it off needs the password)."""
    state = call.services.two_factor.state(call.conn, call.user_id)
    if state is not None and state["enabled"]:
        raise bad_request(errors.BAD_REQUEST, errors.TWO_FACTOR_ALREADY_ON)
    return {**SUCCESS, **call.services.two_factor.begin(call.conn, call.user)}


def confirm_two_factor(call):
    """POST {"code"}: a current code of the pending secret turns 2FA on; the recovery codes, once."""
    code = single_field(call.payload(), "code")
    two_factor = call.services.two_factor
    with call.conn.transaction():
        state = two_factor.state(call.conn, call.user_id)
        if state is None or state["enabled"]:
            raise bad_request(errors.BAD_REQUEST,
                              errors.TWO_FACTOR_ALREADY_ON if state else errors.TWO_FACTOR_NOT_STARTED)
        codes = two_factor.confirm(call.conn, call.user_id, state, code) if isinstance(code, str) else None
        if codes is None:
            raise bad_request(errors.BAD_REQUEST, errors.TWO_FACTOR_INVALID)
        call.record("two_factor_on")
    return {**SUCCESS, "recovery_codes": codes}


def turn_off_two_factor(call):
    """Turn 2FA off (DELETE with {"password", "code"}): both must be right; each guess counted like a login's."""
    payload = call.payload()
    password = require_text(payload, "password")
    code = single_field(payload, "code")
    services, conn = call.services, call.conn
    state = services.two_factor.state(conn, call.user_id)
    if state is None or not state["enabled"]:
        raise bad_request(errors.BAD_REQUEST, errors.TWO_FACTOR_OFF)
    reserved = services.throttle.reserve_login(conn, call.user["username"], call.client)
    _, right = services.accounts.check_password(conn, call.user["username"], password)
    if not right:
        record_failure(call, "login_failed_password", reserved, call.user_id)
        raise bad_request(errors.PASSWORD_INCORRECT)
    used = services.two_factor.spend(conn, call.user_id, state, code)
    if used is None:
        record_failure(call, "login_code_failed", reserved, call.user_id)
        raise bad_request(errors.BAD_REQUEST, errors.TWO_FACTOR_INVALID)
    services.throttle.login_succeeded(conn, reserved)
    with conn.transaction():
        services.two_factor.turn_off(conn, call.user_id)
        if used == "recovery code":
            call.record("recovery_code_used", left=0)
        call.record("two_factor_off", by="user")
    return SUCCESS


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
