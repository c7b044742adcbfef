"""The two dialects' migrations alike, and the named queries in either parameter style."""

import re

from oppmini.store.migrations import available
from oppmini.store.queries import load_queries

# Named queries only one dialect needs: MySQL's lock row around migrations, and
# what the adapter asks a node of a cluster before using it.
MYSQL_ONLY = {
    "update_migration_lock_table",
    "insert_migration_lock",
    "delete_migration_lock",
    "delete_stale_migration_lock",
    "get_causal_barrier",
    "get_node_bare",
    "list_node_status",
}


def script(dialect):
    """Every migration of a dialect, in order, as one text."""
    return "\n".join(migration.path.read_text(encoding="utf-8") for migration in available(dialect))


def test_both_dialects_have_the_same_migrations():
    def steps(dialect):
        return [(migration.number, migration.name) for migration in available(dialect)]

    assert steps("mysql") == steps("sqlite")
    assert steps("sqlite")[0] == (1, "first_release")


def test_both_dialects_create_and_drop_the_same_tables():
    def tables(dialect, verb):
        return re.findall(rf"{verb} TABLE IF (?:NOT )?EXISTS (\w+)", script(dialect))

    for verb in ("CREATE", "DROP"):
        assert tables("mysql", verb) == tables("sqlite", verb)
    assert tables("sqlite", "CREATE")[:5] == ["settings", "users", "login_failures", "categories", "items"]
    # The first release's DDL dropped nothing; later steps drop only by name.
    first = available("sqlite")[0].path.read_text(encoding="utf-8")
    assert "DROP" not in first.upper()
    assert script("sqlite").upper().count("DROP TABLE") == len(tables("sqlite", "DROP"))


def test_both_dialects_declare_the_same_cascades():
    def cascades(dialect):
        return sorted(re.findall(r"REFERENCES (\w+) \((\w+)\) (ON DELETE \w+(?: NULL)?)", script(dialect)))

    assert cascades("mysql") == cascades("sqlite")
    assert len(cascades("sqlite")) == 21  # 18, and attachments: their item, their uploader, a chunk's file


def test_queries_become_pyformat_for_mysql_and_stay_named_for_sqlite():
    sqlite, mysql = load_queries("sqlite"), load_queries("mysql")
    assert sqlite.keys() == mysql.keys() - MYSQL_ONLY
    assert "WHERE username = :username" in sqlite["get_user_by_name"]
    assert "WHERE username = %(username)s" in mysql["get_user_by_name"]
    assert "sqlite_master" in sqlite["count_settings_tables"]
    assert "information_schema" in mysql["count_settings_tables"]
    for sql in mysql.values():
        assert not re.search(r"(?<![:\w]):\w", sql)
