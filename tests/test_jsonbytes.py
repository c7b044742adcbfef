"""JSON answers: compact UTF-8 from orjson, the standard library for what orjson refuses, never a 500."""

import json

import webtest

from oppmini.contract.jsonbytes import dumps
from oppmini.web import app as app_module
from oppmini.web.app import make_app
from oppmini.web.routes import Route

TEXTS = ["café crème", "pâté 🔑🗝️", "密码 パスワード 비밀번호", 'tab\tquote" backslash\\ nul\x00 del\x7f']

# Deeper than orjson writes (255 levels); the standard library's recursion goes further.
DEEP = [[]]
for _ in range(300):
    DEEP = [DEEP]


def test_an_answer_is_compact_utf8_with_the_keys_in_their_order():
    value = {"result": "success", "z": 1, "a": [True, None, 2.5, -(2**63), 2**64 - 1], "text": TEXTS}
    body = dumps(value)
    assert json.loads(body) == value
    assert list(json.loads(body)) == ["result", "z", "a", "text"]
    assert all(text.encode("utf-8") in body for text in TEXTS[:3])
    assert b", " not in body and b": " not in body


def test_what_orjson_refuses_is_written_by_the_standard_library():
    for value in ({"name": "lone \ud800 surrogate"}, {"id": 2**64}, {"id": -(2**63) - 1}, {"deep": DEEP}):
        assert json.loads(dumps(value)) == value
    assert dumps({"name": "\udfff é"}) == b'{"name": "\\udfff \\u00e9"}'


def test_fetchall_carries_any_text_as_utf8_under_application_json(vault):
    created = vault.add_items(
        *[{"name": text, "password": text[::-1], "fields": [{"name": text, "value": text}]} for text in TEXTS]
    )
    answer = vault.client.get("/v1/fetchall", headers=vault.headers)
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["Content-Length"] == str(len(answer.body))
    items = answer.json["items"]
    assert [(item["name"], item["password"], item["fields"][0]["value"]) for item in items] == [
        (text, text[::-1], text) for text in TEXTS
    ]
    assert [item["id"] for item in items] == [item["id"] for item in created]
    for text in TEXTS[:3]:
        assert text.encode("utf-8") in answer.body


def test_an_answer_orjson_refuses_is_still_a_200(config, clock, monkeypatch):
    # No handler is known to answer a lone surrogate or a number past 64 bits;
    # one that did would get the standard library's JSON rather than a 500.
    def odd(call):
        return {"result": "success", "name": "\ud800", "big": 2**70}

    monkeypatch.setattr(app_module, "ROUTES", app_module.ROUTES + (Route("GET", "/odd", odd),))
    answer = webtest.TestApp(make_app(config, clock=clock)).get("/v1/odd", status=200)
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json == {"result": "success", "name": "\ud800", "big": 2**70}
