"""Rotating backups: `opp-db backup --dir DIR --keep N`, and the systemd service and timer that run it."""

import os
import shlex
import shutil
import stat
import subprocess
import sys

import pytest

from conftest import CHEAP_ARGON2, PHRASE, FakeClock
from deploy import example_config, template
from oppmini.admin import main as admin
from oppmini.admin import rotation
from oppmini.admin.backup import BackupError
from oppmini.config import Config
from oppmini.services import Services
from oppmini.store.db import Database

DAY = 24 * 3600


@pytest.fixture
def database(tmp_path):
    url = f"sqlite:///{tmp_path}/opp.db"
    services = Services.build(Config(db_connect=url, **CHEAP_ARGON2))
    with services.db.connect() as conn:
        services.accounts.create(conn, "alice", "correct horse", PHRASE)
    return services.db


def dated(folder):
    return sorted(p.name for p in folder.iterdir() if rotation.DATED.fullmatch(p.name))


def test_each_run_adds_a_dated_verified_file_and_keeps_the_newest_n(tmp_path, database):
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    (folder / "opp-manual.backup").write_text("not a dated name")
    clock = FakeClock(1_767_225_600)  # 2026-01-01 00:00:00 UTC
    removed = []
    for _ in range(4):
        path, counts, gone = rotation.rotate(database, folder, keep=2, clock=clock)
        assert counts["users"] == 1 and stat.S_IMODE(path.stat().st_mode) == 0o600
        removed += [p.name for p in gone]
        clock.advance(DAY)
    assert dated(folder) == ["opp-20260103T000000Z.backup", "opp-20260104T000000Z.backup"]
    assert removed == ["opp-20260101T000000Z.backup", "opp-20260102T000000Z.backup"]
    assert (folder / "notes.txt").read_text() == "mine" and (folder / "opp-manual.backup").exists()


def test_a_new_backup_that_fails_verification_removes_nothing(tmp_path, database, monkeypatch):
    folder = tmp_path / "backups"
    folder.mkdir()
    clock = FakeClock(1_767_225_600)
    for _ in range(2):
        rotation.rotate(database, folder, keep=2, clock=clock)
        clock.advance(DAY)
    real_verify = rotation.verify

    def damaged_then_verified(path, progress):
        # The disk flipped a byte between writing and reading back.
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
        return real_verify(path, progress)

    monkeypatch.setattr(rotation, "verify", damaged_then_verified)
    with pytest.raises(BackupError, match="failed verification.*no older backup removed"):
        rotation.rotate(database, folder, keep=2, clock=clock)
    assert dated(folder) == ["opp-20260101T000000Z.backup", "opp-20260102T000000Z.backup"]
    assert (folder / "opp-20260103T000000Z.backup.failed").exists()


def test_two_backups_in_one_second_do_not_overwrite_each_other(tmp_path, database):
    clock = FakeClock(1_767_225_600)
    rotation.rotate(database, tmp_path, keep=5, clock=clock)
    with pytest.raises(BackupError, match="already exists"):
        rotation.rotate(database, tmp_path, keep=5, clock=clock)


def run_admin(capsys, config_path, *args):
    code = admin.main(["--config", str(config_path), *args])
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def test_command_line_rotates_and_a_rotated_backup_restores(tmp_path, database, capsys):
    source = tmp_path / "source.cfg"
    source.write_text(f"[DEFAULT]\ndb_connect = sqlite:///{tmp_path}/opp.db\n")
    folder = tmp_path / "backups"
    folder.mkdir()
    code, out, _ = run_admin(capsys, source, "backup", "--dir", str(folder), "--keep", "1")
    assert (
        code == 0
        and out.startswith(f"Backup written to {folder}/opp-")
        and out.endswith(
            "and verified: "
            "2 settings, 1 users, "
            "0 categories, 0 collections, "
            "0 items, 0 item_history, "
            "0 collection_members, "
            "0 collection_invitations, "
            "0 two_factor, "
            "0 recovery_codes, "
            "0 activity, "
            "0 webauthn_credentials, "
            "0 attachments, "
            "0 attachment_chunks."
        )
    )
    for wrong, message in (
        (["backup"], "name either a FILE or a folder with --dir"),
        (["backup", "x.backup", "--dir", str(folder)], "name either a FILE or a folder with --dir"),
        (["backup", "x.backup", "--keep", "2"], "--keep needs --dir"),
        (["backup", "--dir", str(folder), "--keep", "0"], "--keep must be at least 1"),
        (["backup", "--dir", str(tmp_path / "none")], "is not a folder"),
    ):
        code, _, err = run_admin(capsys, source, *wrong)
        assert code == 1 and message in err
    [newest] = dated(folder)
    target = tmp_path / "target.cfg"
    target.write_text(f"[DEFAULT]\ndb_connect = sqlite:///{tmp_path}/restored.db\n")
    code, out, _ = run_admin(capsys, target, "restore", str(folder / newest))
    assert code == 0 and out.endswith(
        "1 users, 0 categories, 0 collections, 0 items, 0 item_history, "
        "0 collection_members, 0 collection_invitations, 0 two_factor, 0 recovery_codes, "
        "0 activity, 0 webauthn_credentials, 0 attachments, 0 attachment_chunks."
    )
    with Database(f"sqlite:///{tmp_path}/restored.db").connect() as conn:
        assert conn.run("get_user_by_name", username="alice") is not None


UNIT_PATHS = {"/srv/oppmini/.venv/bin/opp-db": str(os.path.join(os.path.dirname(sys.executable), "opp-db"))}


def test_the_service_s_command_writes_a_backup_with_the_example_config(tmp_path, database):
    data = tmp_path / "data"
    (data / "backups").mkdir(parents=True)
    config = example_config(tmp_path / "opp.cfg", db_connect=f"sqlite:///{tmp_path}/opp.db")
    unit = template(
        "opp-backup.service",
        tmp_path / "opp-backup.service",
        {**UNIT_PATHS, "/etc/opp/opp.cfg": str(config), "/var/lib/opp": str(data)},
    )
    lines = [line.strip() for line in unit.read_text().splitlines()]
    assert "User=opp" in lines and "Type=oneshot" in lines and "UMask=0077" in lines
    command = shlex.split(next(line for line in lines if line.startswith("ExecStart=")).partition("=")[2])
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=data)
    assert done.returncode == 0, done.stderr
    assert len(dated(data / "backups")) == 1


def test_systemd_accepts_the_backup_service_and_timer(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        message = "systemd-analyze is not installed (Debian package systemd)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; .ci/run's image should have it")
        pytest.skip(message)
    service = template("opp-backup.service", tmp_path / "opp-backup.service", UNIT_PATHS)
    timer = template("opp-backup.timer", tmp_path / "opp-backup.timer", {})
    done = subprocess.run([analyze, "verify", str(service), str(timer)], capture_output=True, text=True, timeout=30)
    complaints = [line for line in (done.stdout + done.stderr).splitlines() if "opp-backup" in line]
    assert done.returncode == 0 and not complaints, done.stdout + done.stderr
    timer_lines = timer.read_text().splitlines()
    assert "OnCalendar=daily" in timer_lines and "Persistent=true" in timer_lines
