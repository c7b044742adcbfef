"""serve.py --processes: forked waitress children on one socket, supervised and stopped cleanly."""

import os
import signal
import time
from pathlib import Path

import pytest

from conftest import CHEAP_ARGON2
from live import LiveServer, request, write_config
from oppmini.serving import server

WAIT_SECONDS = 15


def child_pids(pid):
    """The pids of `pid`'s children, from /proc."""
    children = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children.update(int(child) for child in text)
    return children


def alive(pid):
    """True while `pid` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def wait_for(predicate, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def answers_alone(live, chosen, others):
    """Health over a fresh connection while every other child is stopped: only `chosen` can accept."""
    for pid in others:
        os.kill(pid, signal.SIGSTOP)
    try:
        return request("GET", live.url + "/v1/health", timeout=WAIT_SECONDS)[0] == 200
    finally:
        for pid in others:
            os.kill(pid, signal.SIGCONT)


@pytest.fixture
def live_config(tmp_path):
    return write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", **CHEAP_ARGON2)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_two_processes_answer_and_sigterm_stops_both(live_config):
    live = LiveServer(live_config, extra_args=["--processes", "2", "--threads", "1"]).start()
    try:
        children = wait_for(
            lambda: len(child_pids(live.process.pid)) == 2 and child_pids(live.process.pid), "2 children"
        )
        for pid in children:
            assert answers_alone(live, pid, children - {pid}), f"process {pid} did not answer"
    finally:
        code = live.stop(signal.SIGTERM)
    assert code == 0, live.log()
    assert not [pid for pid in children if alive(pid)], "orphaned server processes"
    assert live.log().count("INFO oppmini.serve: stopped") == 2


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_killed_child_is_replaced_and_sigint_stops_all(live_config):
    live = LiveServer(live_config, extra_args=["--processes", "2", "--threads", "1"]).start()
    try:
        first = wait_for(lambda: len(child_pids(live.process.pid)) == 2 and child_pids(live.process.pid), "2 children")
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        now = wait_for(
            lambda: (pids := child_pids(live.process.pid)) and len(pids) == 2 and victim not in pids and pids,
            "a replacement child",
        )
        replacement = (now - first).pop()
        assert wait_for(lambda: answers_alone(live, replacement, now - {replacement}), "the replacement to answer")
    finally:
        code = live.stop(signal.SIGINT)
    assert code == 0, live.log()
    assert not [pid for pid in now if alive(pid)], "orphaned server processes"
    assert "died unexpectedly (signal SIGKILL); starting another" in live.log()


def test_a_child_that_cannot_start_stops_the_supervisor():
    started = []

    def cannot_start():
        return server.CANNOT_START

    supervisor = server.Supervisor(cannot_start, 2)
    original_spawn = supervisor._spawn

    def counting_spawn(mask):
        original_spawn(mask)
        started.append(set(supervisor.children))

    supervisor._spawn = counting_spawn
    assert supervisor.run() == 1
    assert len(started) == 2, "it must not start replacements for a child that cannot start"
    assert not supervisor.children
    assert not [pid for pid in started[-1] if alive(pid)]


def test_a_stop_that_comes_as_a_child_ends_never_lets_it_run_the_parents_code(monkeypatch):
    # The parent's SIGTERM reaching a child in its last steps (here: the logging's shutdown) once
    # raised SystemExit past its os._exit, and the child went on running its caller's code.
    parent = os.getpid()

    def stopped_meanwhile():
        if os.getpid() != parent:
            raise SystemExit(0)

    def too_long(signum, frame):
        raise TimeoutError("the supervisor kept starting children that did not end")

    monkeypatch.setattr(server.logging, "shutdown", stopped_meanwhile)
    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(10)
    try:
        result = server.Supervisor(lambda: server.CANNOT_START, 1).run()
    finally:
        if os.getpid() != parent:
            os._exit(99)  # a child that got out: end it here, where the parent sees a code it did not expect
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert result == 1


def test_a_child_whose_sigchld_another_thread_took_is_still_seen(monkeypatch):
    # A thread of the process that does not block SIGCHLD (a library's, or the pools a test before
    # this one left in the same process) may take the signal and drop it: as if none had come.
    timed_wait, wait = signal.sigtimedwait, signal.sigwaitinfo

    def timed_wait_without_sigchld(signals, timeout):
        info = timed_wait(signals, timeout)
        return None if info is not None and info.si_signo == signal.SIGCHLD else info

    def wait_without_sigchld(signals):
        while (info := wait(signals)).si_signo == signal.SIGCHLD:
            pass
        return info

    def too_long(signum, frame):
        raise TimeoutError("the supervisor never saw its children end")

    monkeypatch.setattr(signal, "sigtimedwait", timed_wait_without_sigchld)
    monkeypatch.setattr(signal, "sigwaitinfo", wait_without_sigchld)
    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(20)
    try:
        assert server.Supervisor(lambda: server.CANNOT_START, 2).run() == 1
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_children_stopped_from_outside_are_not_replaced_and_the_parent_exits(live_config):
    # As systemd stops a unit: every process of it gets SIGTERM, children included.
    live = LiveServer(live_config, extra_args=["--processes", "2", "--threads", "1"]).start()
    try:
        children = wait_for(
            lambda: len(child_pids(live.process.pid)) == 2 and child_pids(live.process.pid), "2 children"
        )
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        assert live.process.wait(WAIT_SECONDS) == 0, live.log()
    finally:
        live.stop()
    assert "starting another" not in live.log()
    assert not [pid for pid in children if alive(pid)], "orphaned server processes"
