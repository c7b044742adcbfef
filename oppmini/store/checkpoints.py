"""SQLite: the checkpoint after a transaction that wrote megabytes, on a thread of its own.

In WAL mode a commit that leaves the log past wal_autocheckpoint pages (1000,
about 4 MiB) copies the log into the database file and syncs both before the
commit returns. After a 10 MiB upload that is about 30 ms, nearly half of what
the server spends on the file once its bytes have arrived (docs/benchmarks.md,
W15). A transaction that says it writes much (Connection.writes_much) commits
with the connection's automatic checkpoint off, and its checkpoint runs here,
while the answer goes out.

What a commit promises is unchanged: under synchronous=NORMAL a commit is in
the log and syncs nothing, and the checkpoint that used to follow it inside
the same call is what synced the log. That sync now comes some milliseconds
after the answer instead of before it: a crash of the process loses nothing
(the log is the operating system's to write), and a power cut in between
may lose the file, as it may lose any small write under NORMAL, which never
checkpoints. A checkpoint that never ran (the process ended first) is done
by the next connection that needs one. A passive checkpoint waits for no
reader or writer, so nothing waits for it either.
"""

import logging
import os
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

log = logging.getLogger(__name__)

# SQLite's own default, restored once the large transaction is over.
AUTOCHECKPOINT_PAGES = 1000
OPEN_TIMEOUT_SECONDS = 5

_lock = threading.Lock()
# (pid, executor, paths asked for whose checkpoint has not begun): one thread per
# process, made on first use; a child of a fork starts afresh, since the
# parent's thread, and what it was to do, did not come along.
_pool = None


def pause(raw):
    """No automatic checkpoint at this connection's commits, until resume()."""
    raw.execute("PRAGMA wal_autocheckpoint = 0")


def resume(raw):
    raw.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")


def soon(path):
    """checkpoint(path) on the checkpoint thread: its Future, or None when one is asked for already and
    has not begun (it covers this one)."""
    with _lock:
        executor, pending = _process_pool()
        if path in pending:
            return None
        pending.add(path)
        return executor.submit(checkpoint, path)


def _process_pool():
    global _pool
    if _pool is None or _pool[0] != os.getpid():
        _pool = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="oppmini-checkpoint"), set())
    return _pool[1:]


def checkpoint(path):
    """Copy what the log of the database at `path` holds into it, as far as no reader needs it still."""
    with _lock:
        _process_pool()[1].discard(path)
    try:
        # mode=rw: a database removed or moved meanwhile is not made anew here.
        raw = sqlite3.connect(f"file:{quote(path)}?mode=rw", uri=True, timeout=OPEN_TIMEOUT_SECONDS)
        try:
            raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            raw.close()
    except sqlite3.Error as error:
        # The next commit past the log's limit checkpoints instead: nothing is lost.
        log.warning("checkpoint of %s after a large write did not run: %s", path, error)
