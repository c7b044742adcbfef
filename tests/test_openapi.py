"""The OpenAPI document: valid 3.1, served under both prefixes, one operation per route."""

import json
import re

import pytest
import webtest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from conftest import CHEAP_ARGON2
from oppmini import __version__
from oppmini.config import Config
from oppmini.web.app import make_app
from oppmini.web.openapi import DOCUMENT
from oppmini.web.routes import ROUTES

METRICS_TOKEN = "probe-token-0123456789abcdef"


@pytest.mark.parametrize("prefix", ["/v1", "/api/v1"])
def test_served_under_both_prefixes(client, prefix):
    answer = client.get(prefix + "/openapi.json")
    assert answer.content_type == "application/json"
    assert answer.json == DOCUMENT
    assert answer.headers["Cache-Control"] == "no-store"


def test_the_server_s_release_is_said_only_to_the_bearer_of_the_metrics_token(db_url):
    # As /v1/health: a release number tells a scanner which published flaws to try.
    client = webtest.TestApp(make_app(Config(db_connect=db_url, metrics_token=METRICS_TOKEN, **CHEAP_ARGON2)))
    for wrong in ({}, {"Authorization": f"Bearer {METRICS_TOKEN}0"}, {"Authorization": METRICS_TOKEN}):
        answer = client.get("/v1/openapi.json", headers=wrong).json
        assert answer == DOCUMENT and answer["info"]["version"] == "v1"
        assert __version__ not in json.dumps(answer)
    answer = client.get("/v1/openapi.json", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).json
    assert answer["info"]["version"] == __version__
    assert {**answer, "info": {**answer["info"], "version": "v1"}} == DOCUMENT
    validate(answer)


def test_the_document_is_valid_openapi_3_1():
    assert DOCUMENT["openapi"] == "3.1.0"
    validate(DOCUMENT)


def test_the_validator_would_notice_a_broken_document():
    broken = {**DOCUMENT, "paths": {"/health": {"get": {"responses": {"200": {"content": 5}}}}}}
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_every_route_is_described_and_nothing_else():
    # Bottle writes a path parameter <item_id>, OpenAPI {item_id}.
    routes = {(re.sub(r"<(\w+)>", r"{\1}", route.path), route.method.lower()) for route in ROUTES}
    described = {(path, method) for path, operations in DOCUMENT["paths"].items() for method in operations}
    assert described == routes


def test_every_operation_documents_its_errors_as_the_error_body():
    for path, operations in DOCUMENT["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            # 400: a query string that is not UTF-8 reaches every operation.
            assert {"200", "400", "503"} <= set(responses), (method, path)
            if "requestBody" in operation:
                assert {"400", "413"} <= set(responses), (method, path)
            if operation.get("security"):
                assert "401" in responses, (method, path)
            if "phrase" in str(operation.get("security")):
                assert "429" in responses, (method, path)
    for response in DOCUMENT["components"]["responses"].values():
        assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
