"""Handler of /v1/openapi.json."""

from ..openapi import DOCUMENT, OPERATOR_DOCUMENT
from .service import is_operator


def openapi_document(call):
    """The API's OpenAPI 3.1 description; the server's release in `info.version` only for the operator's
    metrics token, as /v1/health says versions (the answer is never cached: no-store)."""
    return OPERATOR_DOCUMENT if is_operator(call) else DOCUMENT
