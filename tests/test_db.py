"""The adapter and the SQL files it loads."""

import re
import sqlite3

import pytest

from oppmini.db import Database, Duplicate
from oppmini.queries import SCHEMA_DIR, QueryFileError, load_queries


def test_schema_files_hold_only_named_parameters():
    for path in SCHEMA_DIR.glob("*.sql"):
        text = path.read_text(encoding="utf-8")
        assert "%" not in text, path.name
        assert "?" not in text, path.name
        assert not re.search(r"select\s+\*", text, re.IGNORECASE), path.name


def test_duplicate_query_names_fail_naming_both_files(tmp_path):
    (tmp_path / "a.sql").write_text("-- name: get_thing\nSELECT 1;\n")
    (tmp_path / "b.sql").write_text("-- name: get_thing\nSELECT 2;\n")
    with pytest.raises(QueryFileError, match="'get_thing' is named in both a.sql and b.sql"):
        load_queries("sqlite", tmp_path)


def test_a_query_name_must_say_its_result_shape(tmp_path):
    (tmp_path / "a.sql").write_text("-- name: fetch_thing\nSELECT 1;\n")
    with pytest.raises(QueryFileError, match="does not start with one of"):
        load_queries("sqlite", tmp_path)


def test_mysql_gets_pymysql_parameters(tmp_path):
    (tmp_path / "a.sql").write_text("-- name: get_user\n-- a comment\nSELECT a FROM t WHERE b = :b AND c = :c;\n")
    assert load_queries("mysql", tmp_path) == {"get_user": "SELECT a FROM t WHERE b = %(b)s AND c = %(c)s"}
    assert load_queries("sqlite", tmp_path) == {"get_user": "SELECT a FROM t WHERE b = :b AND c = :c"}


@pytest.fixture
def database(db_url):
    database = Database(db_url)
    database.create_schema()
    return database


def add_user(conn, name):
    return conn.run(
        "insert_user", username=name, password_hash="h", security_stamp="s", key_salt=b"", key_params="",
        sealed_key=b"", created_at=0,
    )


def test_creating_the_schema_twice_is_harmless(database):
    with database.connect() as conn:
        add_user(conn, "alice")
    database.create_schema()
    with database.connect() as conn:
        assert conn.run("get_user_by_name", username="alice")["username"] == "alice"
        assert conn.run("get_setting", name="schema_version") == {"value": "1"}


def test_rows_are_plain_dicts_with_shape_by_prefix(database):
    with database.connect() as conn:
        user_id = add_user(conn, "alice")
        row = conn.run("get_user_by_id", user_id=user_id)
        assert type(row) is dict and row["user_id"] == user_id
        assert conn.run("get_user_by_id", user_id=user_id + 100) is None
        assert conn.run("count_user_rows", user_id=user_id) == 0
        assert conn.run("update_user_stamp", user_id=user_id, security_stamp="t") == 1
        assert conn.run("delete_user", user_id=user_id + 100) == 0


def test_ids_are_never_reused(database):
    with database.connect() as conn:
        first = add_user(conn, "alice")
        conn.run("delete_user", user_id=first)
        assert add_user(conn, "bob") > first


def test_duplicates_map_to_one_error(database):
    with database.connect() as conn:
        add_user(conn, "alice")
        with pytest.raises(Duplicate):
            add_user(conn, "alice")


def test_a_failed_transaction_leaves_nothing(database):
    with database.connect() as conn:
        with pytest.raises(Duplicate), conn.transaction():
            add_user(conn, "carol")
            add_user(conn, "carol")
        assert conn.run("get_user_by_name", username="carol") is None


def test_foreign_keys_are_enforced_and_cascade(database, db_url):
    with database.connect() as conn:
        user_id = add_user(conn, "alice")
        conn.raw.execute("INSERT INTO categories (user_id, sealed_name) VALUES (?, x'00')", (user_id,))
        with pytest.raises(sqlite3.IntegrityError):
            conn.raw.execute("INSERT INTO categories (user_id, sealed_name) VALUES (?, x'00')", (user_id + 9,))
        conn.run("delete_user", user_id=user_id)
        assert conn.raw.execute("SELECT COUNT(*) FROM categories").fetchone()[0] == 0


def test_sqlite_file_is_in_wal_mode(database, db_url):
    raw = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()
