"""GET /v1/fetchall: the whole vault at once, tagged with its version so that an open page can ask cheaply."""

from .parts import TEXT, TOKEN_AND_PHRASE, WITH_PHRASE, array_of, operation, success


def fetch_all_operation():
    """GET /v1/fetchall, tagged with the vault's version (extension): 304 while If-None-Match names it."""
    result = operation(
        "Every category and item of the caller (the items of their collections included, extension) and, "
        "extension, the caller's collections. Extension: the answer's ETag names this version of all of it; "
        "sent back as If-None-Match, the answer is 304 with no body while nothing in it changed.",
        success(
            categories=array_of("Category"),
            items=array_of("FlatItem"),
            collections=array_of("CollectionSummary"),
        ),
        WITH_PHRASE,
        auth=TOKEN_AND_PHRASE,
        parameters=[{"name": "If-None-Match", "in": "header", "required": False, "schema": TEXT}],
    )
    etag = {"ETag": {"description": "This version of the answer.", "schema": TEXT}}
    result["responses"]["200"]["headers"] = etag
    result["responses"]["304"] = {"description": "Nothing changed since the tag sent.", "headers": etag}
    return result
