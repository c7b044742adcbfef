"""What can go wrong in `opp`, each with the exit code the README documents."""

OK = 0
NO_MATCH = 1
SEVERAL_MATCH = 2
SERVER_ERROR = 3
NO_SESSION = 4
UNREACHABLE = 5
USAGE = 64  # sysexits' EX_USAGE: kept apart from 2, which means "several items match"


class CliError(Exception):
    """One line for stderr (never holding a secret) and the exit code that goes with it."""

    exit_code = USAGE

    def __init__(self, message, details=()):
        super().__init__(message)
        self.details = list(details)  # extra lines for stdout, e.g. the items a name matched


class UsageError(CliError):
    exit_code = USAGE


class NoMatch(CliError):
    exit_code = NO_MATCH


class SeveralMatch(CliError):
    exit_code = SEVERAL_MATCH


class ServerError(CliError):
    """The server answered with an error: its `error: description`."""

    exit_code = SERVER_ERROR

    def __init__(self, status, error, description="", body=None):
        super().__init__(f"{error}: {description}" if description else error)
        self.status, self.error, self.description = status, error, description
        self.body = body if isinstance(body, dict) else {}  # the whole answer, for keys an extension adds


class SessionError(CliError):
    """No session, or the server no longer takes its token."""

    exit_code = NO_SESSION


class Unreachable(CliError):
    exit_code = UNREACHABLE
