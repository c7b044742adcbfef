"""The session file: server URL, user name, token and expiry, readable by its owner alone.

It lives at $XDG_STATE_HOME/oppmini/session.json (~/.local/state when the
variable is unset), the file 0600 in a folder 0700. It never holds the login
password or the passphrase; the token it holds works until it expires or the
account logs out everywhere, so it is guarded like a password.
"""

import base64
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import SessionError

FILE_NAME = "session.json"


@dataclass
class Session:
    server: str
    username: str
    token: str
    expires_at: int  # Unix seconds, from the token's own `exp` claim
    cacert: str | None = None  # the CA file the server's certificate was verified against

    def seconds_left(self, now=None):
        return int(self.expires_at - (time.time() if now is None else now))


def state_folder(environ=os.environ):
    """$XDG_STATE_HOME/oppmini; the XDG spec says a relative value is to be ignored."""
    base = environ.get("XDG_STATE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(environ.get("HOME") or os.path.expanduser("~"), ".local", "state")
    return Path(base) / "oppmini"


def session_path(environ=os.environ):
    return state_folder(environ) / FILE_NAME


def load(environ=os.environ):
    """The saved session, or None when there is none."""
    path = session_path(environ)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Session(
            **{key: data[key] for key in ("server", "username", "token", "expires_at")}, cacert=data.get("cacert")
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SessionError(f"cannot read the session file {path} ({type(error).__name__}); run opp login") from None


def save(session, environ=os.environ):
    """Write the session: a new 0600 file moved into place, so no reader sees half of it."""
    folder = state_folder(environ)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)  # mkdir's mode is reduced by the umask, and an older folder may be wider
    path = folder / FILE_NAME
    partial = folder / f".{FILE_NAME}.{os.getpid()}.partial"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(asdict(session), file, indent=2)
            file.write("\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def forget(environ=os.environ):
    """Remove the session file; True when there was one."""
    try:
        session_path(environ).unlink()
        return True
    except FileNotFoundError:
        return False


def token_expiry(token):
    """The token's `exp` claim, read without checking the signature (the server checks it)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return int(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return None
