"""The admin command line (`opp-db`), accepting OpenPassPhrase's flags."""

import argparse
import getpass
import sys
import time
from types import SimpleNamespace

from .. import config as settings
from ..accounts.accounts import MIN_PHRASE_LENGTH, Accounts, new_username, user_named
from ..accounts.activity import ActivityLog, record_event
from ..accounts.two_factor import TwoFactor, secrets_not_opening
from ..contract import errors
from ..contract.errors import ApiError
from ..services import SIGNING_KEY_SETTING
from ..sharing import departure
from ..store.db import Database, DatabaseError, Duplicate
from ..store.migrations import upgrade
from ..web.call import Call
from . import backup, rotation

# Dated backups kept by `backup --dir` without --keep.
DEFAULT_KEEP = 7


class CommandError(Exception):
    """Printed as `Error: ...` on stderr with a non-zero exit."""


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="opp-db", description="Manage the oppmini database and its users.")
    parser.add_argument("--config", "--config_file", dest="config", metavar="FILE", help="top configuration file")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("init", help="create the database schema (harmless to repeat)")

    add = commands.add_parser("add-user", help="create a user")
    add.add_argument("-u", "--username")
    add.add_argument("-p", "--password")
    add.add_argument("--phrase", help="encryption passphrase")

    delete = commands.add_parser("del-user", help="delete a user")
    delete.add_argument("-u", "--username", required=True)
    delete.add_argument("-p", "--password")
    delete.add_argument("--remove_data", action="store_true", help="also delete the user's vault")
    delete.add_argument(
        "--phrase",
        help="the user's passphrase: needed (and asked for) only to leave collections "
        "shared with others, whose key then changes",
    )

    update = commands.add_parser("update-user", help="rename a user or change its login password")
    update.add_argument("-u", "--username", required=True)
    update.add_argument("-p", "--password")
    update.add_argument("--new_username")
    update.add_argument("--new_password")

    phrase = commands.add_parser("update-phrase", help="change a user's passphrase (re-wraps one key)")
    phrase.add_argument("-u", "--username", required=True)
    phrase.add_argument("-p", "--password")
    phrase.add_argument("--old_phrase")
    phrase.add_argument("--new_phrase")

    reset = commands.add_parser("reset-2fa", help="turn two-factor login off (codes and keys) for a user who lost them")
    reset.add_argument("-u", "--username", required=True)

    dump = commands.add_parser(
        "backup", help="write every row to FILE (or a dated file in --dir) from one consistent snapshot"
    )
    dump.add_argument("file", metavar="FILE", nargs="?")
    dump.add_argument("--dir", metavar="DIR", help="write opp-<UTC time>.backup in DIR instead, and verify it")
    dump.add_argument(
        "--keep",
        metavar="N",
        type=int,
        help="with --dir: once the new backup verified, remove the oldest beyond N (at least 1)",
    )

    check = commands.add_parser("verify", help="check a backup file's checksum and every record's structure")
    check.add_argument("file", metavar="FILE")

    load = commands.add_parser("restore", help="load a verified backup into an empty database, keeping ids")
    load.add_argument("file", metavar="FILE")
    load.add_argument("--dry-run", action="store_true", help="verify and count, write nothing")
    return parser.parse_args(argv)


class Secrets:
    """Values not given as flags: asked for without echo on a terminal, else read from stdin."""

    def __init__(self, stdin=sys.stdin):
        self.stdin = stdin
        self.interactive = stdin.isatty()

    def ask(self, prompt, confirm=False):
        if not self.interactive:
            line = self.stdin.readline()
            if not line:
                raise CommandError(f"{prompt.lower()} expected on standard input")
            return line.rstrip("\r\n")
        value = getpass.getpass(f"{prompt}: ")
        if confirm and getpass.getpass(f"{prompt} (again): ") != value:
            raise CommandError(f"the two {prompt.lower()} entries differ")
        return value

    def name(self, prompt):
        if not self.interactive:
            return self.ask(prompt)
        return input(f"{prompt}: ")

    def explain(self, text):
        """Words for the person at the terminal before a question; nothing when the secrets are piped in."""
        if self.interactive:
            print(text, file=sys.stderr)


def nonblank(value, what):
    if value is None or not value.strip():
        raise CommandError(f"{what} must not be empty")
    return value


def new_username_checked(username, what):
    """A name to give an account: the server's rule for sign-up and rename."""
    name, fault = new_username(username)
    if fault is not None:
        raise CommandError(f"the {what} {fault}")
    return name


def new_phrase_checked(phrase, what):
    """A passphrase to set: not blank, and long enough."""
    nonblank(phrase, what)
    if len(phrase) < MIN_PHRASE_LENGTH:
        raise CommandError(f"the passphrase must be at least {MIN_PHRASE_LENGTH} characters long")
    return phrase


def main(argv=None, stdin=sys.stdin):
    args = parse_args(argv)
    try:
        config = settings.load(args.config)
        if args.command in BACKUP_COMMANDS:
            message = BACKUP_COMMANDS[args.command](args, config)
        else:
            db = Database(config.db_connect)
            before, after = upgrade(db)
            if args.command == "init":
                print(schema_report(before, after))
                return 0
            with db.connect() as conn:
                message = COMMANDS[args.command](args, conn, Accounts(config), Secrets(stdin))
    except (CommandError, settings.ConfigError, backup.BackupError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    except DatabaseError as error:
        print(f"Error: database: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130
    print(message)
    return 0


def schema_report(before, after):
    if before == after:
        return f"Database ready (schema version {after})."
    if before == 0:
        return f"Database created (schema version {after})."
    return f"Database upgraded from schema version {before} to {after}."


# Told before `make adduser` asks for the two secrets (README, Managing accounts).
TWO_SECRETS = """\
Two secrets, two jobs:
  the password signs you in (the web page's first screen, the opp command, the browser extension);
  the passphrase unlocks your vault: the items are sealed under a key only it opens, so a forgotten
  passphrase cannot be reset and its items are lost. The server sees it while it answers a request and
  never stores it.
Choose two different ones; for the passphrase a few words you will remember (at least 6 characters)."""


def add_user(args, conn, accounts, secrets):
    username = new_username_checked(nonblank(args.username or secrets.name("Username"), "username"), "username")
    if not (args.password and args.phrase):
        secrets.explain(TWO_SECRETS)
    password = nonblank(args.password or secrets.ask("Password", confirm=True), "password")
    phrase = new_phrase_checked(args.phrase or secrets.ask("Passphrase", confirm=True), "passphrase")
    if conn.run("get_user_by_name", username=username) is not None:
        raise CommandError(f"user '{username}' already exists")
    try:
        accounts.create(conn, username, password, phrase)
    except Duplicate:
        raise CommandError(f"user '{username}' already exists") from None
    return f"User '{username}' added."


def verified_user(args, conn, accounts, secrets):
    user = user_named(conn, args.username)
    if user is None:
        raise CommandError(f"user '{args.username}' does not exist")
    password = args.password or secrets.ask("Password")
    if not accounts.passwords.verify(user["password_hash"], password):
        raise CommandError("incorrect password")
    return user


def del_user(args, conn, accounts, secrets):
    user = verified_user(args, conn, accounts, secrets)
    if not args.remove_data and conn.run("count_user_rows", user_id=user["user_id"]):
        raise CommandError(f"user '{args.username}' has stored data; add --remove_data to delete it too")
    # Shared collections as DELETE /v1/user handles them (oppmini/sharing/departure.py), logged as from opp-db.
    call = Call(
        SimpleNamespace(accounts=accounts, activity=ActivityLog(settings.Config())),
        conn,
        {"User-Agent": "opp-db"},
        user=user,
    )
    try:
        _, shared = departure.plan(conn, user["user_id"])
        if shared:
            call.data_key = accounts.unlock(user, args.phrase or secrets.ask("Passphrase"))
            if call.data_key is None:
                raise CommandError("incorrect passphrase")
        with conn.transaction():
            alone, shared = departure.plan(conn, user["user_id"])
            if shared and call.data_key is None:
                raise CommandError("the user joined a shared collection meanwhile; run the command again")
            departure.depart(call, alone, shared)
            accounts.delete(conn, user["user_id"])
    except ApiError as error:
        raise CommandError(f"{error.error} {error.description}") from None
    return f"User '{args.username}' deleted."


def update_user(args, conn, accounts, secrets):
    user = verified_user(args, conn, accounts, secrets)
    new_username = args.new_username if args.new_username and args.new_username.strip() else None
    new_password = args.new_password if args.new_password and args.new_password.strip() else None
    if new_username is None and new_password is None:
        raise CommandError(errors.NOTHING_TO_UPDATE)
    if new_username is not None:
        new_username = new_username_checked(new_username, "new username")
    try:
        accounts.update(conn, user["user_id"], new_username=new_username, new_password=new_password)
    except Duplicate:
        raise CommandError(f"username '{new_username}' already exists") from None
    return f"User '{args.username}' updated."


def update_phrase(args, conn, accounts, secrets):
    user = verified_user(args, conn, accounts, secrets)
    old_phrase = args.old_phrase or secrets.ask("Current passphrase")
    data_key = accounts.unlock(user, old_phrase)
    if data_key is None:
        raise CommandError("incorrect passphrase")
    new_phrase = new_phrase_checked(args.new_phrase or secrets.ask("New passphrase", confirm=True), "new passphrase")
    accounts.update(conn, user["user_id"], new_passphrase=new_phrase, data_key=data_key)
    return f"Passphrase of '{args.username}' changed."


def reset_two_factor(args, conn, accounts, secrets):
    user = user_named(conn, args.username)
    if user is None:
        raise CommandError(f"user '{args.username}' does not exist")
    keys = conn.run("count_webauthn_keys", user_id=user["user_id"])
    if conn.run("get_two_factor", user_id=user["user_id"]) is None and not keys:
        return f"Two-factor login of '{args.username}' was already off."
    with conn.transaction():
        TwoFactor.turn_off(conn, user["user_id"])
        # Security keys are a second factor too: a user locked out has lost those as well.
        conn.run("delete_webauthn_keys", user_id=user["user_id"])
        record_event(conn, user["user_id"], "two_factor_off", int(time.time()), agent="opp-db", by="administrator")
    return f"Two-factor login of '{args.username}' turned off; they sign in with their password alone."


def progress(message):
    print(message, file=sys.stderr, flush=True)


def counted(counts):
    return ", ".join(f"{count} {table}" for table, count in counts.items())


def backup_db(args, config):
    if (args.file is None) == (args.dir is None):
        raise CommandError("name either a FILE or a folder with --dir")
    if args.dir is None:
        if args.keep is not None:
            raise CommandError("--keep needs --dir")
        counts = backup.write_backup(Database(config.db_connect), args.file, progress)
        return f"Backup written to {args.file}: {counted(counts)}."
    if args.keep is not None and args.keep < 1:
        raise CommandError("--keep must be at least 1")
    keep = DEFAULT_KEEP if args.keep is None else args.keep
    path, counts, removed = rotation.rotate(Database(config.db_connect), args.dir, keep, progress)
    gone = f"; removed {', '.join(p.name for p in removed)}" if removed else ""
    return f"Backup written to {path} and verified: {counted(counts)}{gone}."


def verify_file(args, config):
    header, counts = backup.verify(args.file, progress)
    return (
        f"Backup {args.file} is intact: format {header['format_version']}, "
        f"schema {header['schema_version']}, from {header['source']} at {header['created_at']}: {counted(counts)}."
    )


def restore_db(args, config):
    if args.dry_run:
        _, counts = backup.verify(args.file, progress)
        return f"Dry run: {args.file} is intact and would restore {counted(counts)}; nothing was written."
    database = Database(config.db_connect)
    counts = backup.restore(database, args.file, progress)
    with database.connect() as conn:
        # The stored signing key travels with a backup; a configured secret_key does not.
        stored = conn.run("get_setting", name=SIGNING_KEY_SETTING)
        locked = secrets_not_opening(conn, config.secret_key or (stored["value"] if stored else None))
    if locked:
        print(
            "Warning: these accounts' two-factor secrets do not open under this configuration's signing key "
            "(secret_key), so no code of theirs can match: they sign in with a recovery code, or after "
            f"opp-db reset-2fa -u NAME: {', '.join(locked)}",
            file=sys.stderr,
        )
    return f"Restored from {args.file}: {counted(counts)}."


BACKUP_COMMANDS = {
    "backup": backup_db,
    "verify": verify_file,
    "restore": restore_db,
}

COMMANDS = {
    "add-user": add_user,
    "del-user": del_user,
    "update-user": update_user,
    "update-phrase": update_phrase,
    "reset-2fa": reset_two_factor,
}

if __name__ == "__main__":
    sys.exit(main())
