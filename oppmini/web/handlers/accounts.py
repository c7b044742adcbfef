"""Handlers of /v1/health, /v1/auth and /v1/user."""

from ...accounts.accounts import MIN_PHRASE_LENGTH, new_username
from ...contract import errors
from ...contract.errors import ApiError, bad_request
from ...contract.payload import blank, is_text, require_text, single_field, text_input
from ...sharing import departure
from ...store.db import Duplicate
from ..guards import checked_passphrase
from . import SUCCESS
from .proof import proven_user, record_code_use


def login(call):
    # `{}` is a login without credentials (401 below), as OpenPassPhrase answers it.
    payload = call.payload(empty_allowed=True)
    services = call.services
    # Any text is looked up, as accounts made before today's name rules may hold it.
    username, password = _text_or_none(payload.get("username")), _text_or_none(payload.get("password"))
    # Counted before the Argon2 work (which missing credentials do too, so the
    # answer's timing says nothing); a wrong guess stays counted.
    user, second_factor = proven_user(
        call,
        username,
        password,
        payload.get("otp"),
        _invalid_credentials(),
        on_wrong_guess=lambda: services.metrics.login(succeeded=False),
        assertion=payload.get("webauthn"),
    )
    lifetime = token_lifetime(payload.get("exp_delta"), call.config)
    services.sessions.tidy(call.conn)
    services.activity.tidy(call.conn)
    with call.conn.transaction():
        session_id = services.sessions.open(call.conn, user["user_id"], lifetime, call.client, call.agent)
        detail = {"session_id": session_id}
        if second_factor is not None:
            detail["second_factor"] = second_factor
        call.record("login", user["user_id"], **detail)
        record_code_use(call, user["user_id"], second_factor)
    token = services.signer.issue(user["user_id"], user["security_stamp"], lifetime, session_id)
    services.metrics.login(succeeded=True)
    return {"access_token": token}


def _text_or_none(value):
    # Login answers every malformed field alike: as no credentials at all.
    return value if isinstance(value, str) and is_text(value) else None


def _new_username(field, value):
    """The name an account gets for `value` (its NFC form), or 400 `Invalid username!` saying why none."""
    name, fault = new_username(value)
    if fault is not None:
        raise errors.invalid_username(field, fault)
    return name


def _invalid_credentials():
    return ApiError(401, errors.BAD_REQUEST, errors.INVALID_CREDENTIALS)


def token_lifetime(requested, config):
    """exp_delta as asked, at most config `max_exp_delta`; the default when it is no number of 1 or more."""
    # `not >= 1` is also true of NaN.
    if isinstance(requested, bool) or not isinstance(requested, (int, float)) or not requested >= 1:
        return config.exp_delta
    # Clamped before int(), which infinity would overflow.
    return int(min(requested, config.max_exp_delta))


def logout(call):
    """Log out everywhere: a new stamp makes every earlier token 401."""
    with call.conn.transaction():
        call.services.accounts.revoke_tokens(call.conn, call.user_id)
        call.record("logout_everywhere")
    return SUCCESS


def sign_up(call):
    if not call.config.allow_signup:
        raise ApiError(403, errors.SIGNUP_DISABLED)
    payload = call.payload()
    username, password = _credentials(payload)
    # Decided by the text alone, before any look-up: a known name and an unknown one fare alike.
    username = _new_username("username", username)
    phrase = text_input(payload, "phrase", required=False)
    if blank(phrase):
        raise errors.input_empty("phrase")
    if len(phrase) < MIN_PHRASE_LENGTH:
        raise bad_request(errors.PHRASE_TOO_SHORT)
    # A taken name costs the same Argon2 work as a new account (create() does
    # it before its insert) and counts as a guess from this address, so that
    # names cannot be probed quickly; a person signing up is still told.
    reserved = call.services.throttle.reserve_signup(call.conn, call.client)
    try:
        call.services.accounts.create(call.conn, username, password, phrase)
    except Duplicate:
        raise bad_request(errors.USER_EXISTS) from None
    call.services.throttle.login_succeeded(call.conn, reserved)
    return SUCCESS


def update_user(call):
    """Rename, new login password and (extension) new passphrase: all or nothing."""
    accounts = call.services.accounts
    payload = call.payload()
    user, second_factor = _verified_user(call, payload, "POST /v1/user")
    new_username = _optional_text(payload, "new_username")
    new_password = _optional_text(payload, "new_password")
    new_phrase = _optional_text(payload, "new_phrase")
    if new_username is None and new_password is None and new_phrase is None:
        raise bad_request(errors.NOTHING_TO_UPDATE)
    if new_username is not None:
        new_username = _new_username("new_username", new_username)
    data_key = None
    if new_phrase is not None:
        data_key = _unlocked_key(call, user, payload)
        if len(new_phrase) < MIN_PHRASE_LENGTH:
            raise bad_request(errors.PHRASE_TOO_SHORT)
    changes = {"username_changed": new_username, "password_changed": new_password, "passphrase_changed": new_phrase}

    def record_changes():
        record_code_use(call, user["user_id"], second_factor)
        for event, value in changes.items():
            if value is not None:
                call.record(event, user["user_id"])

    try:
        accounts.update(
            call.conn, user["user_id"], new_username, new_password, new_phrase, data_key, also=record_changes
        )
    except Duplicate:
        raise errors.username_taken(new_username) from None
    return SUCCESS


def delete_user(call):
    """The user and all of its data; first, its shared collections (oppmini/sharing/departure.py): refused
    while it is the last manager of one others share, and `phrase` needed to leave those, re-sealed."""
    payload = call.payload()
    user, _ = _verified_user(call, payload, "DELETE /v1/user")
    call.user = user
    _, shared = departure.plan(call.conn, user["user_id"])
    if shared:
        if blank(text_input(payload, "phrase", required=False)):
            raise departure.phrase_needed(shared)
        call.data_key = _unlocked_key(call, user, payload)
    with call.conn.transaction():
        # Again, inside the transaction: a member added meanwhile is left too, or refused.
        alone, shared = departure.plan(call.conn, user["user_id"])
        if shared and call.data_key is None:
            raise departure.phrase_needed(shared)
        departure.depart(call, alone, shared)
        call.services.accounts.delete(call.conn, user["user_id"])
    return SUCCESS


def _optional_text(payload, name):
    """A text parameter that may be left out; None when absent or blank."""
    value = text_input(payload, name, required=False)
    return None if blank(value) else value


def _credentials(payload):
    # Shape first (both fields), then blankness, as the contract orders them.
    single_field(payload, "username")
    single_field(payload, "password")
    return require_text(payload, "username"), require_text(payload, "password")


def _verified_user(call, payload, route):
    """The named user when the password is right and, with a second factor on, `otp` or `webauthn` too; guesses here are
    counted and logged like logins'. (the user row, how the second factor was proved)."""
    username, password = _credentials(payload)
    # One answer, at one cost, for an unknown name and a wrong password:
    # "User does not exist!" would tell which names have accounts.
    return proven_user(
        call,
        username,
        password,
        payload.get("otp"),
        bad_request(errors.PASSWORD_INCORRECT),
        route,
        assertion=payload.get("webauthn"),
    )


def _unlocked_key(call, user, payload):
    phrase = text_input(payload, "phrase", required=False)
    if blank(phrase):
        raise errors.input_empty("phrase")
    return checked_passphrase(call, user, phrase)
