"""The SQLite files on disk: owner-only whoever makes them, under an everyday umask."""

import os
import stat
import subprocess
import sys

import pytest

from conftest import CHEAP_ARGON2, PASSWORD, PHRASE
from live import ROOT, LiveServer, load_entry, request, write_config


@pytest.fixture
def everyday_umask():
    """umask 022, the usual login default, for this process and the ones it starts."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path):
    """The permission bits, in octal as `stat -c %a` shows them."""
    return f"{stat.S_IMODE(os.stat(path).st_mode):o}"


def opp_db(cfg, *args):
    return subprocess.run(
        [sys.executable, "-m", "oppmini.admin", "--config", str(cfg), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_serve_makes_the_database_its_companions_and_its_folders_owner_only(tmp_path, everyday_umask):
    data = tmp_path / "new" / "data"
    cfg = write_config(tmp_path, db_connect=f"sqlite:///{data}/opp.db", allow_signup="true", **CHEAP_ARGON2)
    with LiveServer(cfg, extra_args=["--processes", "1"]) as server:
        user = {"username": "alice", "password": PASSWORD, "phrase": PHRASE}
        assert request("PUT", server.url + "/v1/user", user)[0] == 200  # a write: the -wal has content
        modes = {name: mode(data / name) for name in ("opp.db", "opp.db-wal", "opp.db-shm")}
    assert modes == {"opp.db": "600", "opp.db-wal": "600", "opp.db-shm": "600"}
    assert (mode(tmp_path / "new"), mode(data)) == ("700", "700")


def test_opp_db_init_and_the_wsgi_entry_point_make_the_database_owner_only(tmp_path, everyday_umask):
    cfg = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/cli/opp.db")
    done = opp_db(cfg, "init")
    assert done.returncode == 0, done.stderr
    assert (mode(tmp_path / "cli"), mode(tmp_path / "cli" / "opp.db")) == ("700", "600")

    # What gunicorn, uWSGI and mod_wsgi do: import oppmini.wsgi with OPP_TOP_CONFIG set.
    cfg = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/wsgi/opp.db")
    done = load_entry(cfg)
    assert done.returncode == 0, done.stderr
    assert (mode(tmp_path / "wsgi"), mode(tmp_path / "wsgi" / "opp.db")) == ("700", "600")


def test_an_existing_folder_keeps_its_mode(tmp_path, everyday_umask):
    data = tmp_path / "shared"
    data.mkdir(mode=0o755)
    cfg = write_config(tmp_path, db_connect=f"sqlite:///{data}/opp.db")
    done = opp_db(cfg, "init")
    assert done.returncode == 0, done.stderr
    assert (mode(data), mode(data / "opp.db")) == ("755", "600")


def test_a_database_left_open_to_others_by_an_earlier_release_is_made_owner_only_with_a_warning(tmp_path):
    cfg = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db")
    assert opp_db(cfg, "init").returncode == 0
    (tmp_path / "opp.db").chmod(0o644)
    done = opp_db(cfg, "init")
    assert done.returncode == 0, done.stderr
    assert mode(tmp_path / "opp.db") == "600"
    assert done.stderr == f"database file {tmp_path}/opp.db was readable by other users (mode 0644); now 0600\n"
    assert opp_db(cfg, "init").stderr == ""  # said once, when it changed something
