"""The adapter and the SQL files it loads, on each backend: shapes, constraints, cascades, bytes, transactions."""

import re
import sqlite3

import pytest

from oppmini.store import db as dbmod
from oppmini.store.db import Database, Duplicate
from oppmini.store.migrations import latest_version, upgrade
from oppmini.store.queries import SCHEMA_DIR, QueryFileError, load_queries


def test_schema_files_hold_only_named_parameters():
    for path in SCHEMA_DIR.rglob("*.sql"):
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


SEALED = bytes(range(256))  # every byte value, NULs and non-UTF-8 included


@pytest.fixture
def database(db_url):
    database = Database(db_url)
    upgrade(database)
    return database


def add_user(conn, username, user_id=None, sealed_key=SEALED):
    values = dict(
        username=username,
        password_hash="hash",
        security_stamp="stamp",
        key_salt=b"\x00salt",
        key_params="argon2id$m=64,t=1,p=1",
        sealed_key=sealed_key,
        created_at=1,
    )
    if user_id is None:
        return conn.run("insert_user", **values)
    conn.run("insert_restored_user", user_id=user_id, failed_attempts=0, last_failure_at=0, **values)
    return user_id


def test_upgrade_twice_keeps_rows_and_one_version(database):
    with database.connect() as conn:
        add_user(conn, "alice")
    upgrade(database)
    with database.connect() as conn:
        assert conn.run("get_user_by_name", username="alice")["user_id"] == 1
        assert conn.run("list_backup_settings") == [
            {"name": "schema_version", "value": str(latest_version(database.dialect))}
        ]


def test_result_shapes_and_plain_dict_rows(database):
    with database.connect() as conn:
        user_id = add_user(conn, "alice")
        assert add_user(conn, "bob") == user_id + 1
        row = conn.run("get_user_by_token", user_id=user_id, session_id=None, now=0)
        assert type(row) is dict and row["username"] == "alice"
        assert conn.run("get_user_by_token", user_id=999, session_id=None, now=0) is None
        assert [r["username"] for r in conn.run("list_backup_users", after_id=0, page_size=10)] == ["alice", "bob"]
        assert conn.run("count_stored_rows") == 2
        assert conn.run("update_user_stamp", user_id=user_id, security_stamp="new") == 1
        # The same value again still counts the matched row, as SQLite does.
        assert conn.run("update_user_stamp", user_id=user_id, security_stamp="new") == 1
        assert conn.run("update_user_stamp", user_id=999, security_stamp="new") == 0
        assert conn.run("delete_user", user_id=user_id) == 1


def test_sealed_columns_round_trip_as_bytes_and_text_as_utf8mb4(database):
    name = "zoë 🔐 名前"  # four-byte UTF-8 needs utf8mb4 on MySQL
    with database.connect() as conn:
        user_id = add_user(conn, name)
        row = conn.run("get_user_by_token", user_id=user_id, session_id=None, now=0)
    assert row["username"] == name
    assert isinstance(row["sealed_key"], bytes) and row["sealed_key"] == SEALED
    assert row["key_salt"] == b"\x00salt"


def test_usernames_compare_exactly(database):
    with database.connect() as conn:
        for name in ("alice", "Alice", "alice ", "alicé"):
            add_user(conn, name)
        assert conn.run("get_user_by_name", username="ALICE") is None
        assert conn.run("get_user_by_name", username="alice")["username"] == "alice"
        assert conn.run("get_user_by_name", username="alice ")["username"] == "alice "
        with pytest.raises(Duplicate):
            add_user(conn, "Alice")


# The clear columns an item row has since schema 4 (times and the trash mark) and 5 (its collection).
LATER_ITEM_COLUMNS = {
    "created_at": 0,
    "updated_at": 0,
    "deleted_at": None,
    "collection_id": None,
    "domain_tag": None,
    "revision": 1,
}


def test_foreign_keys_refuse_orphans_and_cascade(database):
    with database.connect() as conn:
        user_id = add_user(conn, "alice")
        with pytest.raises(Duplicate):
            conn.run("insert_restored_category", category_id=1, user_id=user_id + 1, sort_id=0, sealed_name=SEALED)
        conn.run("insert_restored_category", category_id=5, user_id=user_id, sort_id=0, sealed_name=SEALED)
        conn.run(
            "insert_restored_item",
            item_id=7,
            user_id=user_id,
            category_id=5,
            sort_id=0,
            sealed_fields=SEALED,
            **LATER_ITEM_COLUMNS,
        )
        assert conn.run("count_user_rows", user_id=user_id) == 2
        conn.run("insert_history_entry", item_id=7, user_id=user_id, replaced_at=0, sealed_password=SEALED)
        conn.run("delete_user", user_id=user_id)
        assert conn.run("count_stored_rows") == 0
        assert conn.run("list_backup_item_history", after_id=0, page_size=10) == []


def test_deleting_a_category_uncategorises_its_items(database):
    with database.connect() as conn:
        user_id = add_user(conn, "alice")
        conn.run("insert_restored_category", category_id=5, user_id=user_id, sort_id=0, sealed_name=SEALED)
        conn.run(
            "insert_restored_item",
            item_id=7,
            user_id=user_id,
            category_id=5,
            sort_id=0,
            sealed_fields=SEALED,
            **LATER_ITEM_COLUMNS,
        )
        conn.raw.cursor().execute("DELETE FROM categories WHERE category_id = 5")
        items = conn.run("list_backup_items", after_id=0, page_size=10)
    assert [(item["item_id"], item["category_id"]) for item in items] == [(7, None)]


def test_ids_are_never_reused_after_delete(database):
    with database.connect() as conn:
        first = add_user(conn, "alice")
        second = add_user(conn, "bob")
        conn.run("delete_user", user_id=second)
        assert add_user(conn, "carol") == second + 1 > first


def test_transaction_rolls_back_everything_on_error(database):
    with database.connect() as conn:
        with pytest.raises(Duplicate):
            with conn.transaction():
                add_user(conn, "alice")
                add_user(conn, "alice")
        assert conn.run("count_stored_rows") == 0
        with conn.transaction():
            add_user(conn, "bob")
    with database.connect() as conn:
        assert conn.run("get_user_by_name", username="bob") is not None


def test_read_transaction_sees_one_snapshot(database):
    with database.connect() as reader, database.connect() as writer:
        add_user(writer, "alice")
        with reader.transaction(write=False):
            assert reader.run("count_stored_rows") == 1
            add_user(writer, "bob")
            assert reader.run("count_stored_rows") == 1
        assert reader.run("count_stored_rows") == 2


def test_unreachable_database_is_unavailable(backend, tmp_path):
    url = {
        "sqlite": f"sqlite:///{tmp_path}/missing/folder/opp.db",
        "mariadb": "mysql://opp:pw@127.0.0.1:1/opp",
    }[backend]
    with pytest.raises(dbmod.Unavailable):
        with Database(url).connect() as conn:
            conn.run("get_setting", name="schema_version")


def test_sqlite_file_is_in_wal_mode(tmp_path):
    upgrade(Database(f"sqlite:///{tmp_path}/opp.db"))
    raw = sqlite3.connect(tmp_path / "opp.db")
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()


@pytest.fixture
def sqlite_database(tmp_path):
    """Kept connections are SQLite's: opening one costs a millisecond, a query microseconds."""
    database = Database(f"sqlite:///{tmp_path}/opp.db")
    upgrade(database)
    return database


def test_only_sqlite_keeps_a_connection_between_requests(database):
    with database.connect(keep=True) as conn:
        first = conn.raw
    with database.connect(keep=True) as conn:
        assert (conn.raw is first) == (database.dialect == "sqlite")


def test_a_kept_connection_serves_the_same_thread_again(sqlite_database):
    with sqlite_database.connect(keep=True) as conn:
        first = conn.raw
    with sqlite_database.connect(keep=True) as conn:
        assert conn.raw is first
    with sqlite_database.connect() as conn:
        assert conn.raw is not first


def test_a_kept_connection_never_carries_a_transaction_into_the_next_request(sqlite_database):
    with pytest.raises(RuntimeError):
        with sqlite_database.connect(keep=True) as conn:
            conn.raw.execute("BEGIN IMMEDIATE")
            add_user(conn, "ghost")
            raise RuntimeError("the handler failed before committing")
    with sqlite_database.connect(keep=True) as conn:
        assert not conn.raw.in_transaction
        assert conn.run("get_user_by_name", username="ghost") is None


def test_a_kept_connection_is_not_shared_with_another_thread(sqlite_database):
    import threading

    with sqlite_database.connect(keep=True) as conn:
        mine = conn.raw
    seen = []

    def other_thread():
        with sqlite_database.connect(keep=True) as conn:
            seen.append(conn.raw)

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert seen and seen[0] is not mine


def test_a_connection_that_raised_a_database_error_is_not_kept(sqlite_database):
    with sqlite_database.connect(keep=True) as conn:
        add_user(conn, "alice")
        first = conn.raw
    with pytest.raises(Duplicate):
        with sqlite_database.connect(keep=True) as conn:
            assert conn.raw is first
            add_user(conn, "alice")
    with sqlite_database.connect(keep=True) as conn:
        assert conn.raw is not first


def test_a_connection_kept_before_a_fork_is_left_to_the_parent(sqlite_database, monkeypatch):
    with sqlite_database.connect(keep=True) as conn:
        parents = conn.raw
    monkeypatch.setattr("oppmini.store.db.os.getpid", lambda: -1)  # as seen from a forked child
    with sqlite_database.connect(keep=True) as conn:
        assert conn.raw is not parents


def test_a_kept_connection_is_dropped_once_its_file_is_replaced(sqlite_database, tmp_path):
    with sqlite_database.connect(keep=True) as conn:
        add_user(conn, "alice")
    for suffix in ("", "-wal", "-shm"):  # the whole database moved away, as a whole
        (tmp_path / f"opp.db{suffix}").replace(tmp_path / f"away.db{suffix}")
    replacement = Database(f"sqlite:///{tmp_path}/other.db")
    upgrade(replacement)
    with replacement.connect() as conn:
        add_user(conn, "bob")
    (tmp_path / "other.db").replace(tmp_path / "opp.db")
    with sqlite_database.connect(keep=True) as conn:
        assert conn.run("get_user_by_name", username="bob") is not None
        assert conn.run("get_user_by_name", username="alice") is None
