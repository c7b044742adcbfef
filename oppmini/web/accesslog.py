"""The access log's fast path for serve.py: whole lines, formatted here and written to stderr in batches.

Through the logging module, one access line cost a third of a `GET /v1/health`
(a LogRecord, a caller lookup, a formatter, a lock and a flush per line): more
than the benchmark allows. serve.py installs this handler on the
`oppmini.access` logger instead; the middleware hands it the message directly
(`direct_writer`), and it writes the same line the root format would, but
gathers lines and writes them with one system call per batch:

- a batch is only ever whole lines and at most PIPE_BUF bytes, so that lines
  of several processes sharing one pipe (journald, a log file) never mix;
- lines wait at most FLUSH_SECONDS, and none is lost at a clean exit:
  logging.shutdown(), which serve.py and the interpreter call on the way out,
  flushes every handler (a process killed outright loses the last moments).

Anyone else who configures logging (tests, a WSGI host) gets ordinary records.
"""

import logging
import os
import select
import threading
import time

FLUSH_SECONDS = 0.2
# Writes of at most this many bytes to a pipe are atomic (POSIX PIPE_BUF, 4096 on Linux).
BATCH_BYTES = getattr(select, "PIPE_BUF", 512)
LEVEL_AND_NAME = "INFO oppmini.access"


class AccessLineHandler(logging.Handler):
    """Batches whole access lines to a file descriptor (stderr), flushed by a timer and at exit."""

    def __init__(self, fd=2, flush_seconds=FLUSH_SECONDS, clock=time.time):
        super().__init__(logging.INFO)
        self.fd = fd
        self.flush_seconds = flush_seconds
        self.clock = clock
        self._pending = []
        self._pending_bytes = 0
        self._batch_lock = threading.Lock()
        self._second = None
        self._stamp = ""
        self._pid = os.getpid()
        self._flushing = False  # whether this process's timer thread runs
        # A forked child starts empty (the parent writes its own pending lines) and needs its own timer.
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self):
        self._pid = os.getpid()
        self._pending, self._pending_bytes, self._flushing = [], 0, False
        self._batch_lock = threading.Lock()

    def write_message(self, message):
        """One access line: the time, the pid and `message`, as the root format writes them."""
        now = self.clock()
        second = int(now)
        if second != self._second:
            self._second, self._stamp = second, time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
        line = f"{self._stamp},{int((now - second) * 1000):03d} {self._pid} {LEVEL_AND_NAME}: {message}\n"
        self._add(line.encode("utf-8", "backslashreplace"))

    def emit(self, record):
        # A record that came the slow way (a caller of access_log.info): formatted as configured.
        try:
            self._add((self.format(record) + "\n").encode("utf-8", "backslashreplace"))
        except Exception:
            self.handleError(record)

    def _add(self, line):
        with self._batch_lock:
            self._pending.append(line)
            self._pending_bytes += len(line)
            full = self._pending_bytes >= BATCH_BYTES
        if full:
            self.flush()
        elif not self._flushing:
            self._start_flusher()

    def flush(self):
        """Write every pending line, in batches of whole lines of at most BATCH_BYTES."""
        with self._batch_lock:
            lines, self._pending, self._pending_bytes = self._pending, [], 0
            batch, size = [], 0
            for line in lines:
                if batch and size + len(line) > BATCH_BYTES:
                    self._write(b"".join(batch))
                    batch, size = [], 0
                batch.append(line)
                size += len(line)
            if batch:
                self._write(b"".join(batch))

    def _write(self, data):
        try:
            while data:
                data = data[os.write(self.fd, data) :]
        except OSError:
            pass  # stderr gone: nowhere left to say so

    def _start_flusher(self):
        with self._batch_lock:
            if self._flushing:
                return
            self._flushing = True
        threading.Thread(target=self._flush_every, name="access-log-flush", daemon=True).start()

    def _flush_every(self):
        while True:
            time.sleep(self.flush_seconds)
            if self._pending:
                self.flush()


def install(log_format, logger_name="oppmini.access"):
    """Send the access lines through an AccessLineHandler on stderr alone; the handler.

    `log_format` is the root's, which write_message writes out by hand: the
    time, the pid, the level and the name before the message.
    """
    handler = AccessLineHandler()
    handler.setFormatter(logging.Formatter(log_format))
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.propagate = False
    return handler


def direct_writer(logger):
    """The logger's AccessLineHandler when it is all the logger writes to and an INFO line is wanted, else None."""
    handlers = logger.handlers
    if len(handlers) == 1 and not logger.propagate and not logger.filters and logger.isEnabledFor(logging.INFO):
        handler = handlers[0]
        if isinstance(handler, AccessLineHandler):
            return handler
    return None
