"""SQLite: a transaction that says it writes megabytes leaves its checkpoint to the checkpoint thread."""

import os
import secrets
import time

import pytest

from oppmini.store import checkpoints
from oppmini.store.db import Database
from oppmini.store.migrations import upgrade

MIB = 1024 * 1024
BLOB_BYTES = 6 * MIB  # past wal_autocheckpoint's 1000 pages of 4 KiB


@pytest.fixture
def sqlite_file(tmp_path):
    path = str(tmp_path / "opp.db")
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    with database.connect() as conn:
        conn.execute("CREATE TABLE blobs (data BLOB NOT NULL)")
    return database, path


@pytest.fixture
def asked(monkeypatch):
    """The checkpoints asked of the checkpoint thread, kept here instead of run."""
    paths = []
    monkeypatch.setattr(checkpoints, "soon", paths.append)
    return paths


def big_write(database, much, fail=False):
    with database.connect(keep=True) as conn, conn.transaction():
        if much:
            conn.writes_much()
        conn.raw.execute("INSERT INTO blobs (data) VALUES (?)", (secrets.token_bytes(BLOB_BYTES),))
        if fail:
            raise RuntimeError("midway")


def autocheckpoint_pages(database):
    with database.connect(keep=True) as conn:
        return conn.raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0]


def test_a_large_write_commits_into_the_log_and_its_checkpoint_is_asked_of_the_thread(sqlite_file, asked):
    database, path = sqlite_file
    before = os.path.getsize(path)
    big_write(database, much=True)
    assert asked == [path]
    # Committed, and readable, but still in the log: the commit copied nothing.
    assert os.path.getsize(path) < before + MIB
    assert os.path.getsize(path + "-wal") > BLOB_BYTES
    with database.connect() as conn:
        assert conn.raw.execute("SELECT length(data) FROM blobs").fetchone()[0] == BLOB_BYTES
    # The kept connection checkpoints its next large commits itself again.
    assert autocheckpoint_pages(database) == checkpoints.AUTOCHECKPOINT_PAGES
    checkpoints.checkpoint(path)
    assert os.path.getsize(path) > before + BLOB_BYTES


def test_the_same_write_without_saying_so_is_checkpointed_by_its_own_commit(sqlite_file, asked):
    database, path = sqlite_file
    before = os.path.getsize(path)
    big_write(database, much=False)
    assert asked == []
    assert os.path.getsize(path) > before + BLOB_BYTES


def test_a_large_write_rolled_back_asks_for_no_checkpoint_and_restores_the_setting(sqlite_file, asked):
    database, path = sqlite_file
    with pytest.raises(RuntimeError):
        big_write(database, much=True, fail=True)
    assert asked == []
    assert autocheckpoint_pages(database) == checkpoints.AUTOCHECKPOINT_PAGES
    with database.connect() as conn:
        assert conn.raw.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0


def test_the_checkpoint_thread_copies_the_log_into_the_database_soon_after_the_commit(sqlite_file):
    database, path = sqlite_file
    before = os.path.getsize(path)
    big_write(database, much=True)
    deadline = time.monotonic() + 30
    while os.path.getsize(path) <= before + BLOB_BYTES and time.monotonic() < deadline:
        time.sleep(0.02)
    assert os.path.getsize(path) > before + BLOB_BYTES


def test_a_database_removed_meanwhile_is_not_made_anew_by_its_checkpoint(tmp_path, caplog):
    path = str(tmp_path / "gone.db")
    checkpoints.checkpoint(path)
    assert not os.path.exists(path)
    assert "did not run" in caplog.text


def test_a_child_of_a_fork_asks_for_its_own_checkpoints(sqlite_file, monkeypatch):
    # A checkpoint asked for in the parent and not begun did not come along with its thread.
    database, path = sqlite_file
    monkeypatch.setattr(checkpoints, "_pool", (os.getpid() + 1, None, {path}))
    future = checkpoints.soon(path)
    assert future is not None
    future.result(timeout=30)
