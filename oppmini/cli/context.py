"""One run's surroundings: its options, environment and standard input, and what they decide.

Which server (--server, OPP_SERVER, the session's, the default), which
session (refused when expired or made for another server), and the passphrase.
"""

import os
import sys
import time
from dataclasses import dataclass, field

from . import secret_input, session
from .client import DEFAULT_SERVER, Client, normalised_server
from .errors import SessionError

SERVER_VARIABLE = "OPP_SERVER"


@dataclass
class Context:
    args: object
    environ: dict = field(default_factory=lambda: os.environ)
    stdin: object = field(default_factory=lambda: sys.stdin)

    def saved_session(self):
        return session.load(self.environ)

    def server(self, saved=None):
        chosen = getattr(self.args, "server", None) or self.environ.get(SERVER_VARIABLE)
        if chosen:
            return normalised_server(chosen)
        return saved.server if saved else DEFAULT_SERVER

    def cacert(self, saved=None, server=None):
        """--cacert, else the one the session was made with (for the same server)."""
        given = getattr(self.args, "cacert", None)
        if given:
            return os.path.abspath(given)
        return saved.cacert if saved and saved.server == server else None

    def live_session(self):
        """The saved session, if it is for the chosen server and has not expired; SessionError otherwise."""
        saved = self.saved_session()
        if saved is None:
            raise SessionError("not logged in; run opp login")
        server = self.server(saved)
        if server != saved.server:
            raise SessionError(f"the session is for {saved.server}, not {server}; run opp login --server {server}")
        if saved.seconds_left() <= 0:
            expired = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(saved.expires_at))
            raise SessionError(f"the session expired at {expired}; run opp login")
        return saved

    def client(self):
        """A client for the live session's server, carrying its token."""
        saved = self.live_session()
        return Client(saved.server, token=saved.token, cacert=self.cacert(saved, saved.server))

    def phrase(self):
        return secret_input.passphrase(getattr(self.args, "phrase_file", None), self.environ)
