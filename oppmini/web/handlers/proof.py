"""The account password and, with a second factor on, a code or a security key: what login and every route that
changes an account ask for (extensions.md §4), each guess counted, each failure in the activity log.

A token alone never changes an account's password, name, data or second
factor: whoever stole one still needs what the owner knows and holds.
"""

from dataclasses import dataclass

from ...accounts.securitykeys.keys import ClonedKey
from ...contract import errors
from ...contract.errors import ApiError
from ..guards import record_failure

# In the event of a right password with a wrong code, the one failure that says the password is known.
PASSWORD_KNOWN = "The password was right: whoever tried this knows your password. Change it."


def proven_user(call, username, password, otp, wrong_password, route=None, on_wrong_guess=None, assertion=None):
    """(the named user's row, how the second factor was proved: None without one, "code", "recovery
    code" or "security key") when `password` is right and, with a second factor on, `otp` a good
    code (then spent) or `assertion` a security key's good answer to this attempt's challenge.

    A wrong password raises `wrong_password` (each route answers it in its own words); a missing or
    wrong second factor the login's 401. `route` names where a failure happened in the activity log;
    `on_wrong_guess()` runs before a wrong password or code is refused.
    """
    throttle = call.services.throttle
    where = {"route": route} if route else {}
    reserved = throttle.reserve_login(call.conn, username, call.client)
    user, right = call.services.accounts.check_password(call.conn, username, password)
    if not right:
        if on_wrong_guess:
            on_wrong_guess()
        throttle.guess_failed(call.client, "password")
        if user is not None:
            record_failure(call, "login_failed_password", reserved, user["user_id"], **where)
        raise wrong_password
    # The password's counts start again: codes have a budget of their own, so
    # that guessing them cannot lock the owner out of the password step.
    throttle.login_succeeded(call.conn, reserved)
    proof = Proof(otp, assertion, where, on_wrong_guess)
    return user, _second_factor(call, user, proof)


@dataclass(frozen=True)
class Proof:
    """What a request offers for the second factor, and how its failures are told."""

    otp: object
    assertion: object
    where: dict
    on_wrong_guess: object

    @property
    def offered(self):
        return self.assertion is not None or self.otp not in (None, "")


def second_factors(call, user_id):
    """The account's second factors, the key first (what a sign-in asks for first): "webauthn", "totp"."""
    state = call.services.two_factor.state(call.conn, user_id)
    keys = ["webauthn"] if call.services.security_keys.count(call.conn, user_id) else []
    return keys + (["totp"] if state and state["enabled"] else [])


def _second_factor(call, user, proof):
    two_factor, throttle, keys = call.services.two_factor, call.services.throttle, call.services.security_keys
    user_id = user["user_id"]
    factors = second_factors(call, user_id)
    if not factors:
        return None
    # Refused while the account's code budget is spent, before any code is looked at.
    throttle.check_code(call.conn, user_id, call.client)
    if not proof.offered:
        call.record("login_code_missing", user_id, **proof.where)
        raise _code_required(call, user_id, factors)
    reserved = throttle.reserve_code(call.conn, user_id, call.client)
    clone = None
    if proof.assertion is not None:
        try:
            used = "security key" if keys.verify(call.conn, user_id, proof.assertion) else None
        except ClonedKey as error:
            used, clone = None, {"cloned_key": error.name}
    else:
        used = two_factor.spend(call.conn, user_id, two_factor.state(call.conn, user_id), proof.otp)
    if used is None:
        if proof.on_wrong_guess:
            proof.on_wrong_guess()
        throttle.guess_failed(call.client, "two-factor code")
        record_failure(
            call,
            "login_code_failed",
            reserved,
            user_id,
            password_known=True,
            warning=PASSWORD_KNOWN,
            **(clone or {}),
            **proof.where,
        )
        raise ApiError(401, errors.BAD_REQUEST, errors.TWO_FACTOR_INVALID)
    throttle.code_succeeded(call.conn, reserved)
    return used


def _code_required(call, user_id, factors):
    """The login's 401 naming the account's factors, with a key's request options when it has keys
    and the server can ask for one."""
    extra = {"factors": factors}
    keys = call.services.security_keys
    if "webauthn" in factors and keys.available:
        extra["webauthn"] = keys.request_options(call.conn, user_id)
    return ApiError(401, errors.BAD_REQUEST, errors.TWO_FACTOR_REQUIRED, extra=extra)


def record_code_use(call, user_id, used):
    """A spent recovery code in the activity log, with how many are left (inside the caller's transaction)."""
    if used == "recovery code":
        call.record(
            "recovery_code_used", user_id, left=call.services.two_factor.recovery_codes_left(call.conn, user_id)
        )
