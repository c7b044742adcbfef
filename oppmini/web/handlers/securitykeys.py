"""Handlers of /v1/webauthn: a user's security keys and passkeys (extensions.md §4).

Adding a key needs the password (and a second factor already on) like any
change of the second factor; removing keys needs both, whether or not they
are the last. The first second factor of an account comes with recovery
codes, which stand in for every factor.
"""

from ...accounts.securitykeys.keys import NAME_CHARS
from ...contract import errors
from ...contract.errors import ApiError, bad_request
from ...contract.payload import list_field, require_text, single_field
from ...store.db import Duplicate
from ...vault.rows import as_id, cap_rows
from . import SUCCESS
from .proof import record_code_use, second_factors
from .security import prove


def list_keys(call):
    """GET: the caller's keys (names, when added and last used; never key material), and whether the
    server can ask for a key at all."""
    keys = call.services.security_keys
    return {**SUCCESS, "available": keys.available, "keys": keys.listed(call.conn, call.user_id)}


def begin_registration(call):
    """PUT {"password"} (and "otp" or "webauthn" while a second factor is on): creation options for
    navigator.credentials.create(), their challenge bound to this session."""
    keys = _available(call)
    prove(call, call.payload(), "PUT /v1/webauthn")
    return {**SUCCESS, "options": keys.creation_options(call.conn, call.user, call.session_id)}


def register_key(call):
    """POST {"name", "credential"}: keep the key that answered this session's challenge; with it, the
    recovery codes when it is the account's first second factor (shown once)."""
    keys = _available(call)
    payload = call.payload()
    name = _key_name(single_field(payload, "name"))
    credential = single_field(payload, "credential")
    if not isinstance(credential, dict):
        raise ApiError(400, errors.BAD_REQUEST, "'credential' must be the object navigator.credentials.create() gave.")
    registration = keys.registration(call.conn, call.user_id, call.session_id, credential)
    if registration is None:
        raise bad_request(errors.WEBAUTHN_REGISTRATION_FAILED, errors.WEBAUTHN_REGISTRATION_DETAIL)
    answer = dict(SUCCESS)
    try:
        with call.conn.transaction():
            first = not second_factors(call, call.user_id)
            answer["id"] = keys.keep(call.conn, call.user_id, name, registration)
            if first:
                answer["recovery_codes"] = call.services.two_factor.new_recovery_codes(call.conn, call.user_id)
            call.record("security_key_added", key_id=answer["id"], name=name)
    except Duplicate:
        raise bad_request(errors.BAD_REQUEST, errors.WEBAUTHN_ALREADY_REGISTERED) from None
    return answer


def remove_keys(call):
    """DELETE {"ids", "password", "otp" or "webauthn"}: forget those keys, all or none; with the last
    second factor gone, the recovery codes go too."""
    keys = call.services.security_keys
    payload = call.payload()
    ids = list_field(payload, "ids")
    cap_rows(call, "ids", ids)
    require_text(payload, "password")
    held = {key["id"]: key["name"] for key in keys.listed(call.conn, call.user_id)}
    key_ids = [_held_id(value, held) for value in ids]
    used = prove(call, payload, "DELETE /v1/webauthn")
    with call.conn.transaction():
        for key_id in dict.fromkeys(key_ids):
            if not keys.remove(call.conn, call.user_id, key_id):
                raise _not_found(key_id)  # removed meanwhile: nothing of this request stays
        if not second_factors(call, call.user_id):
            call.services.two_factor.forget_recovery_codes(call.conn, call.user_id)
        record_code_use(call, call.user_id, used)
        call.record("security_keys_removed", ids=key_ids, names=[held[key_id] for key_id in key_ids])
    return SUCCESS


def _available(call):
    keys = call.services.security_keys
    if not keys.available:
        raise bad_request(errors.WEBAUTHN_UNAVAILABLE, errors.WEBAUTHN_UNAVAILABLE_DETAIL)
    return keys


def _key_name(value):
    if not isinstance(value, str) or not value.strip():
        raise bad_request(errors.BAD_REQUEST, "'name' must be a name for the key, such as \"Blue key\".")
    name = value.strip()
    if len(name) > NAME_CHARS or not name.isprintable():
        raise bad_request(errors.BAD_REQUEST, f"'name' must be at most {NAME_CHARS} printable characters on one line.")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request(errors.BAD_REQUEST, "'name' is not valid Unicode text.") from None
    return name


def _held_id(value, held):
    key_id = as_id(value)
    if key_id is None or key_id not in held:
        raise _not_found(value)
    return key_id


def _not_found(value):
    return ApiError(404, errors.NOT_FOUND, f"No security key of yours has the id {value!r}.")
