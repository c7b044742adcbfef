"""Guessing limits hold under real concurrency: two serve.py processes of eight threads each."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import PASSWORD, PHRASE
from live import LiveServer, request, write_config
from otp import code_at

GUESSES = 100
MAX_FAILURES = 10
# Argon2 slow enough (a few ms) that guesses overlap while being checked.
RACY_ARGON2 = {"argon2_memory_kib": 4096, "argon2_time_cost": 1, "argon2_parallelism": 1, "argon2_concurrency": 8}


@pytest.fixture
def server(db_url, tmp_path):
    config = write_config(tmp_path, db_connect=db_url, allow_signup="true", max_failures=MAX_FAILURES, **RACY_ARGON2)
    with LiveServer(config, extra_args=["--processes", "2", "--threads", "8"]) as live:
        status, _, _ = request(
            "PUT", live.url + "/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE}
        )
        assert status == 200
        yield live


def in_parallel(send):
    with ThreadPoolExecutor(max_workers=32) as pool:
        return sorted(pool.map(lambda _: send(), range(GUESSES)))


def test_parallel_wrong_passwords_check_at_most_the_limit(server):
    statuses = in_parallel(
        lambda: request("POST", server.url + "/v1/auth", {"username": "alice", "password": "wrong guess"})[0]
    )
    assert statuses.count(401) == MAX_FAILURES, statuses
    assert statuses.count(429) == GUESSES - MAX_FAILURES


def test_parallel_wrong_passphrases_check_at_most_the_limit(server):
    _, _, answer = request("POST", server.url + "/v1/auth", {"username": "alice", "password": PASSWORD})
    headers = {"x-opp-jwt": answer["access_token"], "x-opp-phrase": "not the passphrase"}
    statuses = in_parallel(lambda: request("GET", server.url + "/v1/categories", headers=headers)[0])
    assert statuses.count(400) == MAX_FAILURES, statuses
    assert statuses.count(429) == GUESSES - MAX_FAILURES


def test_parallel_guesses_at_many_names_from_one_address_check_at_most_its_limit(db_url, tmp_path):
    config = write_config(tmp_path, db_connect=db_url, max_failures_per_address=MAX_FAILURES, **RACY_ARGON2)
    with LiveServer(config, extra_args=["--processes", "2", "--threads", "8"]) as live:
        names = iter(range(GUESSES))
        statuses = in_parallel(
            lambda: request("POST", live.url + "/v1/auth", {"username": f"user{next(names)}", "password": "x"})[0]
        )
    assert statuses.count(401) == MAX_FAILURES, statuses
    assert statuses.count(429) == GUESSES - MAX_FAILURES


def test_parallel_wrong_codes_check_at_most_the_code_budget(server):
    _, _, answer = request("POST", server.url + "/v1/auth", {"username": "alice", "password": PASSWORD})
    headers = {"x-opp-jwt": answer["access_token"]}
    secret = request("PUT", server.url + "/v1/2fa", {"password": PASSWORD}, headers)[2]["secret"]
    confirm = {"code": code_at(secret, time.time()), "password": PASSWORD}
    assert request("POST", server.url + "/v1/2fa", confirm, headers)[0] == 200
    wrong = "000000" if code_at(secret, time.time()) != "000000" else "111111"
    login = {"username": "alice", "password": PASSWORD, "otp": wrong}
    statuses = in_parallel(lambda: request("POST", server.url + "/v1/auth", login)[0])
    # max_code_failures' default: five codes checked, never more; the rest refused before any code is
    # looked at. (On MariaDB a few of 100 parallel right passwords for one name can also answer 503:
    # their settled counts vanish under the others' reservations, as with right passwords alone.)
    assert statuses.count(401) == 5, statuses
    assert set(statuses) <= {401, 429, 503} and statuses.count(429) >= GUESSES // 2, statuses
