"""GET /metrics: off by default, a bearer token, and figures that add up over every process."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import webtest
from prometheus_client.parser import text_string_to_metric_families

from conftest import CHEAP_ARGON2, PASSWORD, PHRASE
from live import LiveServer, request, write_config
from oppmini import config as settings
from oppmini.config import Config
from oppmini.metrics import Metrics
from oppmini.seal.crypto import KdfBusy, KdfGate
from oppmini.web.app import make_app

TOKEN = "scrape-token-0123456789abcdef"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


def figures(text):
    """{(sample name, sorted label pairs): value} of a Prometheus text answer."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0)


@pytest.fixture
def metered(tmp_path, monkeypatch):
    """A webtest client of an app with metrics on (one process, SQLite)."""
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    config = Config(db_connect=f"sqlite:///{tmp_path}/opp.db", allow_signup=True, metrics_token=TOKEN, **CHEAP_ARGON2)
    return webtest.TestApp(make_app(config), extra_environ={"REMOTE_ADDR": "192.0.2.7"})


def scrape(client):
    answer = client.get("/metrics", headers=BEARER)
    assert answer.content_type == "text/plain"
    return figures(answer.text)


def test_off_unless_a_token_is_set(client):
    answer = client.get("/metrics", headers=BEARER)
    assert "oppmini_requests_total" not in answer.text  # the web page's index, as for any other path
    assert answer.content_type == "text/html"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-0123456789abcd"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": "Bearer"},
    ],
)
def test_without_the_right_bearer_token_401_json(metered, headers):
    answer = metered.get("/metrics", headers=headers, status=401)
    assert answer.json == {
        "status_code": 401,
        "error": "Authorization Required",
        "description": "GET /metrics needs the header Authorization: Bearer <metrics_token>",
    }
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert answer.headers["Cache-Control"] == "no-store"
    assert metered.post("/metrics", headers=BEARER, status=405).headers["Allow"] == "GET, HEAD"


def test_a_token_too_short_or_with_spaces_is_refused():
    for bad in ("short", "sixteen chars ok here"):
        with pytest.raises(settings.ConfigError, match="metrics_token"):
            settings.parse({"metrics_token": bad})
    assert settings.parse({"metrics_token": " " + TOKEN + " "}).metrics_token == TOKEN


def test_requests_logins_guesses_and_key_cache_counted(metered):
    metered.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
    for _ in range(3):
        token = metered.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    metered.post_json("/v1/auth", {"username": "alice", "password": "wrong"}, status=401)
    metered.post_json("/api/v1/auth", {"username": "nobody", "password": "wrong"}, status=401)
    vault = {"x-opp-jwt": token, "x-opp-phrase": PHRASE}
    for _ in range(3):
        metered.get("/api/v1/fetchall", headers=vault)  # the first opens the key with Argon2, then the cache
    metered.get("/v1/items", headers={**vault, "x-opp-phrase": "wrong phrase"}, status=400)
    metered.get("/v1/nothing", status=404)
    metered.get("/v1/health")
    metered.get("/", status=200)

    samples = scrape(metered)
    assert value(samples, "oppmini_requests_total", route="POST /v1/auth", status="200") == 3
    assert value(samples, "oppmini_requests_total", route="POST /v1/auth", status="401") == 2
    assert value(samples, "oppmini_requests_total", route="GET /v1/fetchall", status="200") == 3
    assert value(samples, "oppmini_requests_total", route="GET /v1/items", status="400") == 1
    assert value(samples, "oppmini_requests_total", route="PUT /v1/user", status="200") == 1
    assert value(samples, "oppmini_requests_total", route="other", status="404") == 1
    assert value(samples, "oppmini_requests_total", route="page", status="200") == 1
    assert value(samples, "oppmini_request_duration_seconds_count", route="GET /v1/fetchall") == 3
    assert value(samples, "oppmini_request_duration_seconds_bucket", route="GET /v1/health", le="+Inf") == 1
    assert value(samples, "oppmini_logins_total", result="ok") == 3
    assert value(samples, "oppmini_logins_total", result="failed") == 2
    assert value(samples, "oppmini_key_cache_lookups_total", result="miss") == 2  # the first fetchall, the wrong one
    assert value(samples, "oppmini_key_cache_lookups_total", result="hit") == 2
    # The scrape counts itself once it is answered: the next one sees it.
    assert value(scrape(metered), "oppmini_requests_total", route="GET /metrics", status="200") == 1


def test_429s_counted_by_the_limit_that_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    config = Config(db_connect=f"sqlite:///{tmp_path}/opp.db", metrics_token=TOKEN, max_failures=2, **CHEAP_ARGON2)
    client = webtest.TestApp(make_app(config))
    for status in (401, 401, 429, 429):
        client.post_json("/v1/auth", {"username": "alice", "password": "wrong"}, status=status)
    samples = scrape(client)
    assert value(samples, "oppmini_throttled_total", kind="this name at this address") == 2
    assert value(samples, "oppmini_logins_total", result="failed") == 2  # a refused guess is never checked


def test_database_outage_counted(tmp_path, monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    folder = tmp_path / "data"
    client = webtest.TestApp(make_app(Config(db_connect=f"sqlite:///{folder}/opp.db", metrics_token=TOKEN)))
    folder.rename(tmp_path / "away")
    client.get("/v1/health", status=503)
    client.get("/v1/health", status=503)
    (tmp_path / "away").rename(folder)
    samples = scrape(client)
    assert value(samples, "oppmini_database_errors_total", kind="unavailable") == 2
    assert value(samples, "oppmini_requests_total", route="GET /v1/health", status="503") == 2


def test_argon2_slot_waits_counted_as_got_or_gave_up(monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    metrics = Metrics()
    gate = KdfGate(1, 5, metrics)
    held, release = threading.Event(), threading.Event()

    def hold():
        with gate.slot():
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    threading.Timer(0.2, release.set).start()
    with gate.slot():  # waits for the holder, then gets the slot
        pass
    holder.join()
    with gate.slot():  # free: no wait, nothing counted
        pass
    impatient = KdfGate(1, 0, metrics)
    with impatient.slot():
        with pytest.raises(KdfBusy):
            with impatient.slot():
                pass
    samples = figures(metrics.exposition()[1].decode())
    assert value(samples, "oppmini_argon2_slot_waits_total", outcome="acquired") == 1
    assert value(samples, "oppmini_argon2_slot_waits_total", outcome="timed_out") == 1


def test_a_multiprocess_host_without_a_shared_folder_refuses_rather_than_report_one_worker(metered):
    answer = metered.get("/metrics", headers=BEARER, extra_environ={"wsgi.multiprocess": True}, status=503)
    assert answer.json["error"] == "Metrics unavailable"
    assert "PROMETHEUS_MULTIPROC_DIR" in answer.json["description"]


# Real processes: serve.py --processes 2, scraped over HTTP.


def folder_of(server):
    match = re.search(r"figures of every process gathered in (\S+)", server.log())
    assert match, server.log()
    return Path(match[1])


def test_one_scrape_adds_up_every_serve_py_process(tmp_path):
    config = write_config(
        tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", allow_signup="true", metrics_token=TOKEN, **CHEAP_ARGON2
    )
    server = LiveServer(config, extra_args=["--processes", "2", "--threads", "1"])
    with server:
        base = server.url
        assert (
            request("PUT", base + "/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})[0] == 200
        )
        token = request("POST", base + "/v1/auth", {"username": "alice", "password": PASSWORD})[2]["access_token"]
        vault = {"x-opp-jwt": token, "x-opp-phrase": PHRASE}
        # A known mix, sent at once over fresh connections, so both processes take a share.
        mix = (
            [("GET", "/v1/health", None, {}, 200)] * 40
            + [("POST", "/v1/auth", {"username": "alice", "password": "wrong"}, {}, 401)] * 5
            + [("POST", "/v1/auth", {"username": "alice", "password": PASSWORD}, {}, 200)] * 6
            + [("GET", "/v1/fetchall", None, vault, 200)] * 20
            + [("GET", "/v1/nothing", None, {}, 404)] * 7
        )

        def send(job):
            method, path, body, headers, expected = job
            time.sleep(0.01)
            assert request(method, base + path, body, headers)[0] == expected

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(send, mix))
        assert len(list(folder_of(server).glob("counter_*.db"))) == 2  # each process wrote its own figures
        health_counts = set()
        for scrape_number in range(4):  # whichever process answers, the same totals
            status, _, text = request("GET", base + "/metrics", headers=BEARER)
            assert status == 200
            samples = figures(text.decode())
            health_counts.add(value(samples, "oppmini_requests_total", route="GET /v1/health", status="200"))
            assert value(samples, "oppmini_requests_total", route="POST /v1/auth", status="401") == 5
            assert value(samples, "oppmini_requests_total", route="POST /v1/auth", status="200") == 7
            assert value(samples, "oppmini_requests_total", route="GET /v1/fetchall", status="200") == 20
            assert value(samples, "oppmini_requests_total", route="PUT /v1/user", status="200") == 1
            assert value(samples, "oppmini_requests_total", route="other", status="404") == 7
            assert value(samples, "oppmini_requests_total", route="GET /metrics", status="200") == scrape_number
            assert value(samples, "oppmini_request_duration_seconds_count", route="GET /v1/fetchall") == 20
            assert value(samples, "oppmini_logins_total", result="ok") == 7
            assert value(samples, "oppmini_logins_total", result="failed") == 5
            assert (
                value(samples, "oppmini_key_cache_lookups_total", result="hit")
                + value(samples, "oppmini_key_cache_lookups_total", result="miss")
            ) == 20
        folder = folder_of(server)
    assert not folder.exists()  # gone with the server
    # 40, and the start-up checks of LiveServer, counted by their access lines (all written by now).
    assert health_counts == {server.log().count(" GET /v1/health 200 ")} and health_counts.pop() >= 40
