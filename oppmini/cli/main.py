"""The `opp` command line: options, dispatch, and the exit code of every outcome."""

import argparse
import os
import sys

from . import account, health, itemtypes, security, share, transfer, twofactor, vault
from .context import Context
from .errors import USAGE, CliError, UsageError
from .output import printable


class Parser(argparse.ArgumentParser):
    """argparse exits 2 on a bad command line; in `opp` 2 means "several items match"."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(USAGE, f"opp: {message}\n")


def _common(phrase):
    """The options every command takes (after its name), and --phrase-file where the vault is opened."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--server",
        metavar="URL",
        help="server base URL (default: OPP_SERVER, the session's, else http://127.0.0.1:8080)",
    )
    common.add_argument("--cacert", metavar="FILE", help="verify HTTPS against this CA file, not the system's")
    common.add_argument("--json", action="store_true", help="print JSON for scripts")
    if phrase:
        common.add_argument(
            "--phrase-file",
            metavar="FILE",
            help="read the passphrase from FILE (default: OPP_PHRASE_FILE, else asked for)",
        )
    return common


def _password_options(command, edit):
    choice = command.add_mutually_exclusive_group()
    choice.add_argument("--generate", type=int, metavar="N", help="a generated password of N characters")
    choice.add_argument("--words", type=int, metavar="N", help="a generated passphrase of N words")
    choice.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    if edit:
        choice.add_argument("--password-prompt", action="store_true", help="type the new password (no echo)")


def _item_fields(command):
    command.add_argument("--url")
    command.add_argument("--username")
    command.add_argument("--account")
    command.add_argument("--notes")
    command.add_argument("--category", metavar="NAME", help="the category (made when it does not exist)")
    command.add_argument(
        "--field",
        action="append",
        metavar="NAME=VALUE",
        help="set a custom field (not hidden: the value is on the command line); repeatable",
    )
    favorite = command.add_mutually_exclusive_group()
    favorite.add_argument("--favorite", action="store_true", default=None, help="mark the item favourite")
    favorite.add_argument("--no-favorite", dest="favorite", action="store_false", help="unmark it")


def _share_commands(parser, opening, plain):
    """`opp share ACTION ...`; `opp share` alone lists the collections with their members."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION")

    def action(name, run, help, parents=opening):
        sub = actions.add_parser(name, help=help, description=help, parents=[parents])
        sub.set_defaults(run=run)
        return sub

    action("list", share.list_collections, "the collections you belong to, your role and their members")
    action("create", share.create, "make a collection; you manage it").add_argument("name", metavar="NAME")
    rename = action("rename", share.rename, "rename a collection (manage)")
    rename.add_argument("collection", metavar="COLLECTION", help="its name or id")
    rename.add_argument("new_name", metavar="NEW_NAME")
    action("delete", share.delete, "delete a collection; its items go to your trash (manage)").add_argument(
        "collection", metavar="COLLECTION", help="its name or id"
    )
    add = action("add", share.add, "invite members (they accept), or change their role (manage)")
    add.add_argument("collection", metavar="COLLECTION", help="its name or id")
    add.add_argument("usernames", nargs="+", metavar="USERNAME")
    add.add_argument(
        "--role",
        choices=share.ROLES,
        default="read",
        help="read (see items, the default), write (also change them), manage (also members)",
    )
    remove = action(
        "remove", share.remove, "remove members (the collection gets a new key) or withdraw invitations (manage)"
    )
    remove.add_argument("collection", metavar="COLLECTION", help="its name or id")
    remove.add_argument("usernames", nargs="+", metavar="USERNAME")
    action("leave", share.leave, "leave a collection (any member)").add_argument(
        "collection", metavar="COLLECTION", help="its name or id"
    )
    action("invitations", share.invitations, "your pending invitations to collections", plain)
    for name, run, help in (
        ("accept", share.accept, "accept invitations: a member from now"),
        ("decline", share.decline, "decline invitations: they are gone"),
    ):
        action(name, run, help, plain).add_argument("ids", nargs="+", metavar="ID", help="the invitation's id")


def build_parser():
    parser = Parser(
        prog="opp",
        description="Command-line client for an oppmini server.",
        epilog="Exit codes: 0 done, 1 no match, 2 several items match, 3 the server answered an "
        "error, 4 not logged in or session no longer valid, 5 server unreachable, 64 bad usage.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    plain, opening = _common(phrase=False), _common(phrase=True)

    def command(name, run, help, phrase=False):
        sub = commands.add_parser(name, help=help, description=help, parents=[opening if phrase else plain])
        sub.set_defaults(run=run)
        return sub

    login = command("login", account.login, "log in and keep the token in the session file")
    login.add_argument("-u", "--username", metavar="NAME")
    login.add_argument(
        "--password-file",
        metavar="FILE",
        help="read the password from FILE (default: standard input when it is not a terminal, else asked for)",
    )
    login.add_argument(
        "--expires",
        type=int,
        default=account.DEFAULT_LIFETIME,
        metavar="SECONDS",
        help=f"session lifetime (default {account.DEFAULT_LIFETIME}; the server may cap it)",
    )
    logout = command("logout", account.logout, "sign this session out (--everywhere: revoke every token)")
    logout.add_argument("--everywhere", action="store_true", help="revoke every token of the account on the server")
    command("status", account.status, "show the session and check that the server still takes it")
    sessions = command("sessions", security.sessions, "list the account's sessions (--revoke ID...: sign them out)")
    sessions.add_argument("--revoke", type=int, nargs="+", metavar="ID", help="sign out these sessions")
    tfa = command("2fa", twofactor.two_factor, "two-factor login: status (the default), on or off")
    tfa.add_argument("action", nargs="?", choices=("status", "on", "off"), default="status")
    tfa.add_argument(
        "--password-file",
        metavar="FILE",
        help="read the password from FILE (default: standard "
        "input when it is not a terminal, else asked for); the code is asked after it",
    )
    tfa.add_argument(
        "--keep-sessions",
        action="store_true",
        help="on: leave the account's other sessions signed in (by default turning it on signs them out)",
    )
    activity = command("activity", security.activity, "the account's activity log, newest first")
    activity.add_argument("--limit", type=int, default=20, metavar="N", help="events to show (default 20)")
    activity.add_argument("--before", type=int, metavar="ID", help="only events older than this one")

    ls = command("ls", vault.ls, "list items (no secrets)", phrase=True)
    ls.add_argument("--category", metavar="NAME")
    ls.add_argument("--favorites", action="store_true", help="only the items marked favourite")
    ls.add_argument("--collection", metavar="NAME-or-ID", help="only the items of this shared collection")
    search = command(
        "search", vault.search, "items holding every word (name, url, account, username, notes)", phrase=True
    )
    search.add_argument("words", nargs="+", metavar="WORD")

    get = command("get", vault.get, "show one item, or one field of it", phrase=True)
    get.add_argument("item", metavar="NAME-or-ID")
    get.add_argument(
        "--field",
        metavar="FIELD",
        help="print this field's bare value: password, username, url, "
        "account, notes, name, totp (the current code), a field of the item's type, or a custom field's name",
    )
    get.add_argument("--show", action="store_true", help="show the password and the type's secrets too")
    get.add_argument("--attachment", metavar="NAME-or-ID", help="write this attached file's bytes instead")
    get.add_argument("-o", "--output", metavar="FILE", help="with --attachment: write to FILE, not stdout")

    command("health", health.health, "weak, reused, old and exposed passwords of the vault", phrase=True)

    totp = command("totp", vault.totp, "the item's current one-time code", phrase=True)
    totp.add_argument("item", metavar="NAME-or-ID")

    add = command("add", vault.add, "add an item", phrase=True)
    add.add_argument("name", metavar="NAME")
    _item_fields(add)
    itemtypes.add_options(add)
    _password_options(add, edit=False)

    edit = command("edit", vault.edit, "change the fields given", phrase=True)
    edit.add_argument("item", metavar="NAME-or-ID")
    edit.add_argument("--name", dest="new_name", metavar="NEW_NAME")
    _item_fields(edit)
    edit.add_argument("--no-category", action="store_true", help="make the item uncategorised")
    itemtypes.add_options(edit)
    _password_options(edit, edit=True)

    attach = command("attach", vault.attach, "attach a file to an item (sealed on the server)", phrase=True)
    attach.add_argument("item", metavar="NAME-or-ID")
    attach.add_argument("file", metavar="FILE")

    rm = command("rm", vault.rm, "move an item to the trash", phrase=True)
    rm.add_argument("item", metavar="NAME-or-ID")

    command("trash", vault.trash, "list the items in the trash", phrase=True)
    restore = command("restore", vault.restore, "take an item back out of the trash", phrase=True)
    restore.add_argument("item", metavar="NAME-or-ID")
    imports = command("import", transfer.import_file, "import another password manager's export file", phrase=True)
    imports.add_argument("file", metavar="FILE")
    imports.add_argument("--format", default="auto", help="the file's format (default: auto, from its content)")
    imports.add_argument("--dry-run", action="store_true", help="say what would be imported, import nothing")
    imports.add_argument(
        "--keep-duplicates",
        action="store_true",
        help="import entries equal to an item in name, url, username and password too",
    )
    export = command("export", transfer.export_file, "save the vault as a file (NOT encrypted)", phrase=True)
    export.add_argument(
        "--format", default="oppmini-json", help="oppmini-json (default), bitwarden-json or bitwarden-csv"
    )
    export.add_argument(
        "--include-collections",
        action="store_true",
        help="the items of the shared collections you belong to as well, each naming its collection",
    )
    export.add_argument(
        "--include-attachments",
        action="store_true",
        help="every item's files too, in the file (oppmini-json only; opp import reads them back)",
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write it (default: the name the server "
        "gives, oppmini-export-YYYYMMDD.json; - for standard output)",
    )

    _share_commands(
        command(
            "share",
            share.list_collections,
            "shared collections: list (the default), create, "
            "rename, delete, add or remove members, leave; invitations, accept, decline",
            phrase=True,
        ),
        opening,
        plain,
    )

    gen = command("gen", vault.gen, "generate a password (characters, or --words N)")
    gen.add_argument("length", nargs="?", type=int, default=20, metavar="N", help="characters (default 20)")
    gen.add_argument("--words", type=int, metavar="N", help="N words from the word list instead")
    gen.add_argument("--delimiter", metavar="TEXT", help="between words (default a space)")
    return parser


def main(argv=None, environ=None, stdin=None):
    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "no_category", False) and args.category is not None:
            raise UsageError("--category and --no-category exclude each other")
        args.run(Context(args, os.environ if environ is None else environ, stdin or sys.stdin))
    except CliError as error:
        for line in error.details:
            print(printable(line), file=sys.stderr)
        print(f"opp: {printable(error)}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("opp: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
