"""Rotating backups in one folder: a dated file per run, the oldest beyond N removed once the new one verified."""

import re
import time
from pathlib import Path

from .backup import BackupError, verify, write_backup

STAMP = "%Y%m%dT%H%M%SZ"
# Only files of this name are ever removed: anything else in the folder is left alone.
DATED = re.compile(r"opp-\d{8}T\d{6}Z\.backup")
FAILED_SUFFIX = ".failed"


def dated_name(seconds):
    """The file name of a backup begun at `seconds` (UTC): names sort as the times do."""
    return f"opp-{time.strftime(STAMP, time.gmtime(seconds))}.backup"


def rotate(db, folder, keep, progress=lambda message: None, clock=time.time):
    """Back `db` up into `folder`, verify it, then remove the oldest dated backups beyond `keep`.

    Returns (new path, row counts, removed paths). A backup that fails its
    verification is renamed *.failed, out of the rotation, and nothing else is
    removed: the backups before it are the good ones.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise BackupError(f"{folder} is not a folder")
    path = folder / dated_name(clock())
    if path.exists():
        raise BackupError(f"{path} already exists: at most one backup a second")
    counts = write_backup(db, path, progress)
    try:
        verify(path, progress)
    except BackupError as error:
        failed = path.with_name(path.name + FAILED_SUFFIX)
        path.replace(failed)
        raise BackupError(
            f"the new backup failed verification ({error}); kept as {failed}, no older backup removed"
        ) from None
    return path, counts, prune(folder, keep)


def prune(folder, keep):
    """Remove all but the newest `keep` dated backups in `folder`; the removed paths, oldest first."""
    dated = sorted(p for p in Path(folder).iterdir() if DATED.fullmatch(p.name) and p.is_file() and not p.is_symlink())
    old = dated[:-keep] if keep < len(dated) else []
    for path in old:
        path.unlink()
    return old
