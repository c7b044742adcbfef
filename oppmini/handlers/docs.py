"""Handler of /v1/openapi.json."""

from ..openapi import DOCUMENT


def openapi_document(call):
    """The API's OpenAPI 3.1 description; the same for every caller."""
    return DOCUMENT
