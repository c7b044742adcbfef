"""A flood of wrong passphrases at production Argon2 cost cannot take the memory or the threads."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from live import LiveServer, request, write_config

FLOOD = 32
ARGON2_MIB = 64  # the production default memory cost of one derivation


def memory_mib(pid):
    """(current RSS, peak RSS) of a process, in MiB."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0]) // 1024
    return values["VmRSS"], values["VmHWM"]


def test_32_concurrent_wrong_passphrases_hold_at_most_two_derivations(tmp_path):
    # Production Argon2 defaults (m=64 MiB, t=3, p=4) and default argon2_concurrency (2);
    # 32 threads, so only the gate stands between the flood and 32 x 64 MiB.
    config = write_config(
        tmp_path,
        db_connect=f"sqlite:///{tmp_path}/opp.db",
        allow_signup="true",
        threads=FLOOD,
        max_failures=10**6,
        max_failures_per_address=10**6,
    )
    with LiveServer(config) as server:
        request("PUT", server.url + "/v1/user", {"username": "u", "password": "pw", "phrase": "right phrase"})
        token = request("POST", server.url + "/v1/auth", {"username": "u", "password": "pw"})[2]["access_token"]
        baseline, _ = memory_mib(server.process.pid)

        def guess(number):
            headers = {"x-opp-jwt": token, "x-opp-phrase": f"wrong guess {number}"}
            status, answer_headers, answer = request("GET", server.url + "/v1/categories", headers=headers, timeout=120)
            if status == 503:
                assert answer_headers["Retry-After"] == "1"
            return status, answer["error"]

        with ThreadPoolExecutor(FLOOD) as pool:
            answers = Counter(pool.map(guess, range(FLOOD)))
        _, peak = memory_mib(server.process.pid)
        health = request("GET", server.url + "/v1/health")[0]
    print(f"baseline RSS {baseline} MiB, peak RSS {peak} MiB under {FLOOD} wrong passphrases; answers {dict(answers)}")
    assert set(answers) <= {(400, "Incorrect passphrase supplied!"), (503, "Server busy")}
    assert answers[(400, "Incorrect passphrase supplied!")] >= 2
    # Two derivations at once (plus slack for the interpreter and the threads), never 32.
    assert peak < baseline + 3 * ARGON2_MIB, f"peak {peak} MiB"
    assert health == 200
