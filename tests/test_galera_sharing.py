"""Sharing and backups on a Galera cluster: the rotation-under-concurrency test with its writers and its
manager on different database nodes (test_sharing_concurrency.py's test, run here on the cluster's
fixtures), and a backup taken from one node restored into SQLite."""

import pytest

from conftest import CHEAP_ARGON2
from live import LiveServer, write_config
from oppmini.admin import backup
from oppmini.store.db import Database
from test_backup import fill, vault_view
from test_sharing_concurrency import (  # noqa: F401 (collected here, with this module's fixtures)
    test_two_writers_and_a_rotating_manager_lose_nothing_and_leave_nothing_under_an_old_key,
)


@pytest.fixture
def db_url(galera, galera_database):
    return galera.url(galera_database)


@pytest.fixture
def servers(galera, galera_database, tmp_path):
    """Two serve.py app nodes: the first on database node 1, the second (the manager's) on node 3."""
    started = []
    for node in (1, 3):
        folder = tmp_path / f"app{node}"
        folder.mkdir()
        url = galera.url(galera_database, first=node)
        started.append(LiveServer(write_config(folder, db_connect=url, allow_signup="true", threads=4, **CHEAP_ARGON2)))
    with started[0], started[1]:
        yield started


def test_a_backup_from_one_node_restores_into_sqlite_with_every_vault_the_same(galera, galera_database, tmp_path):
    # Written through node 1, backed up from node 3 (its reads wait for node 1's commits).
    fill(galera.url(galera_database, first=1))
    on_node_3 = galera.url(galera_database, hosts=[3])
    expected = vault_view(on_node_3)
    backup.write_backup(Database(galera.url(galera_database, first=3)), tmp_path / "cluster.jsonl")
    restored = f"sqlite:///{tmp_path}/restored.db"
    backup.restore(Database(restored), tmp_path / "cluster.jsonl")
    assert vault_view(restored) == expected
