"""Where secrets come from: a file, standard input when it is not a terminal, or a prompt without echo.

None of them is ever written anywhere by `opp`, nor taken from the command
line or the environment, where other users' `ps` and /proc could read it:
the environment names a file (OPP_PHRASE_FILE), never a secret.
"""

import getpass
import os
import stat
import sys

from .errors import UsageError

PHRASE_FILE_VARIABLE = "OPP_PHRASE_FILE"


def warn(message):
    print(f"opp: warning: {message}", file=sys.stderr)


def terminal_available():
    """Whether getpass can ask without echo; without a terminal it would read stdin with echo on."""
    try:
        with open("/dev/tty", "rb"):
            return True
    except OSError:
        return False


def read_secret_file(path, what):
    """The file's text without its final line break; a file others can read gets a warning."""
    try:
        mode = os.stat(path).st_mode
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(
            f"cannot read the {what} file {path}: {getattr(error, 'strerror', None) or 'not UTF-8'}"
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        warn(f"the {what} file {path} can be read by other users; chmod 600 it")
    value = text[:-1] if text.endswith("\n") else text
    value = value[:-1] if value.endswith("\r") else value
    if not value:
        raise UsageError(f"the {what} file {path} is empty")
    return value


def ask(prompt, what):
    """Asked on the terminal without echo."""
    if not terminal_available():
        raise UsageError(f"no terminal to ask for the {what} on")
    try:
        value = getpass.getpass(f"{prompt}: ")
    except EOFError:
        value = ""
    if not value:
        raise UsageError(f"no {what} given")
    return value


def from_stdin(what, stdin=None):
    """One line of standard input, without its line break."""
    line = (stdin or sys.stdin).readline()
    value = line.rstrip("\r\n")
    if not value:
        raise UsageError(f"no {what} on standard input")
    return value


def passphrase(phrase_file=None, environ=os.environ):
    """From --phrase-file, else the file OPP_PHRASE_FILE names, else asked for."""
    path = phrase_file or environ.get(PHRASE_FILE_VARIABLE)
    if path:
        return read_secret_file(path, "passphrase")
    if not terminal_available():
        raise UsageError(
            f"no passphrase: give --phrase-file FILE or set {PHRASE_FILE_VARIABLE} (no terminal to ask on)"
        )
    return ask("Passphrase", "passphrase")


def login_password(password_file=None, stdin=None):
    """From --password-file, else standard input when it is not a terminal, else asked for."""
    if password_file:
        return read_secret_file(password_file, "password")
    stdin = stdin or sys.stdin
    if not stdin.isatty():
        return from_stdin("password", stdin)
    return ask("Password", "password")


def one_time_code(stdin=None):
    """The two-factor code: the next line of a piped standard input, else asked for."""
    stdin = stdin or sys.stdin
    if not stdin.isatty():
        return from_stdin("two-factor code", stdin)
    return ask("Two-factor code", "two-factor code")


def new_password():
    """An item's password typed twice without echo."""
    first = ask("Item password", "password")
    if ask("Item password (again)", "password") != first:
        raise UsageError("the two passwords differ")
    return first
