"""Settings: OpenPassPhrase's INI cascade, `OPP_<KEY>` overrides, validated values."""

import configparser
import dataclasses
import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .accounts.securitykeys.relyingparty import RelyingParty
from .seal import crypto
from .store.dburl import DbUrlError, parse_db_url

SYSTEM_FILE = Path("/etc/opp/opp.cfg")
USER_FILE = Path("~/.opp/opp.cfg")
TOP_FILE_VARIABLE = "OPP_TOP_CONFIG"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# A configured token signing key shorter than this is refused: HS256 keys
# should hold as many bits as the hash (RFC 7518 §3.2).
MIN_SECRET_KEY_LENGTH = 32
# A metrics token is a password for the figures: too short to guess at HTTP speed.
MIN_METRICS_TOKEN_LENGTH = 16
# OWASP Password Storage Cheat Sheet: Argon2id settings of equal strength, as
# (memory KiB, passes) with one lane. Costs below every one of them are weak.
OWASP_ARGON2_MINIMUMS = ((47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5))


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the key and the fault."""

    def __init__(self, key, problem):
        super().__init__(f"config '{key}': {problem}")
        self.key = key


@dataclass(frozen=True)
class Config:
    db_connect: str = "sqlite:///opp.db"
    secret_key: str | None = None
    exp_delta: int = 300
    max_exp_delta: int = 30 * 24 * 3600
    wordfile: str | None = None
    allow_signup: bool = False
    key_cache_ttl: int = 300
    key_cache_size: int = 1024
    static_folder: str | None = None
    # The Content-Security-Policy sent with a static_folder app's files; none by default.
    static_csp: str | None = None
    # Guessing limits within failure_window: a name at one address, a name
    # from every address together, an address over every name, and an
    # account's two-factor codes from every address together.
    max_failures: int = 10
    max_failures_per_name: int = 100
    max_failures_per_address: int = 100
    max_code_failures: int = 5
    failure_window: int = 900
    # Activity log events older than this many days are deleted.
    activity_days: int = 180
    max_rows: int = 1000
    # Earlier passwords kept per item (0 keeps none), and days a deleted item
    # stays in the trash (0 deletes at once, as OpenPassPhrase did).
    password_history: int = 10
    trash_days: int = 30
    # GET /v1/vault/health: a password not changed in this many days is old,
    # and the local Pwned Passwords SHA-1 file (sorted by hash) its exposed
    # check searches; none: that check is off.
    health_old_days: int = 365
    pwned_passwords_file: str | None = None
    # Sharing: memberships plus pending invitations one user may have, and
    # whether an invitation to a name that names no user is answered like any
    # other (true: members cannot list usernames) or 400 `Unknown user!`.
    max_collections_per_user: int = 200
    invite_unknown_names: bool = True
    max_body_bytes: int = 1024 * 1024
    # The body of POST /v1/import, an export file: its own, larger limit (extensions.md §2).
    max_import_bytes: int = 20 * 1024 * 1024
    # Attachments (extensions.md section 8): the largest file, and what one
    # user's files may take together (413 and 400 `Quota exceeded!` beyond).
    max_attachment_bytes: int = 25 * 1024 * 1024
    attachment_quota_bytes: int = 500 * 1024 * 1024
    host: str = "127.0.0.1"
    port: int = 8080
    processes: int = field(default_factory=lambda: os.cpu_count() or 1)
    # One thread per process: pycryptodome's GIL churn makes a second thread
    # cost crypto-heavy requests a third of their throughput (bench/, README).
    threads: int = 1
    log_level: str = "INFO"
    # Proxies whose X-Forwarded-For/-Proto are believed (ip_network objects).
    trusted_proxies: tuple = ()
    argon2_memory_kib: int = 64 * 1024
    argon2_time_cost: int = 3
    argon2_parallelism: int = 4
    # At most this many Argon2 computations run at once in one process; the
    # others wait up to argon2_wait seconds, then get a 503.
    argon2_concurrency: int = 2
    argon2_wait: int = 5
    # The bearer token GET /metrics asks for; none: no /metrics at all.
    metrics_token: str | None = None
    # The address people open the web page at (https://vault.example.org/opp/): security keys and passkeys
    # are bound to its host name and the browser vouches for its origin. None: no WebAuthn.
    public_url: str | None = None
    # Keys found in files that no setting above answers to, for a start-up warning.
    unknown_keys: tuple = field(default=(), compare=False)

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


def parse_networks(text):
    """`trusted_proxies` text (addresses or CIDRs, comma or space separated) as networks."""
    networks = []
    for entry in re.split(r"[\s,]+", text.strip()):
        if entry:
            networks.append(ipaddress.ip_network(entry))  # ValueError names the bad entry
    return tuple(networks)


def _text(value):
    return value


def _optional(value):
    return value or None


def _header_value(value):
    """Optional text sent as an HTTP header value: a line break would split the header."""
    if not all(" " <= char <= "~" for char in value):
        raise ValueError("expected one line of printable ASCII")
    return value.strip() or None


def _boolean(value):
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _whole(minimum, maximum=None):
    def parse(value):
        try:
            number = int(value.strip())
        except ValueError:
            raise ValueError("expected a whole number") from None
        if maximum is not None and not minimum <= number <= maximum:
            raise ValueError(f"expected a number from {minimum} to {maximum}")
        if number < minimum:
            raise ValueError(f"expected a number of at least {minimum}")
        return number

    return parse


def _secret_key(value):
    if not value:
        return None  # a random key, made and kept in the database
    if len(value) < MIN_SECRET_KEY_LENGTH:
        raise ValueError(f"expected at least {MIN_SECRET_KEY_LENGTH} characters (or none: a random key is kept)")
    return value


def _metrics_token(value):
    """A bearer token, compared with the Authorization header: one word of printable ASCII."""
    token = value.strip()
    if not token:
        return None  # no /metrics
    if not all("!" <= char <= "~" for char in token):
        raise ValueError("expected printable ASCII without spaces")
    if len(token) < MIN_METRICS_TOKEN_LENGTH:
        raise ValueError(f"expected at least {MIN_METRICS_TOKEN_LENGTH} characters (or none: no /metrics)")
    return token


def _public_url(value):
    if not value.strip():
        return None  # no security keys or passkeys
    RelyingParty.from_url(value)  # ValueError saying what is wrong
    return value.strip()


def _db_url(value):
    parse_db_url(value)  # raises DbUrlError, a ValueError, naming the fault
    return value


def _log_level(value):
    level = value.strip().upper()
    if level not in LOG_LEVELS:
        raise ValueError(f"expected one of {', '.join(LOG_LEVELS)}")
    return level


PARSERS = {
    "db_connect": _db_url,
    "secret_key": _secret_key,
    "exp_delta": _whole(1),
    "max_exp_delta": _whole(1),
    "wordfile": _optional,
    "allow_signup": _boolean,
    "key_cache_ttl": _whole(0),
    "key_cache_size": _whole(1),
    "static_folder": _optional,
    "static_csp": _header_value,
    "max_failures": _whole(1),
    "max_failures_per_name": _whole(1),
    "max_failures_per_address": _whole(1),
    "max_code_failures": _whole(1),
    "failure_window": _whole(1),
    "activity_days": _whole(1),
    "max_rows": _whole(1),
    "password_history": _whole(0, 1000),
    "trash_days": _whole(0, 36500),
    "health_old_days": _whole(1, 36500),
    "pwned_passwords_file": _optional,
    "max_collections_per_user": _whole(1),
    "invite_unknown_names": _boolean,
    "max_body_bytes": _whole(1),
    "max_import_bytes": _whole(1),
    "max_attachment_bytes": _whole(0),
    "attachment_quota_bytes": _whole(0),
    "host": _text,
    "port": _whole(0, 65535),
    "processes": _whole(1),
    "threads": _whole(1),
    "log_level": _log_level,
    "trusted_proxies": parse_networks,
    "argon2_memory_kib": _whole(*crypto.ARGON2_MEMORY_KIB),
    "argon2_time_cost": _whole(*crypto.ARGON2_TIME_COST),
    "argon2_parallelism": _whole(*crypto.ARGON2_PARALLELISM),
    "argon2_concurrency": _whole(1),
    "argon2_wait": _whole(0),
    "metrics_token": _metrics_token,
    "public_url": _public_url,
}


# Other names a key is read by. OpenPassPhrase's installation guide tells users
# to set sql_connect, while its code reads db_connect: a config written from
# either works here.
ALIASES = {"sql_connect": "db_connect"}


def parse(raw, unknown_keys=()):
    """Build a Config from string values; raise ConfigError on the first bad one."""
    values = {}
    for key, text in raw.items():
        try:
            values[key] = PARSERS[ALIASES.get(key, key)](text)
        except (ValueError, DbUrlError) as error:
            raise ConfigError(key, error) from None
    for alias, key in ALIASES.items():
        if alias not in values:
            continue
        value = values.pop(alias)
        # The same value under both names is no contradiction.
        if values.setdefault(key, value) != value:
            raise ConfigError(alias, f"is another name for '{key}', which is set to another value; set only one")
    config = Config(**values, unknown_keys=tuple(unknown_keys))
    _check_together(config)
    return config


def _check_together(config):
    if config.argon2_memory_kib < crypto.ARGON2_KIB_PER_LANE * config.argon2_parallelism:
        raise ConfigError("argon2_memory_kib", f"must be at least {crypto.ARGON2_KIB_PER_LANE} x argon2_parallelism")
    if config.exp_delta > config.max_exp_delta:
        raise ConfigError("exp_delta", "must not exceed max_exp_delta")


def warnings(config):
    """One line for each setting that is accepted but deserves a look, for the start-up log."""
    lines = [f"unknown configuration key '{key}' ignored" for key in config.unknown_keys]
    memory, passes = config.argon2_memory_kib, config.argon2_time_cost
    if not any(memory >= low_memory and passes >= low_passes for low_memory, low_passes in OWASP_ARGON2_MINIMUMS):
        pairs = ", ".join(f"{low_memory}/{low_passes}" for low_memory, low_passes in OWASP_ARGON2_MINIMUMS)
        lines.append(
            f"argon2_memory_kib = {memory} with argon2_time_cost = {passes} is below OWASP's minimum for Argon2id "
            f"(KiB/passes {pairs}): stolen password hashes are cheap to guess"
        )
    return lines


def notes(config):
    """One line for each feature a setting leaves off, for the start-up log at INFO."""
    if config.public_url is None:
        return [
            "public_url is not set: security keys and passkeys (WebAuthn) are off; "
            "accounts that have one sign in with a one-time code or a recovery code"
        ]
    return []


def load(config_file=None, environ=None):
    """Read the cascade: system file < user file < top file < OPP_<KEY> variables."""
    environ = os.environ if environ is None else environ
    top = config_file or environ.get(TOP_FILE_VARIABLE)
    paths = [SYSTEM_FILE, USER_FILE.expanduser()]
    if top:
        if not Path(top).is_file():
            raise ConfigError("config_file", f"no such file: {top}")
        paths.append(Path(top))
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read([p for p in paths if p.is_file()], encoding="utf-8")
    except configparser.Error as error:
        raise ConfigError("config_file", f"cannot be read: {error.message}") from None
    raw = dict(parser.defaults())
    unknown = sorted(set(raw) - set(PARSERS) - set(ALIASES))
    for key in unknown:
        del raw[key]
    for key in (*PARSERS, *ALIASES):
        variable = f"OPP_{key.upper()}"
        if variable in environ:
            raw[key] = environ[variable]
    return parse(raw, unknown)
