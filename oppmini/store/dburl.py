"""Parses OpenPassPhrase's `db_connect` URLs into connection targets."""

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit


class DbUrlError(ValueError):
    """A `db_connect` value that names no database we can open."""


@dataclass(frozen=True)
class SqliteTarget:
    path: str
    dialect: str = "sqlite"


@dataclass(frozen=True)
class MysqlTarget:
    host: str
    port: int
    user: str
    password: str
    database: str
    unix_socket: str | None = None
    dialect: str = "mysql"


def parse_db_url(url):
    """`sqlite:///relative.db`, `sqlite:////abs.db`, `mysql[+pymysql]://u:pw@host[:port]/db`."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise DbUrlError("expected a URL such as sqlite:///opp.db")
    if scheme == "sqlite":
        return _sqlite(rest)
    if scheme in ("mysql", "mysql+pymysql"):
        return _mysql(url)
    raise DbUrlError(f"unsupported database scheme '{scheme}' (use sqlite or mysql)")


def _sqlite(rest):
    # SQLAlchemy's convention, which OpenPassPhrase used: three slashes then a
    # relative path, four slashes for an absolute one.
    if not rest.startswith("/") or rest == "/":
        raise DbUrlError("expected sqlite:///relative.db or sqlite:////absolute/path.db")
    path = rest[1:]
    if path == ":memory:":
        raise DbUrlError("an in-memory database would lose every vault on restart")
    return SqliteTarget(path=path)


def _mysql(url):
    parts = urlsplit(url)
    database = parts.path.lstrip("/")
    if not database:
        raise DbUrlError("expected mysql://user:password@host[:port]/database")
    try:
        port = parts.port or 3306
    except ValueError:
        raise DbUrlError("the port is not a number from 1 to 65535") from None
    query = parse_qs(parts.query)
    sockets = query.get("unix_socket")
    return MysqlTarget(
        host=parts.hostname or "localhost",
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        database=unquote(database),
        unix_socket=sockets[0] if sockets else None,
    )


def describe(url):
    """The URL without its password, fit for a log line or an error message."""
    target = parse_db_url(url)
    if target.dialect == "sqlite":
        return f"sqlite file {target.path}"
    where = target.unix_socket or f"{target.host}:{target.port}"
    return f"mysql database '{target.database}' as '{target.user}' at {where}"
