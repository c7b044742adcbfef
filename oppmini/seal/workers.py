"""A few threads beside the request's own for the AES work of an attachment's chunks.

pycryptodome's C calls (AES-CBC for a chunk's MAC, AES-CTR for its bytes)
and sqlite3's steps release the GIL, so while the request's thread writes
chunks to the database, others seal the chunks after them, on a core the
request is not using. Work goes out in the order it is given and comes back
in that order, with a bounded number of batches under way, so the memory
held does not grow with the file. A download's opening stays on the
request's thread: AES-CTR alone is too little work per chunk to gain from the
hand-over (docs/benchmarks.md, W15).
"""

import os
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

WORKERS = min(4, os.cpu_count() or 1)

_lock = threading.Lock()
_pool = None  # (pid, executor): made on first use in each process, so never inherited through a fork


def _executor():
    global _pool
    with _lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(WORKERS, thread_name_prefix="oppmini-chunks"))
        return _pool[1]


def in_order(function, items, ahead=WORKERS):
    """function(item) for each of `items` (read on the calling thread, so its exceptions are the
    caller's), computed on the worker threads and yielded in the items' order. At most `ahead`
    items are handed out beyond the one whose result is awaited; an exception of `function`
    is raised where its result would have been yielded."""
    executor = _executor()
    pending = deque()
    try:
        for item in items:
            pending.append(executor.submit(function, item))
            if len(pending) > ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # Left early (a limit passed, an error): what has not started never will.
        for future in pending:
            future.cancel()


def batched(items, size):
    """Lists of `size` of `items` in order, the last one shorter."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch
