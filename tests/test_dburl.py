"""db_connect URLs: every accepted form, parsed and, on MariaDB, really connected."""

import re

import pytest

from oppmini.store.db import Database
from oppmini.store.dburl import DbUrlError, MysqlTarget, SqliteTarget, parse_db_url
from oppmini.store.migrations import latest_version, upgrade


@pytest.mark.parametrize(
    "url, target",
    [
        ("sqlite:///opp.db", SqliteTarget("opp.db")),
        ("sqlite:////var/lib/opp/opp.db", SqliteTarget("/var/lib/opp/opp.db")),
        ("mysql://opp:secret@db.example:3307/vault", MysqlTarget("db.example", 3307, "opp", "secret", "vault")),
        ("mysql+pymysql://opp:secret@db.example/vault", MysqlTarget("db.example", 3306, "opp", "secret", "vault")),
        (
            "mysql://opp:p%40ss%3Aw%2Frd%25%3F%23@127.0.0.1/vault",
            MysqlTarget("127.0.0.1", 3306, "opp", "p@ss:w/rd%?#", "vault"),
        ),
        (
            "mysql://opp:pw@localhost/vault?unix_socket=/run/mysqld/mysqld.sock",
            MysqlTarget("localhost", 3306, "opp", "pw", "vault", unix_socket="/run/mysqld/mysqld.sock"),
        ),
        (
            "mysql://opp@/vault?unix_socket=/run/mysqld/mysqld.sock",
            MysqlTarget("localhost", 3306, "opp", "", "vault", unix_socket="/run/mysqld/mysqld.sock"),
        ),
        # Several database nodes (a Galera cluster): tried in the order given.
        (
            "mysql://opp:p%40ss@db1:3306,db2:3307,db3/vault",
            MysqlTarget("db1", 3306, "opp", "p@ss", "vault", others=(("db2", 3307), ("db3", 3306))),
        ),
        (
            "mysql://opp:pw@[::1]:3310,10.0.0.2/vault",
            MysqlTarget("::1", 3310, "opp", "pw", "vault", others=(("10.0.0.2", 3306),)),
        ),
    ],
)
def test_accepted_forms(url, target):
    assert parse_db_url(url) == target


def test_several_hosts_are_listed_in_order():
    target = parse_db_url("mysql://opp:pw@db1:3306,db2:3307,db3/vault")
    assert target.hosts == (("db1", 3306), ("db2", 3307), ("db3", 3306))
    assert parse_db_url("mysql://opp:pw@db1/vault").hosts == (("db1", 3306),)


@pytest.mark.parametrize(
    "url, fault",
    [
        ("opp.db", "expected a URL"),
        ("postgres://u:p@h/db", "unsupported database scheme 'postgres'"),
        ("mysql://opp:pw@host", "expected mysql://user:password@host[:port]/database"),
        ("mysql://opp:pw@host:99999/db", "the port is not a number from 1 to 65535"),
        ("sqlite:///:memory:", "an in-memory database"),
        ("mysql://opp:pw@db1,db2:0/db", "the port of 'db2:0' is not a number from 1 to 65535"),
        ("mysql://opp:pw@db1,,db3/db", "an empty host in the list 'db1,,db3'"),
        ("mysql://opp:pw@db1,db2/db?unix_socket=/run/mysqld/mysqld.sock", "one host only with unix_socket"),
    ],
)
def test_refused_forms_say_why(url, fault):
    with pytest.raises(DbUrlError, match=re.escape(fault)):
        parse_db_url(url)


@pytest.mark.parametrize("scheme", ["mysql", "mysql+pymysql"])
@pytest.mark.parametrize("via_socket", [False, True], ids=["tcp", "socket"])
def test_real_connection_with_encoded_password(mariadb, mariadb_database, scheme, via_socket):
    url = mariadb.url(mariadb_database, scheme=scheme, via_socket=via_socket)
    assert "%40" in url  # the password really is percent-encoded
    database = Database(url)
    upgrade(database)
    with database.connect() as conn:
        assert conn.run("get_setting", name="schema_version") == {"value": str(latest_version("mysql"))}
