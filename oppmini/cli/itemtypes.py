"""Item types on the command line: `--type`, `--set FIELD=VALUE` for a type's plain fields, `--secret FIELD`
for its secrets (read from standard input or asked for without echo, never from the command line), and
how `opp get` shows a type's fields.

The server checks every field (oppmini's README, "Attachments and item types"); `opp` knows only which
fields are secrets, so that none of them is ever taken from argv or printed unasked.
"""

import sys

from . import secret_input
from .errors import UsageError
from .output import printable

TYPES = ("login", "note", "card", "identity", "wifi", "ssh_key")
SECRETS = {
    "card": ("number", "code"),
    "identity": ("ssn", "passport_number", "license_number"),
    "ssh_key": ("private_key",),
}
# A type whose item has no password unless one is given.
WITHOUT_PASSWORD = ("note", "card", "identity", "ssh_key")
MULTI_LINE = ("private_key",)  # read to the end of standard input


def add_options(command):
    command.add_argument("--type", choices=TYPES, help="what the item holds (default: login)")
    command.add_argument(
        "--set",
        action="append",
        metavar="FIELD=VALUE",
        help="a plain field of the type (cardholder, exp_month, first_name, ssid...); repeatable",
    )
    command.add_argument(
        "--secret",
        action="append",
        metavar="FIELD",
        help="a secret field of the type (card: number, code; identity: ssn, passport_number, license_number; "
        "ssh_key: private_key), read from standard input (a line each, in order; private_key to the end) "
        "or asked for without echo; repeatable",
    )


def typed_row(args, item_type, stdin=None, stored=None):
    """The row's `type` and the type's fields from --type, --set and --secret; {} when none is given.

    The server replaces a type's fields whole: an edit sends the `stored` item's others with the changed ones.
    """
    row = {"type": args.type} if args.type else {}
    if not (args.set or args.secret):
        return row
    if item_type not in SECRETS and item_type not in ("wifi",):
        raise UsageError(f"a {item_type} has no fields of its own; give --type")
    secrets = SECRETS.get(item_type, ())
    kept = (stored or {}).get(item_type) if (stored or {}).get("type") == item_type else None
    own = {name: value for name, value in (kept or {}).items() if name != "fingerprint"}  # the server's own
    for text in args.set or ():
        name, sep, value = text.partition("=")
        if not sep or not name:
            raise UsageError(f"--set takes FIELD=VALUE, not {printable(text)!r}")
        if name in secrets:
            raise UsageError(f"{name} is a secret: give --secret {name} (standard input or a prompt)")
        own[name] = value
    for name in args.secret or ():
        if name not in secrets:
            raise UsageError(f"a {item_type} has no secret {printable(name)!r}; its secrets: {', '.join(secrets)}")
        own[name] = _secret(name, stdin or sys.stdin)
    row[item_type] = own
    return row


def _secret(name, stdin):
    what = name.replace("_", " ")
    if not stdin.isatty():
        if name in MULTI_LINE:
            value = stdin.read()
            if not value.strip():
                raise UsageError(f"no {what} on standard input")
            return value
        return secret_input.from_stdin(what, stdin)
    return secret_input.ask(what.capitalize(), what)


def detail_lines(item, show):
    """`opp get`'s lines for the item's type and its own fields, secrets masked unless `show`."""
    item_type = item.get("type") or "login"
    lines = [f"type: {item_type}"]
    secrets = SECRETS.get(item_type, ())
    for name, value in (item.get(item_type) or {}).items():
        if name in secrets and value and not show:
            value = "(hidden: --show, or --field " + name + ")"
        shown = [printable(line) for line in str(value or "").split("\n")]
        lines.append(f"{name}: {shown[0]}" if shown[0] else f"{name}:")
        lines += [" " * (len(name) + 2) + line for line in shown[1:]]
    return lines
