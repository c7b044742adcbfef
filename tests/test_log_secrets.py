"""A whole session through serve.py at DEBUG: no secret anywhere in what the server writes."""

import base64
import secrets

from conftest import CHEAP_ARGON2
from live import LiveServer, request, write_config


def marker(kind):
    """A unique value that can only reach the log by leaking."""
    return f"{kind}-{secrets.token_hex(6)}"


def test_a_full_session_leaves_no_secret_in_the_output(tmp_path):
    config = write_config(
        tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", allow_signup="true", log_level="DEBUG", **CHEAP_ARGON2
    )
    username = marker("user")
    password, new_password = marker("password"), marker("newpassword")
    phrase, new_phrase, wrong_phrase = marker("phrase"), marker("newphrase"), marker("wrongphrase")
    fields = {name: marker(name) for name in ("name", "url", "account", "username", "password", "blob")}
    category, new_item_password = marker("category"), marker("itempassword")
    seed = base64.b32encode(secrets.token_bytes(20)).decode()
    bad_seed = "0" + seed[1:]  # not base32: refused, and the refusal must not echo it
    hidden = marker("hidden")
    fields["totp"] = f"otpauth://totp/x?secret={seed}"
    fields["fields"] = [{"name": "PIN", "value": hidden, "hidden": True}]
    leaked = [
        password,
        new_password,
        phrase,
        new_phrase,
        wrong_phrase,
        category,
        new_item_password,
        seed,
        bad_seed,
        hidden,
        *(value for value in fields.values() if isinstance(value, str)),
    ]
    statuses = []

    with LiveServer(config) as server:

        def call(method, path, body=None, token=None, phrase_header=None):
            headers = {}
            if token:
                headers["x-opp-jwt"] = token
            if phrase_header is not None:
                headers["x-opp-phrase"] = phrase_header
            status, _, answer = request(method, server.url + path, body, headers)
            statuses.append(status)
            return status, answer

        assert call("PUT", "/v1/user", {"username": username, "password": password, "phrase": phrase})[0] == 200
        status, answer = call("POST", "/v1/auth", {"username": username, "password": password, "exp_delta": 600})
        token = answer["access_token"]
        leaked += [token, *token.split(".")[1:]]
        status, answer = call("PUT", "/v1/categories", {"category_names": [category]}, token, phrase)
        category_id = answer["categories"][0]["id"]
        item = {**fields, "category_id": category_id}
        status, answer = call("PUT", "/v1/items", {"items": [item]}, token, phrase)
        item_id = answer["items"][0]["id"]
        update = {"items": [{"id": item_id, "password": new_item_password}]}
        assert call("POST", "/v1/items", update, token, phrase)[0] == 200
        status, answer = call("GET", "/v1/fetchall", token=token, phrase_header=phrase)
        assert answer["items"][0]["password"] == new_item_password
        status, answer = call("GET", f"/v1/items/{item_id}/totp", token=token, phrase_header=phrase)
        leaked.append(answer["code"])
        assert call("GET", "/v1/totp", token=token, phrase_header=phrase)[0] == 200
        status, answer = call("GET", f"/v1/items/{item_id}/history", token=token, phrase_header=phrase)
        assert answer["history"][0]["password"] == fields["password"]
        assert call("GET", f"/v1/search?q={hidden}", token=token, phrase_header=phrase)[1]["items"] == []
        bad = {"items": [{"id": item_id, "totp": bad_seed}]}
        status, answer = call("POST", "/v1/items", bad, token, phrase)
        assert status == 400 and bad_seed not in str(answer)
        assert call("DELETE", "/v1/items", {"ids": [item_id]}, token)[0] == 200
        assert call("GET", "/v1/trash", token=token, phrase_header=phrase)[0] == 200
        assert call("POST", "/v1/trash", {"ids": [item_id]}, token, phrase)[0] == 200
        status, answer = call("GET", "/v1/generate?numChars=20", token=token)
        leaked.append(answer["password"])
        assert call("GET", "/v1/items", token=token, phrase_header=wrong_phrase)[0] == 400
        change = {
            "username": username,
            "password": password,
            "new_password": new_password,
            "phrase": phrase,
            "new_phrase": new_phrase,
        }
        assert call("POST", "/v1/user", change)[0] == 200
        assert call("POST", "/v1/auth", {"username": username, "password": password})[0] == 401
        assert call("GET", "/v1/items", token=token, phrase_header=phrase)[0] == 401  # revoked
        assert call("DELETE", "/v1/user", {"username": username, "password": new_password})[0] == 200
        # A secret where a careless client might put one: in the query string.
        assert call("GET", f"/v1/health?x-opp-phrase={phrase}")[0] == 200

    output = server.log()
    assert statuses == [200, 200, 200, 200, 200, 200] + [200, 200, 200, 200, 400, 200, 200, 200] + [
        200,
        400,
        200,
        401,
        401,
        200,
        200,
    ]
    access_lines = [line for line in output.splitlines() if " oppmini.access: " in line]
    assert len(access_lines) >= len(statuses)  # one per request (and the start-up health checks)
    assert "DEBUG oppmini.throttle: guess counted from 127.0.0.1" in output  # DEBUG was on
    for secret in leaked:
        assert secret not in output, f"{secret.split('-')[0]} leaked into the server output"
