"""Two serve.py processes on one database: shared signing key and stamps, no lost or refused writes."""

from concurrent.futures import ThreadPoolExecutor

from conftest import PASSWORD, PHRASE
from live import request

CLIENTS = 8


def call(server, method, path, body=None, token=None, phrase=None):
    headers = {}
    if token:
        headers["x-opp-jwt"] = token
    if phrase:
        headers["x-opp-phrase"] = phrase
    status, _, answer = request(method, server.url + path, body, headers)
    return status, answer


def login(server, username="alice", password=PASSWORD):
    status, answer = call(server, "POST", "/v1/auth", {"username": username, "password": password})
    assert status == 200, answer
    return answer["access_token"]


REVOKED = {"status_code": 401, "error": "Invalid token", "description": "Token has been revoked"}


def test_tokens_and_revocations_cross_processes(servers):
    first, second = servers
    assert call(first, "PUT", "/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})[0] == 200
    kept, revoked = login(first), login(first)

    # Logging out everywhere on one process...
    assert call(second, "DELETE", "/v1/auth", token=revoked) == (200, {"result": "success"})
    # ...is seen by the other, which also honours tokens the other issued.
    assert call(first, "DELETE", "/v1/auth", token=kept) == (401, REVOKED)
    fresh = login(second)

    body = {"username": "alice", "password": PASSWORD, "new_password": "a new password"}
    assert call(first, "POST", "/v1/user", body) == (200, {"result": "success"})
    assert call(second, "DELETE", "/v1/auth", token=fresh) == (401, REVOKED)
    assert call(second, "DELETE", "/v1/auth", token=login(first, password="a new password"))[0] == 200


def test_concurrent_sign_ups_over_both_processes_all_land(servers):
    """Writes from 8 clients spread over two processes: none refused, none lost (no 'database is locked')."""
    per_client = 15

    def client(number):
        answers = []
        for n in range(per_client):
            server = servers[(number + n) % 2]
            body = {"username": f"user-{number}-{n}", "password": PASSWORD, "phrase": PHRASE}
            answers.append(call(server, "PUT", "/v1/user", body))
        return answers

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = [answer for result in pool.map(client, range(CLIENTS)) for answer in result]
    assert answers == [(200, {"result": "success"})] * (CLIENTS * per_client)
    for number in range(CLIENTS):
        assert call(servers[number % 2], "DELETE", "/v1/auth", token=login(servers[0], f"user-{number}-0"))[0] == 200


def test_eight_clients_creating_200_items_each_over_both_processes(servers):
    """1,600 items from 8 concurrent clients over two processes: every one stored and readable."""
    per_client = 200
    first, second = servers
    assert call(first, "PUT", "/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})[0] == 200
    token = login(first)

    def client(number):
        refused = []
        for n in range(per_client):
            server = servers[(number + n) % 2]
            body = {"items": [{"name": f"item {number}-{n}", "password": f"secret {number}-{n}"}]}
            status, answer = call(server, "PUT", "/v1/items", body, token=token, phrase=PHRASE)
            if status != 200:
                refused.append((status, answer))
        return refused

    with ThreadPoolExecutor(CLIENTS) as pool:
        refused = [answer for result in pool.map(client, range(CLIENTS)) for answer in result]
    assert refused == []
    for server in servers:
        status, answer = call(server, "GET", "/v1/fetchall", token=token, phrase=PHRASE)
        assert status == 200
        stored = {(item["name"], item["password"]) for item in answer["items"]}
        assert len(answer["items"]) == CLIENTS * per_client
        assert stored == {(f"item {c}-{n}", f"secret {c}-{n}") for c in range(CLIENTS) for n in range(per_client)}
