"""`opp 2fa`: whether two-factor login is on, turning it on (the password, a key for the app, a code) and off.

What the command asks for goes to stderr with the questions, so that stdout
holds only the result (the recovery codes, or JSON with --json).
"""

import sys

from . import output, secret_input


def two_factor(ctx):
    {"status": _status, "on": _turn_on, "off": _turn_off}[ctx.args.action](ctx)


def _status(ctx):
    state = ctx.client().call("GET", "2fa")
    if ctx.args.json:
        output.as_json({"enabled": state["enabled"], "recovery_codes_left": state["recovery_codes_left"]})
    elif state["enabled"]:
        print(f"Two-factor login is on; {state['recovery_codes_left']} unused recovery codes left.")
    else:
        print("Two-factor login is off: the password alone signs in.")


def _turn_on(ctx):
    client = ctx.client()
    # The server asks for the password twice (to start and to confirm): read once, sent twice.
    password = secret_input.login_password(ctx.args.password_file, ctx.stdin)
    started = client.call("PUT", "2fa", {"password": password})
    print(
        f"Add this key to your authenticator app: {started['secret']}\n(or the address {started['otpauth']})",
        file=sys.stderr,
        flush=True,
    )
    code = secret_input.one_time_code(ctx.stdin)
    end_others = not ctx.args.keep_sessions
    body = {"code": code, "password": password, "end_other_sessions": end_others}
    codes = client.call("POST", "2fa", body)["recovery_codes"]
    if ctx.args.json:
        output.as_json({"recovery_codes": codes, "other_sessions_ended": end_others})
        return
    ended = " Every other session of the account is signed out." if end_others else ""
    print(f"Two-factor login is on.{ended} Recovery codes, shown only now (each signs in once without the app):")
    print("\n".join(codes))


def _turn_off(ctx):
    client = ctx.client()
    password = secret_input.login_password(ctx.args.password_file, ctx.stdin)
    client.call("DELETE", "2fa", {"password": password, "otp": secret_input.one_time_code(ctx.stdin)})
    if ctx.args.json:
        output.as_json({"enabled": False})
    else:
        print("Two-factor login is off: the password alone signs in.")
