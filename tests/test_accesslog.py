"""serve.py's access-log fast path: the same line as logging would write, whole, batched, never lost at exit."""

import logging
import os
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import CHEAP_ARGON2
from live import LiveServer, request, write_config
from oppmini.web.accesslog import BATCH_BYTES, AccessLineHandler, direct_writer, install
from serve import LOG_FORMAT

ACCESS_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ INFO oppmini\.access: "
    r"127\.0\.0\.1 GET /v1/\S+ \d{3} \d+\.\dms$"
)


@pytest.fixture
def pipe():
    read_end, write_end = os.pipe()
    yield read_end, write_end
    for fd in (read_end, write_end):
        try:
            os.close(fd)
        except OSError:
            pass


def drain(read_end, write_end):
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    return b"".join(chunks).decode()


def test_the_line_is_the_one_the_root_format_writes(pipe):
    now = 1_767_225_600.0421
    handler = AccessLineHandler(fd=pipe[1], clock=lambda: now)
    handler.write_message("192.0.2.7 GET /v1/health 200 0.4ms")
    handler.flush()
    record = logging.LogRecord(
        "oppmini.access", logging.INFO, __file__, 1, "%s", ("192.0.2.7 GET /v1/health 200 0.4ms",), None
    )
    record.created, record.msecs = now, 42.0
    assert drain(*pipe) == logging.Formatter(LOG_FORMAT).format(record) + "\n"


def test_lines_wait_for_a_batch_and_each_write_is_whole_lines_within_pipe_buf(pipe, monkeypatch):
    writes = []
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: writes.append(bytes(data)) or real_write(fd, data))
    handler = AccessLineHandler(fd=pipe[1], flush_seconds=60)
    message = "192.0.2.7 GET /v1/" + "x" * 100 + " 200 0.4ms"
    for _ in range(3):
        handler.write_message(message)
    assert writes == []  # batched, not one system call per line
    for _ in range(200):
        handler.write_message(message)
    handler.flush()
    assert all(len(data) <= BATCH_BYTES and data.endswith(b"\n") for data in writes) and len(writes) > 3
    assert drain(*pipe).count(message + "\n") == 203


def test_the_timer_writes_a_lone_line_soon(pipe):
    handler = AccessLineHandler(fd=pipe[1], flush_seconds=0.05)
    handler.write_message("192.0.2.7 GET /v1/health 200 0.4ms")
    os.set_blocking(pipe[0], True)
    assert os.read(pipe[0], 4096).endswith(b" INFO oppmini.access: 192.0.2.7 GET /v1/health 200 0.4ms\n")


def test_a_forked_child_does_not_write_its_parent_s_pending_lines_again(pipe):
    handler = AccessLineHandler(fd=pipe[1], flush_seconds=60)
    handler.write_message("from the parent")
    pid = os.fork()
    if pid == 0:
        handler.write_message("from the child")
        handler.flush()
        os._exit(0)
    os.waitpid(pid, 0)
    handler.flush()
    text = drain(*pipe)
    assert text.count("from the parent") == 1 and text.count("from the child") == 1
    assert f" {pid} INFO oppmini.access: from the child" in text


def test_only_a_logger_writing_to_the_handler_alone_takes_the_fast_path():
    logger = logging.getLogger("oppmini.test-accesslog")
    handler = install(LOG_FORMAT, logger.name)
    try:
        logger.setLevel(logging.INFO)
        assert direct_writer(logger) is handler
        logger.setLevel(logging.WARNING)
        assert direct_writer(logger) is None  # no line wanted
        logger.setLevel(logging.INFO)
        logger.propagate = True
        assert direct_writer(logger) is None  # others want the record too (pytest's caplog, a host's handler)
    finally:
        logger.removeHandler(handler)


def test_serve_py_writes_every_line_whole_from_every_process_before_it_exits(tmp_path):
    config = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", **CHEAP_ARGON2)
    server = LiveServer(config, extra_args=["--processes", "2", "--threads", "2"])
    with server:
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda n: request("GET", f"{server.url}/v1/nothing-{n}")[0], range(400)))
        assert statuses == [404] * 400
        request("GET", server.url + "/v1/the-last-one")
        server.wait_for_log("/v1/the-last-one")  # written within the flush interval, not only at exit
        for n in range(400):
            request("GET", f"{server.url}/v1/after-{n}")
    access = [line for line in server.log().splitlines() if "oppmini.access" in line]
    assert all(ACCESS_LINE.match(line) for line in access), [line for line in access if not ACCESS_LINE.match(line)]
    for prefix in ("nothing", "after"):
        assert sorted(re.findall(rf" GET /v1/{prefix}-(\d+) 404 ", "\n".join(access)), key=int) == [
            str(n) for n in range(400)
        ]
    assert len({line.split()[2] for line in access if "/v1/nothing-" in line}) == 2  # both processes wrote
