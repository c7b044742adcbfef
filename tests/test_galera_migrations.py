"""Migrations on a Galera cluster: three app nodes on three database nodes starting together apply each step once."""

import subprocess
import sys
import time

import pytest

from live import ROOT
from oppmini.store.db import Database, Unavailable
from oppmini.store.migrations import LOCK_NAME, latest_version, upgrade
from test_migrations import FIXTURES, STARTER, only_first, racing_migrations, run_statements, schema_version


def start_three_together(galera, database_name, folder):
    """Three starts, each on its own database node first, set off at the same moment; their outputs."""
    start_at = str(time.time() + 2)  # all past their imports, then off together
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, galera.url(database_name, first=node), str(folder), start_at],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for node in (1, 2, 3)
    ]
    results = [start.communicate(timeout=120) for start in starts]
    assert [start.returncode for start in starts] == [0, 0, 0], results
    return [out.strip() for out, _ in results]


def steps_run(galera, database_name, node):
    with galera.root(galera.nodes[node - 1]) as cursor:
        cursor.execute(f"SELECT step FROM {database_name}.migration_runs ORDER BY step")
        return [row[0] for row in cursor.fetchall()]


def test_the_migration_lock_taken_through_one_node_holds_off_the_others(galera, galera_database):
    # GET_LOCK would not: on a Galera cluster it is local to the node it was taken on.
    first, second = (Database(galera.url(galera_database, first=node)) for node in (1, 2))
    with first.connect() as conn, first.driver.migration_lock(conn, LOCK_NAME, 5):
        with second.connect() as other, pytest.raises(Unavailable, match="held the lock"):
            with second.driver.migration_lock(other, LOCK_NAME, 0.5):
                pass
    with second.connect() as other, second.driver.migration_lock(other, LOCK_NAME, 5):
        pass  # given back: taken at once


def test_three_nodes_starting_on_an_empty_cluster_apply_each_step_once(galera, galera_database, tmp_path):
    folder, latest = racing_migrations(tmp_path, "mysql")
    said = start_three_together(galera, galera_database, folder)
    # Each step ran once (a second run of the first would have failed its CREATE), and every node has it all.
    for node in (1, 2, 3):
        assert steps_run(galera, galera_database, node) == [latest + 1, latest + 2]
    assert all(line.endswith(f", {latest + 2})") for line in said), said
    assert said.count(f"(0, {latest + 2})") >= 1


def test_three_nodes_starting_on_a_first_release_database_upgrade_it_once(galera, galera_database, tmp_path):
    first = Database(galera.url(galera_database))
    upgrade(first, only_first(tmp_path, "mysql"))
    run_statements(first, FIXTURES / "schema1_rows.sql")
    folder, latest = racing_migrations(tmp_path, "mysql")
    said = start_three_together(galera, galera_database, folder)
    assert f"(1, {latest + 2})" in said, said
    for node in (1, 2, 3):
        assert steps_run(galera, galera_database, node) == [latest + 1, latest + 2]
        assert schema_version(Database(galera.url(galera_database, first=node))) == latest_version("mysql") + 2
