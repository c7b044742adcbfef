"""Serving: one listening socket shared by N forked waitress processes, and their supervisor.

pycryptodome drops and re-takes the GIL on every C call, so threads of one
process convoy on crypto-heavy requests while processes scale with the cores.
The parent binds the socket, forks the children (each builds its own app, so no
database connection ever crosses a fork) and only supervises: it stops them all
on SIGTERM or SIGINT and restarts one that dies unexpectedly (a crash, the
OOM killer), but gives up with a non-zero exit when a child reports that it
cannot start: restarting it would only hide that from the service manager. A
child that stops cleanly (SIGTERM from the service manager, which signals
every process of the unit) is not replaced; when none is left, the parent
exits 0.
"""

import ctypes
import logging
import os
import signal
import socket
import sys
import time

from . import httpserver

log = logging.getLogger(__name__)

BACKLOG = 1024
# The exit code of a child that cannot build its app; restarting it cannot help.
CANNOT_START = 3
# How long children get to finish their requests after SIGTERM before SIGKILL.
STOP_GRACE_SECONDS = 10.0
SUPERVISED_SIGNALS = {signal.SIGCHLD, signal.SIGTERM, signal.SIGINT}
# How often the children are looked at when no signal came (see _watch).
REAP_POLL_SECONDS = 1.0
PR_SET_PDEATHSIG = 1


def listen(host, port):
    """A bound, listening TCP socket for `host`:`port` (IPv4 or IPv6, as the host resolves)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[
        0
    ]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def serve_forever(app, config, sock):
    """Run one waitress server on `sock` until SIGTERM or SIGINT; returns after a clean stop."""
    server = httpserver.create(app, config, sock)
    signal.signal(signal.SIGTERM, _raise_exit)
    try:
        server.run()  # catches SystemExit and KeyboardInterrupt, then drains its threads
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.close()


def _raise_exit(signum, frame):
    raise SystemExit(0)


class Supervisor:
    """Forks `count` children running `child_main()` and keeps them running until told to stop.

    `child_main` runs in the child after the fork and returns its exit code,
    CANNOT_START when it could not build what it serves.
    """

    def __init__(self, child_main, count):
        self.child_main = child_main
        self.count = count
        self.children = set()  # pids of the running children

    def run(self):
        """Supervise until SIGTERM/SIGINT (exit code 0) or a child that cannot start (1)."""
        # Blocked signals wait in a queue for sigwaitinfo: no handler can run
        # between a check and a wait, so no stop and no child death is missed.
        previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, SUPERVISED_SIGNALS)
        try:
            for _ in range(self.count):
                self._spawn(previous_mask)
            return self._watch(previous_mask)
        finally:
            self._stop_all()
            signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)

    def _watch(self, previous_mask):
        while True:
            # Only this thread blocks the signals: a thread of the process that does not (one a
            # library started) can take a SIGCHLD, whose default is to drop it. So the children
            # are looked at every REAP_POLL_SECONDS as well, signal or not.
            info = signal.sigtimedwait(SUPERVISED_SIGNALS, REAP_POLL_SECONDS)
            if info is not None and info.si_signo != signal.SIGCHLD:
                log.info("%s received, stopping %d process(es)", signal.Signals(info.si_signo).name, len(self.children))
                return 0
            for pid, status in self._reap():
                code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
                if code == 0:
                    # Stopped on purpose by someone else: the service manager
                    # signals every process of the unit at once. Not replaced.
                    log.info("server process %d stopped", pid)
                    continue
                if code == CANNOT_START:
                    log.error("server process %d cannot start; stopping", pid)
                    return 1
                if signal.sigpending() & {signal.SIGTERM, signal.SIGINT}:
                    return 0  # stopping anyway: nothing to replace
                log.error("server process %d died unexpectedly (%s); starting another", pid, _describe(status))
                self._spawn(previous_mask)
            if not self.children:
                log.info("every server process has stopped")
                return 0

    def _spawn(self, previous_mask):
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                try:
                    signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)
                    # Ctrl-C reaches the whole process group; the parent alone decides to stop.
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
                    signal.signal(signal.SIGTERM, _raise_exit)
                    _die_with_parent(parent)
                    code = self.child_main() or 0
                except SystemExit as stop:
                    code = stop.code if isinstance(stop.code, int) else 0
                except BaseException:
                    log.exception("server process %d failed", os.getpid())
                finally:
                    # Leaving anyway: a stop that comes now is not to raise out of here.
                    signal.signal(signal.SIGTERM, signal.SIG_IGN)
                    logging.shutdown()
            finally:
                # Whatever was raised above, even by a SIGTERM that came as this child was ending
                # (the parent stops the others when one cannot start), never run the parent's code.
                os._exit(code)
        self.children.add(pid)
        log.info("started server process %d", pid)

    def _reap(self):
        """(pid, wait status) of every child that has exited."""
        exited = []
        for pid in list(self.children):  # by pid: never reap a child that is not ours
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                self.children.discard(pid)
                exited.append((pid, status))
        return exited

    def _stop_all(self):
        for pid in self.children:
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while self.children:
            self._reap()
            left = deadline - time.monotonic()
            if not self.children or left <= 0:
                break
            signal.sigtimedwait({signal.SIGCHLD}, min(left, 0.5))
        for pid in list(self.children):
            log.warning("server process %d did not stop in %ss; killing it", pid, STOP_GRACE_SECONDS)
            _signal(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            self.children.discard(pid)


def _signal(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _describe(status):
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def _die_with_parent(parent):
    """On Linux, have the kernel send SIGTERM to this child if the parent dies (even by SIGKILL)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request above took effect
        raise SystemExit(0)
