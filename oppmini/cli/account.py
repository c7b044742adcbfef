"""The account commands: login, logout, status."""

import sys
import time

from . import output, secret_input, session
from .client import Client
from .errors import ServerError, SessionError, UsageError

# extensions.md §4: with two-factor login on, POST /v1/auth without "otp" answers this.
TWO_FACTOR_REQUIRED = "Two-factor code required"
DEFAULT_LIFETIME = 3600
# The account's only second factor is a security key or passkey, which a terminal cannot talk to.
KEYS_ONLY = (
    "This account's second factor is a security key or passkey, which opp cannot use: "
    "give one of its recovery codes instead (the web page signs in with the key)."
)


def when(seconds):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


def _username(ctx, saved, server):
    if ctx.args.username:
        return ctx.args.username
    if saved and saved.server == server:
        return saved.username
    if not ctx.stdin.isatty():
        raise UsageError("give the user name with -u NAME")
    name = input("Username: ").strip()
    if not name:
        raise UsageError("no user name given")
    return name


def _authenticate(client, body, ctx):
    """POST /auth; asks for the two-factor code when the server wants one, then sends it as "otp"."""
    try:
        return client.call("POST", "auth", body)
    except ServerError as error:
        if error.status != 401 or error.description != TWO_FACTOR_REQUIRED:
            raise
        if "totp" not in error.body.get("factors", ["totp"]):
            print(KEYS_ONLY, file=sys.stderr)
    return client.call("POST", "auth", {**body, "otp": secret_input.one_time_code(ctx.stdin)})


def login(ctx):
    saved = ctx.saved_session()
    server = ctx.server(saved)
    cacert = ctx.cacert(saved, server)
    client = Client(server, cacert=cacert)
    username = _username(ctx, saved, server)
    password = secret_input.login_password(ctx.args.password_file, ctx.stdin)
    body = {"username": username, "password": password, "exp_delta": ctx.args.expires}
    token = _authenticate(client, body, ctx)["access_token"]
    # The server may shorten the lifetime (max_exp_delta): the token's own exp says what it granted.
    expires_at = session.token_expiry(token) or int(time.time()) + ctx.args.expires
    path = session.save(session.Session(server, username, token, expires_at, cacert), ctx.environ)
    if ctx.args.json:
        output.as_json({"server": server, "username": username, "expires_at": expires_at})
    else:
        print(f"Logged in to {server} as {output.printable(username)} until {when(expires_at)} (session in {path}).")


def logout(ctx):
    try:
        saved = ctx.saved_session()
    except SessionError:  # a damaged file is still removed
        saved = None
    revoked, signed_out = False, False
    try:
        if ctx.args.everywhere:
            ctx.client().call("DELETE", "auth")
            revoked = True
        elif saved and saved.seconds_left() > 0:
            signed_out = _sign_out_this_session(ctx)
    finally:
        forgotten = session.forget(ctx.environ)
    if ctx.args.json:
        output.as_json({"forgotten": forgotten, "revoked_everywhere": revoked, "session_revoked": signed_out})
    elif revoked:
        print("Logged out everywhere: every token of the account is revoked.")
    elif signed_out:
        print("Logged out: this session's token no longer works.")
    elif forgotten and saved and saved.seconds_left() > 0:
        # A server without sessions revokes all of an account's tokens or none: this one lives on until it expires.
        print(
            f"Logged out here. The token stays valid on the server until {when(saved.expires_at)}; "
            "opp logout --everywhere revokes every token of the account."
        )
    elif forgotten:
        print("Logged out here.")
    else:
        print("Not logged in.")


def _sign_out_this_session(ctx):
    """Revoke the session this token belongs to; False where the server keeps no sessions (or no longer takes it)."""
    try:
        client = ctx.client()
        current = [row["id"] for row in client.call("GET", "sessions")["sessions"] if row["current"]]
        if current:
            client.call("DELETE", "sessions", {"ids": current})
        return bool(current)
    except SessionError:
        return False  # revoked or expired already: nothing left to sign out
    except ServerError as error:
        if error.status == 404:
            return False  # a server of an earlier release
        raise


def status(ctx):
    saved = ctx.live_session()
    client = ctx.client()
    # The server has no "who am I" route: GET /generate is the cheapest call that
    # checks the token (revoked or not) and changes nothing.
    client.call("GET", "generate", query={"numChars": 8})
    left = saved.seconds_left()
    if ctx.args.json:
        output.as_json(
            {
                "server": saved.server,
                "username": saved.username,
                "expires_at": saved.expires_at,
                "seconds_left": left,
                "session_file": str(session.session_path(ctx.environ)),
            }
        )
        return
    print(f"server:   {saved.server}")
    print(f"user:     {output.printable(saved.username)}")
    print(f"expires:  {when(saved.expires_at)} (in {left // 60} min)")
    print(f"session:  {session.session_path(ctx.environ)}")
