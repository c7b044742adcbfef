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
    # Further (host, port) nodes of a cluster, tried after the first in order.
    others: tuple[tuple[str, int], ...] = ()
    dialect: str = "mysql"

    @property
    def hosts(self):
        """Every (host, port) the URL names, in the order to try them."""
        return ((self.host, self.port), *self.others)


def parse_db_url(url):
    """`sqlite:///relative.db`, `sqlite:////abs.db`, `mysql[+pymysql]://u:pw@host[:port][,host[:port]...]/db`."""
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
    # A cluster's nodes are listed with commas (db1:3306,db2:3306), which
    # urlsplit would read as one host with a faulty port: each is parsed alone.
    credentials, _, host_list = parts.netloc.rpartition("@")
    nodes = [_host_and_port(host, host_list) for host in host_list.split(",")] if "," in host_list else []
    query = parse_qs(parts.query)
    sockets = query.get("unix_socket")
    if sockets and nodes:
        raise DbUrlError("one host only with unix_socket: a socket reaches one server")
    if not nodes:
        nodes = [_host_and_port(host_list, host_list, empty="localhost")]
    user, _, password = credentials.partition(":")
    return MysqlTarget(
        host=nodes[0][0],
        port=nodes[0][1],
        user=unquote(user),
        password=unquote(password),
        database=unquote(database),
        unix_socket=sockets[0] if sockets else None,
        others=tuple(nodes[1:]),
    )


def _host_and_port(text, host_list, empty=None):
    """("host", port) from `host[:port]` or `[ipv6][:port]`; the port defaults to 3306."""
    if not text:
        if empty is None:
            raise DbUrlError(f"an empty host in the list '{host_list}'")
        return empty, 3306
    parts = urlsplit(f"//{text}")
    try:
        port = 3306 if parts.port is None else parts.port
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        where = f"of '{text}' " if text != host_list else ""
        raise DbUrlError(f"the port {where}is not a number from 1 to 65535")
    return parts.hostname or empty or "localhost", port


def describe(url):
    """The URL without its password, fit for a log line or an error message."""
    target = parse_db_url(url)
    if target.dialect == "sqlite":
        return f"sqlite file {target.path}"
    where = target.unix_socket or ",".join(f"{host}:{port}" for host, port in target.hosts)
    return f"mysql database '{target.database}' as '{target.user}' at {where}"
