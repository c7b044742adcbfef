"""The account password and, with two-factor login on, a code: what login and every route that
changes an account ask for (extensions.md §4), each guess counted, each failure in the activity log.

A token alone never changes an account's password, name, data or second
factor: whoever stole one still needs what the owner knows and holds.
"""

from ...contract import errors
from ...contract.errors import ApiError
from ..guards import record_failure

# In the event of a right password with a wrong code, the one failure that says the password is known.
PASSWORD_KNOWN = "The password was right: whoever tried this knows your password. Change it."


def proven_user(call, username, password, otp, wrong_password, route=None, on_wrong_guess=None):
    """(the named user's row, how `otp` proved the second factor: None without 2FA, "code" or
    "recovery code") when `password` is right and, with 2FA on, `otp` a good code (then spent).

    A wrong password raises `wrong_password` (each route answers it in its own words); a missing or
    wrong code the login's 401. `route` names where a failure happened in the activity log;
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
    return user, _second_factor(call, user, otp, where, on_wrong_guess)


def _second_factor(call, user, otp, where, on_wrong_guess):
    two_factor, throttle = call.services.two_factor, call.services.throttle
    user_id = user["user_id"]
    state = two_factor.state(call.conn, user_id)
    if state is None or not state["enabled"]:
        return None
    # Refused while the account's code budget is spent, before any code is looked at.
    throttle.check_code(call.conn, user_id, call.client)
    if otp is None or otp == "":
        call.record("login_code_missing", user_id, **where)
        raise ApiError(401, errors.BAD_REQUEST, errors.TWO_FACTOR_REQUIRED)
    reserved = throttle.reserve_code(call.conn, user_id, call.client)
    used = two_factor.spend(call.conn, user_id, state, otp)
    if used is None:
        if on_wrong_guess:
            on_wrong_guess()
        throttle.guess_failed(call.client, "two-factor code")
        record_failure(
            call, "login_code_failed", reserved, user_id, password_known=True, warning=PASSWORD_KNOWN, **where
        )
        raise ApiError(401, errors.BAD_REQUEST, errors.TWO_FACTOR_INVALID)
    throttle.code_succeeded(call.conn, reserved)
    return used


def record_code_use(call, user_id, used):
    """A spent recovery code in the activity log, with how many are left (inside the caller's transaction)."""
    if used == "recovery code":
        call.record(
            "recovery_code_used", user_id, left=call.services.two_factor.recovery_codes_left(call.conn, user_id)
        )
