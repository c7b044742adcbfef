"""The SQL files: PyMySQL-safe text, both dialects alike, named queries in either parameter style."""

import re

import pytest

from oppmini.queries import SCHEMA_DIR, create_script, load_queries

SQL_FILES = sorted(SCHEMA_DIR.glob("*.sql"))


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda path: path.name)
def test_schema_files_hold_no_percent_question_mark_or_select_star(path):
    text = path.read_text(encoding="utf-8")
    # PyMySQL formats with %, SQLite's qmark style is not ours, and SELECT *
    # unpacks columns by position.
    assert "%" not in text
    assert "?" not in text
    assert not re.search(r"SELECT\s+\*", text, re.IGNORECASE)


def test_both_dialects_create_the_same_tables_and_schema_version():
    def tables(dialect):
        return re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", create_script(dialect))

    def version(dialect):
        return re.search(r"'schema_version', '(\d+)'", create_script(dialect)).group(1)

    assert tables("mysql") == tables("sqlite") == ["settings", "users", "categories", "items"]
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
