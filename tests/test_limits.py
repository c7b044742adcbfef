"""Limits: body size, malformed bodies, bounded Argon2 work; a JSON answer, never a 500."""

import io
import json
import threading
import time

import pytest
import webtest

from conftest import PASSWORD, claims_of
from oppmini.contract.errors import ApiError
from oppmini.contract.payload import read_body
from oppmini.seal.crypto import KdfBusy, KdfGate
from oppmini.web.app import make_app

MISSING_PAYLOAD = "Missing payload!"


@pytest.fixture
def small_client(config, clock):
    return webtest.TestApp(make_app(config.replace(max_body_bytes=1000), clock=clock))


def raw_post(client, path, body, content_type="application/json", status="*"):
    return client.post(path, body, headers={"Content-Type": content_type}, status=status)


def test_a_body_over_the_limit_is_413_before_anything_else(small_client):
    big = json.dumps({"username": "alice", "password": "x" * 1000}).encode()
    for path in ("/v1/auth", "/v1/user", "/api/v1/user"):
        answer = raw_post(small_client, path, big, status=413)
        assert answer.json == {
            "status_code": 413,
            "error": "Payload Too Large",
            "description": "The request body is larger than 1000 bytes",
        }
    # Exactly at the limit is accepted (and then judged on its content).
    at_limit = json.dumps({"username": "alice", "password": "x" * (1000 - 37)}).encode()
    assert len(at_limit) == 1000
    assert raw_post(small_client, "/v1/auth", at_limit, status=401).json["description"] == "Invalid credentials"


def test_the_default_limit_is_one_mebibyte(client):
    body = json.dumps({"username": "a" * (1024 * 1024)}).encode()
    assert raw_post(client, "/v1/user", body, status=413).json["status_code"] == 413


@pytest.mark.parametrize(
    "body, description",
    [
        (b"", "The request body is empty"),
        (b"\xff\xfe{}", "The body is not valid UTF-8 (byte 0)"),
        (b'{"username": "caf\xe9"}', "The body is not valid UTF-8 (byte 17)"),
        (b'{"username": ', "The body is not valid JSON: Expecting value (line 1, column 14)"),
        (b"[1, 2]", "The body must be a non-empty JSON object"),
        (b'"text"', "The body must be a non-empty JSON object"),
        (b"null", "The body must be a non-empty JSON object"),
        (b'{"a": NaN}', "The body is not valid JSON: NaN is not allowed in JSON"),
        (b'{"a": Infinity}', "The body is not valid JSON: Infinity is not allowed in JSON"),
    ],
)
@pytest.mark.parametrize("path", ["/v1/user", "/v1/auth"])
def test_bodies_that_are_not_a_json_object(client, path, body, description):
    answer = raw_post(client, path, body, status=400)
    assert answer.json == {"status_code": 400, "error": MISSING_PAYLOAD, "description": description}


def test_an_empty_object_is_a_missing_payload_but_at_login(client):
    # At /v1/auth `{}` is the 401 of missing credentials (test_auth).
    answer = raw_post(client, "/v1/user", b"{}", status=400)
    assert answer.json == {
        "status_code": 400,
        "error": MISSING_PAYLOAD,
        "description": "The body must be a non-empty JSON object",
    }


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # deeper than the parser's recursion
        b'{"a": ' + b"9" * 5000 + b"}",  # more digits than Python converts
        b'{"username": {"nested": 1}, "password": [1], "exp_delta": 1e999}',
    ],
)
@pytest.mark.parametrize("path", ["/v1/user", "/v1/auth"])
def test_hostile_json_is_a_400_never_a_500(client, path, body):
    answer = raw_post(client, path, body)
    assert 400 <= answer.status_int < 500, answer.body[:300]
    assert answer.json["status_code"] == answer.status_int


@pytest.mark.parametrize("method", ["put", "post", "delete"])
def test_a_lone_surrogate_is_not_text(client, auth, method):
    # Valid JSON, but no string UTF-8, Argon2 or a database can take: it was a 500.
    auth.sign_up()
    body = b'{"username": "alice", "password": "\\ud800", "phrase": "long enough", "\\udfff": 1}'
    answer = getattr(client, method)("/v1/user", body, headers={"Content-Type": "application/json"}, status=400)
    assert answer.json["error"] == "Input 'password' parameter is not valid text!"


def test_a_lone_surrogate_is_a_failed_login(client, auth):
    auth.sign_up()
    for body in (b'{"username": "alice", "password": "\\udc00"}', b'{"username": "\\ud800", "password": "x"}'):
        answer = client.post("/v1/auth", body, headers={"Content-Type": "application/json"}, status=401)
        assert answer.json["description"] == "Invalid credentials"


def test_the_argon2_gate_admits_at_most_its_slots():
    gate = KdfGate(2, wait_seconds=5)
    running, peak, lock = [0], [0], threading.Lock()

    def work():
        with gate.slot():
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(0.05)
            with lock:
                running[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 2


def test_the_argon2_gate_gives_up_after_its_wait():
    gate = KdfGate(1, wait_seconds=0)
    with gate.slot():
        with pytest.raises(KdfBusy):
            with gate.slot():
                pass
    with gate.slot():  # released again
        pass


def test_a_full_argon2_gate_is_a_503_json(config, clock, auth):
    app = make_app(config.replace(argon2_concurrency=1, argon2_wait=0), clock=clock)
    client = webtest.TestApp(app)
    client.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": "battery staple"})
    with app.services.accounts.kdf_gate.slot():  # another request is deriving a key
        answer = client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}, status=503)
    assert answer.json == {
        "status_code": 503,
        "error": "Server busy",
        "description": "Too many passphrase checks at once; try again shortly.",
    }
    assert answer.headers["Retry-After"] == "1"
    client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}, status=200)


def environ_for(body, **extra):
    return {"wsgi.input": io.BytesIO(body), **extra}


def test_read_body_honours_a_declared_length():
    assert read_body(environ_for(b"12345", CONTENT_LENGTH="3"), 10) == b"123"
    with pytest.raises(ApiError) as refused:
        read_body(environ_for(b"x" * 11, CONTENT_LENGTH="11"), 10)
    assert refused.value.status == 413
    with pytest.raises(ApiError) as refused:
        read_body(environ_for(b"x", CONTENT_LENGTH="-1"), 10)
    assert refused.value.status == 400


def test_read_body_without_a_length_reads_a_terminated_stream_up_to_the_limit():
    # gunicorn and others hand a chunked body this way: no length, input_terminated.
    assert read_body(environ_for(b"x" * 10, **{"wsgi.input_terminated": True}), 10) == b"x" * 10
    with pytest.raises(ApiError) as refused:
        read_body(environ_for(b"x" * 11, **{"wsgi.input_terminated": True}), 10)
    assert refused.value.status == 413
    # Without either, WSGI promises nothing to read: no body rather than a hang.
    assert read_body(environ_for(b"x" * 5), 10) == b""


def test_read_body_twice_gives_the_body_twice():
    # A request retried after a lock conflict reads its body again.
    environ = environ_for(b"12345", CONTENT_LENGTH="5")
    assert read_body(environ, 10) == read_body(environ, 10) == b"12345"


# Numbers longer than Python's int() takes (4300 digits): a 500 before, in ids
# sent as digits, in genopts and query options, and as JSON numbers anywhere.
LONG = "1" * 5000
SPELLINGS = {"digits": f'"{LONG}"', "number": LONG}


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize(
    "method, resource, template, errors",
    [
        ("POST", "items", '{"items": [{"id": %s}]}', ("Unable to update items in the database!",) * 2),
        (
            "PUT",
            "items",
            '{"items": [{"category_id": %s}]}',
            ("Unable to add new items to the database!", "Invalid item data in list!"),
        ),
        ("PUT", "items", '{"items": [{"sort_id": %s}]}', ("Invalid item data in list!",) * 2),
        (
            "PUT",
            "items",
            '{"items": [{}], "auto_pass": true, "genopts": {"numChars": %s}}',
            ("Invalid password generation options!",) * 2,
        ),
        (
            "POST",
            "categories",
            '{"categories": [{"id": %s, "name": "x"}]}',
            ("Unable to update categories in the database!",) * 2,
        ),
        (
            "POST",
            "categories",
            '{"categories": [{"id": 1, "name": "x", "sort_id": %s}]}',
            ("Invalid category sort_id in list!",) * 2,
        ),
    ],
)
def test_numbers_too_long_for_int_are_refused_as_invalid(client, vault, spelling, method, resource, template, errors):
    body = (template % SPELLINGS[spelling]).encode()
    headers = {**vault.headers, "Content-Type": "application/json"}
    answer = client.request(f"/v1/{resource}", method=method, body=body, headers=headers, status=400)
    assert answer.json["error"] == errors[list(SPELLINGS).index(spelling)]
    assert vault.get("fetchall") == {"result": "success", "categories": [], "items": [], "collections": []}


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("resource, extra", [("items", ""), ("categories", ', "cascade": true')])
def test_ids_too_long_for_int_are_not_yours_and_ignored(client, vault, spelling, resource, extra):
    (category,) = vault.add_categories("Work")
    vault.add_items({"name": "kept", "category_id": category["id"]})
    body = f'{{"ids": [{SPELLINGS[spelling]}]{extra}}}'.encode()
    headers = {"x-opp-jwt": vault.headers["x-opp-jwt"], "Content-Type": "application/json"}
    assert client.request(f"/v1/{resource}", method="DELETE", body=body, headers=headers).json == {"result": "success"}
    assert [item["name"] for item in vault.get("items")["items"]] == ["kept"]
    assert vault.get("categories")["categories"] == [category]


def test_a_generate_option_too_long_for_int_is_refused(vault):
    answer = vault.get("generate", status=400, numChars=LONG)
    assert answer["description"] == "For sanity's sake, numChars must be between 8 and 100 characters."


def test_an_exp_delta_too_long_for_int_is_clamped(client, auth, config):
    auth.sign_up()
    body = f'{{"username": "alice", "password": "{PASSWORD}", "exp_delta": {LONG}}}'.encode()
    token = raw_post(client, "/v1/auth", body, status=200).json["access_token"]
    claims = claims_of(token)
    assert claims["exp"] - claims["iat"] == config.max_exp_delta


@pytest.mark.parametrize("declared, status", [(LONG, 413), ("0" * 5000 + "5", 200), ("\xb2", 400)])
def test_read_body_takes_a_length_int_cannot_convert(declared, status):
    # '²' passes str.isdigit(), not int().
    try:
        assert read_body(environ_for(b"12345", CONTENT_LENGTH=declared), 10) == b"12345"
        answered = 200
    except ApiError as refused:
        answered = refused.status
    assert answered == status
