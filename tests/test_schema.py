"""The two dialects' DDL alike, and the named queries in either parameter style."""

import re

from oppmini.queries import create_script, load_queries

def test_both_dialects_create_the_same_tables_and_schema_version():
    def tables(dialect):
        return re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", create_script(dialect))

    def version(dialect):
        return re.search(r"'schema_version', '(\d+)'", create_script(dialect)).group(1)

    assert tables("mysql") == tables("sqlite") == ["settings", "users", "login_failures", "categories", "items"]
    assert version("mysql") == version("sqlite")
    for dialect in ("mysql", "sqlite"):
        assert "DROP" not in create_script(dialect).upper()


def test_both_dialects_declare_the_same_cascades():
    def cascades(dialect):
        return sorted(re.findall(r"REFERENCES (\w+) \((\w+)\) (ON DELETE \w+(?: NULL)?)", create_script(dialect)))

    assert cascades("mysql") == cascades("sqlite")
    assert len(cascades("sqlite")) == 3


def test_queries_become_pyformat_for_mysql_and_stay_named_for_sqlite():
    sqlite, mysql = load_queries("sqlite"), load_queries("mysql")
    assert sqlite.keys() == mysql.keys()
    assert "WHERE username = :username" in sqlite["get_user_by_name"]
    assert "WHERE username = %(username)s" in mysql["get_user_by_name"]
    for sql in mysql.values():
        assert not re.search(r"(?<![:\w]):\w", sql)
