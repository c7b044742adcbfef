"""The SQLite database's files on disk: owner-only, whatever the umask, and in WAL mode.

The file holds password hashes and, unless secret_key is set, the token
signing key, so it is made owner-only by whoever creates it: the server, a
WSGI host or `opp-db`.
"""

import logging
import os
import sqlite3
import time
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700
# SQLite's companions of the main file; it gives them the main file's mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def create_private(path):
    """Create the database file owner-only unless something is already at `path`.

    SQLite gives the -wal, -shm and -journal files it makes later the mode of
    the main file, so this one file settles all of them, in every process and
    thread, without touching the process-wide umask.
    """
    try:
        # O_EXCL: an existing file (or a link) is left alone, to SQLite.
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except OSError:
        return  # there already, or not possible here: sqlite3.connect says which
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)  # exactly, even under an odd umask
    finally:
        os.close(fd)


def make_private_folders(folder):
    """Create `folder` and its missing parents owner-only; existing ones stay as they are."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_FOLDER_MODE)
        except FileExistsError:
            if not path.is_dir():
                raise  # a file where the folder should be
            # else another process made it in between


def _tighten(path):
    """Make one existing file that others may read owner-only."""
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        return
    if not mode & 0o077:
        return
    try:
        os.chmod(path, mode & ~0o077)
    except OSError as error:
        log.warning(
            "database file %s is readable by other users (mode %04o) and could not be changed (%s): make it 0600",
            path,
            mode,
            error.strerror,
        )
        return
    log.warning("database file %s was readable by other users (mode %04o); now %04o", path, mode, mode & ~0o077)


def tighten(path):
    """Make the database file and its companions owner-only where others may read them (earlier releases' files)."""
    for suffix in ("", *SQLITE_COMPANIONS):
        _tighten(Path(path + suffix))


def ensure_wal(raw, busy_timeout_seconds):
    """Put the file in WAL mode (a property of the file: readers never wait for the writer)."""
    deadline = time.monotonic() + busy_timeout_seconds
    while raw.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            raw.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            # Changing the mode takes a lock without waiting for it; another
            # process starting at the same moment (migrating, say) may hold it.
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
