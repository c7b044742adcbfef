"""The migration lock on MariaDB: a start whose clearing of a stale lock loses a lock race waits and
tries again, as it does when its own insert loses one, instead of failing the start."""

import threading

import pymysql

from dbserver import APP_PASSWORD, APP_USER
from oppmini.store.db import Database
from oppmini.store.migrations import LOCK_NAME

# How long the poller's statements wait for a row lock before they give up (1205, a lost race).
LOCK_WAIT_SECONDS = 1


def test_a_start_that_loses_a_race_clearing_a_stale_lock_waits_and_then_takes_it(mariadb, mariadb_database):
    database = Database(mariadb.url(mariadb_database))
    with database.connect() as conn:
        conn.run("update_migration_lock_table")
        with conn.transaction():
            # Left by a start that died long ago: stale, so the next start clears it.
            conn.run("insert_migration_lock", lock_name=LOCK_NAME, holder="d" * 32, taken_at=0)
    # Another session holds the stale row, as a cluster's applier does a row it is writing, or
    # another start clearing it at the same moment.
    other = pymysql.connect(
        host="127.0.0.1", port=mariadb.port, user=APP_USER, password=APP_PASSWORD, database=mariadb_database
    )
    taken, failed = threading.Event(), []

    def start():
        try:
            with database.connect() as poller:
                poller.execute(f"SET SESSION innodb_lock_wait_timeout = {LOCK_WAIT_SECONDS}")
                with database.driver.migration_lock(poller, LOCK_NAME, 30):
                    taken.set()
        except Exception as error:  # noqa: BLE001 (the test's verdict, read below)
            failed.append(error)

    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT holder FROM migration_lock WHERE lock_name = %s FOR UPDATE", (LOCK_NAME,))
        poller = threading.Thread(target=start)
        poller.start()
        # Its clearing waits for the row, gives up after LOCK_WAIT_SECONDS, and it polls again.
        assert not taken.wait(LOCK_WAIT_SECONDS + 1.5)
        assert failed == []
        other.rollback()
        poller.join(timeout=30)
    finally:
        other.close()
    assert failed == [] and taken.is_set()
