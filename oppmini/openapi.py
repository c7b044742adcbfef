"""The OpenAPI 3.1 description of the v1 API, served at /v1/openapi.json."""

from . import __version__
from .accounts import MAX_USERNAME_LENGTH
from .records import ITEM_FIELDS
from .rows import FIELD_LIMITS

JSON = "application/json"
TEXT = {"type": "string"}
NAME = {"type": "string", "minLength": 1}
INTEGER = {"type": "integer"}
ID_LIST = {"type": "array", "items": {}, "description": "Ids; any that are not the caller's are ignored."}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def array_of(name):
    return {"type": "array", "items": ref(name)}


def obj(properties, required=(), extra=True):
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if not extra:
        schema["additionalProperties"] = False
    return schema


def success(**payload):
    """A success body: "result": "success" and the payload lists."""
    properties = {"result": {"const": "success"}, **payload}
    return obj(properties, required=properties, extra=False)


ERROR = obj(
    {
        "status_code": INTEGER,
        "error": TEXT,
        "description": {"type": "string", "description": "Detail, or empty; on 429 the seconds to wait."},
    },
    required=("status_code", "error", "description"),
    extra=False,
)
CATEGORY = obj({"id": INTEGER, "name": TEXT, "sort_id": INTEGER}, required=("id", "name", "sort_id"), extra=False)
FLAT_ITEM = obj(
    {
        "id": INTEGER,
        **{field: TEXT for field in ITEM_FIELDS},
        "category_id": {"type": ["integer", "null"]},
        "sort_id": INTEGER,
    },
    required=("id", *ITEM_FIELDS, "category_id", "sort_id"),
    extra=False,
)
ITEM = obj(
    {
        "id": INTEGER,
        **{field: TEXT for field in ITEM_FIELDS},
        "category": {"oneOf": [ref("Category"), obj({"id": {"type": "null"}}, required=("id",), extra=False)]},
        "sort_id": INTEGER,
    },
    required=("id", *ITEM_FIELDS, "category", "sort_id"),
    extra=False,
)
ITEM_INPUT = obj(
    {
        **{field: {"type": ["string", "null"], "maxLength": size} for field, size in FIELD_LIMITS.items()},
        "category_id": {"type": ["integer", "null"]},
        "sort_id": INTEGER,
    },
)
GENOPTS = obj(
    {
        "numChars": {"type": "integer", "minimum": 8, "maximum": 100},
        "min_length": {"type": "integer", "minimum": 5, "maximum": 15},
        "max_length": {"type": "integer", "minimum": 5, "maximum": 20},
        "numwords": {"type": "integer", "minimum": 4, "maximum": 20},
        "valid_chars": TEXT,
        "delimiter": TEXT,
    }
)
ITEMS_REQUEST = {
    "items": {"type": "array", "items": ITEM_INPUT},
    "auto_pass": {"type": "boolean"},
    "unique": {"type": "boolean"},
    "genopts": ref("Genopts"),
}
CREDENTIALS = {"username": NAME, "password": NAME}
# A name to give an account (extension: the same rule on every backend; else 400 `Invalid username!`).
NEW_USERNAME = {
    "type": "string",
    "maxLength": MAX_USERNAME_LENGTH,
    "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$",
    "description": f"At most {MAX_USERNAME_LENGTH} characters, no control characters.",
}
EXP_DELTA = {
    "type": "number",
    "description": "Token lifetime in seconds (fraction dropped). Above config max_exp_delta: max_exp_delta; "
    "absent, below 1 or not a number: config exp_delta.",
}

SCHEMAS = {
    "Error": ERROR,
    "Category": CATEGORY,
    "Item": ITEM,
    "FlatItem": FLAT_ITEM,
    "ItemInput": ITEM_INPUT,
    "Genopts": GENOPTS,
    "Success": success(),
}

# Every answer that is not a success, by status.
ERROR_MEANINGS = {
    400: "The request is refused; `error` says why (the contract's exact strings). Any operation: "
    "a path or query string that is not UTF-8.",
    401: "No token, or a token that is malformed, expired, revoked or whose user is gone; or bad credentials.",
    403: "Sign-up is disabled.",
    413: "The body is larger than config `max_body_bytes`.",
    429: "Too many failed attempts from this address or for this account; wait `Retry-After` seconds.",
    500: "A stored record failed its integrity check or the word list cannot be read; never client input.",
    503: "The database is unreachable, or every key-derivation slot stayed busy; try again shortly.",
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string", "pattern": "^[0-9]+$"}}}
RESPONSES = {
    str(status): {
        "description": meaning,
        "content": {JSON: {"schema": ref("Error")}},
        **({"headers": RETRY_AFTER} if status == 429 else {}),
    }
    for status, meaning in ERROR_MEANINGS.items()
}


def body(properties, required=()):
    return {"required": True, "content": {JSON: {"schema": obj(properties, required)}}}


def operation(summary, answer, errors, request=None, auth=None, parameters=None, tag="vault"):
    """One operation: its 200 schema and the error statuses it can answer."""
    result = {
        "summary": summary,
        "tags": [tag],
        "responses": {
            "200": {"description": "Success.", "content": {JSON: {"schema": answer}}},
            **{str(status): {"$ref": f"#/components/responses/{status}"} for status in sorted(errors)},
        },
    }
    if auth is not None:
        result["security"] = [dict.fromkeys(auth, [])]
    if request is not None:
        result["requestBody"] = request
    if parameters:
        result["parameters"] = parameters
    return result


# Errors every operation of a kind can answer; any operation: a query string that is not UTF-8.
ANY = {400, 503}
# Opening sealed records (or reading the word list) can fail on the server's side.
OPENS_RECORDS = {500}
WITH_BODY = {400, 413} | ANY
WITH_TOKEN = {401} | ANY
# The passphrase check: 400 when wrong, 429 after too many wrong ones.
WITH_PHRASE = {400, 429} | WITH_TOKEN | OPENS_RECORDS
TOKEN = ("token",)
# The answers shared by a resource's GET and its writes.
CATEGORIES_ANSWER = success(categories=array_of("Category"))
ITEMS_ANSWER = success(items=array_of("Item"))
TOKEN_AND_PHRASE = ("token", "phrase")

GENERATE_PARAMETERS = [
    {"name": name, "in": "query", "required": False, "schema": schema}
    for name, schema in (
        ("numChars", TEXT),
        ("min_length", TEXT),
        ("max_length", TEXT),
        ("numwords", TEXT),
        ("delimiter", TEXT),
        ("valid_chars", TEXT),
    )
]

def with_operation_ids(paths):
    """Stable names for tools, e.g. to leave logout out of a fuzzing run that needs its token."""
    for path, operations in paths.items():
        for method, spec in operations.items():
            spec["operationId"] = f"{method}_{path.strip('/').replace('.', '_')}"
    return paths


PATHS = with_operation_ids({
    "/health": {
        "get": operation(
            "Service status (extension: database, schema version and the longest token lifetime granted).",
            obj({"status": {"const": "OpenPassPhrase service is running"}, "database": TEXT, "schema_version": INTEGER,
                 "max_exp_delta": {**INTEGER, "minimum": 1, "description": "config max_exp_delta, in seconds"}},
                required=("status",)),
            ANY,
            tag="service",
        )
    },
    "/openapi.json": {
        "get": operation("This document.", {"type": "object"}, ANY, tag="service"),
    },
    "/auth": {
        "post": operation(
            "Log in: a token for username and password.",
            obj({"access_token": TEXT}, required=("access_token",), extra=False),
            {401, 429} | WITH_BODY,
            request=body({**CREDENTIALS, "exp_delta": EXP_DELTA}, required=("username", "password")),
            tag="accounts",
        ),
        "delete": operation(
            "Log out everywhere: revoke every token of the caller (extension).",
            ref("Success"),
            WITH_TOKEN,
            auth=TOKEN,
            tag="accounts",
        ),
    },
    "/user": {
        "put": operation(
            "Sign up (when config allow_signup is on).",
            ref("Success"),
            {403} | WITH_BODY,
            request=body(
                {**CREDENTIALS, "username": {**NEW_USERNAME, **NAME}, "phrase": {"type": "string", "minLength": 6}},
                ("username", "password", "phrase"),
            ),
            tag="accounts",
        ),
        "post": operation(
            "Rename, change the login password and (extension) the passphrase.",
            ref("Success"),
            {429} | WITH_BODY,
            request=body(
                {**CREDENTIALS, "new_username": NEW_USERNAME, "new_password": TEXT, "phrase": TEXT, "new_phrase": TEXT},
                ("username", "password"),
            ),
            tag="accounts",
        ),
        "delete": operation(
            "Delete the user and all of its data.",
            ref("Success"),
            {429} | WITH_BODY,
            request=body(CREDENTIALS, ("username", "password")),
            tag="accounts",
        ),
    },
    "/fetchall": {
        "get": operation(
            "Every category and item of the caller.",
            success(
                categories=array_of("Category"),
                items=array_of("FlatItem"),
            ),
            WITH_PHRASE,
            auth=TOKEN_AND_PHRASE,
        )
    },
    "/categories": {
        "get": operation(
            "The caller's categories.",
            CATEGORIES_ANSWER,
            WITH_PHRASE,
            auth=TOKEN_AND_PHRASE,
        ),
        "put": operation(
            "Create categories, answered in request order.",
            CATEGORIES_ANSWER,
            WITH_PHRASE | WITH_BODY,
            request=body({"category_names": {"type": "array", "items": NAME}}, ("category_names",)),
            auth=TOKEN_AND_PHRASE,
        ),
        "post": operation(
            "Rename categories.",
            ref("Success"),
            WITH_PHRASE | WITH_BODY,
            request=body(
                {"categories": {"type": "array", "items": obj({"id": INTEGER, "name": NAME}, ("id", "name"))}},
                ("categories",),
            ),
            auth=TOKEN_AND_PHRASE,
        ),
        "delete": operation(
            "Delete categories; with cascade their items too.",
            ref("Success"),
            WITH_TOKEN | WITH_BODY,
            request=body({"ids": ID_LIST, "cascade": {"type": "boolean"}}, ("ids", "cascade")),
            auth=TOKEN,
        ),
    },
    "/items": {
        "get": operation(
            "The caller's items, each with its category.",
            ITEMS_ANSWER,
            WITH_PHRASE,
            auth=TOKEN_AND_PHRASE,
        ),
        "put": operation(
            "Create items, answered in request order (passwords generated when auto_pass is true).",
            ITEMS_ANSWER,
            WITH_PHRASE | WITH_BODY,
            request=body(ITEMS_REQUEST, ("items",)),
            auth=TOKEN_AND_PHRASE,
        ),
        "post": operation(
            "Update the fields each row names.",
            ITEMS_ANSWER,
            WITH_PHRASE | WITH_BODY,
            request=body(
                {**ITEMS_REQUEST, "items": {"type": "array", "items": {**ITEM_INPUT, "required": ["id"]}}},
                ("items",),
            ),
            auth=TOKEN_AND_PHRASE,
        ),
        "delete": operation(
            "Delete items.",
            ref("Success"),
            WITH_TOKEN | WITH_BODY,
            request=body({"ids": ID_LIST}, ("ids",)),
            auth=TOKEN,
        ),
    },
    "/generate": {
        "get": operation(
            "One generated password or passphrase (extension).",
            success(password=TEXT, entropy_bits={"type": "number"}),
            {400} | WITH_TOKEN | OPENS_RECORDS,
            auth=TOKEN,
            parameters=GENERATE_PARAMETERS,
        )
    },
})

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "oppmini",
        "version": __version__,
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
