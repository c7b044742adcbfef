"""The OpenAPI 3.1 description of the v1 API and its extensions, served at /v1/openapi.json."""

from ... import __version__
from .parts import RESPONSES, SCHEMAS
from .paths import PATHS

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "oppmini",
        # The API's version; the server's release only for the operator (OPERATOR_DOCUMENT), as /v1/health.
        "version": "v1",
        "summary": "The OpenPassPhrase v1 JSON API, with oppmini's extensions.",
    },
    "servers": [{"url": "/v1"}, {"url": "/api/v1"}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "responses": RESPONSES,
        "securitySchemes": {
            "token": {"type": "apiKey", "in": "header", "name": "x-opp-jwt", "description": "From POST /auth."},
            "phrase": {"type": "apiKey", "in": "header", "name": "x-opp-phrase", "description": "The passphrase."},
        },
    },
}

# With the release in info.version: for the bearer of config metrics_token.
OPERATOR_DOCUMENT = {**DOCUMENT, "info": {**DOCUMENT["info"], "version": __version__}}
