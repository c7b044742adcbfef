"""The OpenAPI 3.1 description of the v1 API, served at /v1/openapi.json."""

from . import __version__, exporters, importers, totp
from .accounts import MAX_USERNAME_LENGTH
from .records import ITEM_FIELDS
from .rows import CUSTOM_NAME_LIMIT, CUSTOM_VALUE_LIMIT, FIELD_LIMITS, ID_MAX, MAX_CUSTOM_FIELDS
from .security.activity import EVENTS, PAGE_MAX

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
CUSTOM_FIELD = obj(
    {"name": {"type": "string", "maxLength": CUSTOM_NAME_LIMIT},
     "value": {"type": "string", "maxLength": CUSTOM_VALUE_LIMIT},
     "hidden": {"type": "boolean", "description": "Never searched; the web page masks it."}},
    required=("name", "value", "hidden"),
    extra=False,
)
TOTP_TEXT = (f"An otpauth://totp/ URI (secret base32, digits 6-8, period 1-300, algorithm SHA1/SHA256/SHA512) or a "
             f"bare base32 secret (spaces, case and padding ignored), at least {totp.MIN_SECRET_BITS} bits; "
             f"empty for none.")
# The extensions' keys of every item answer (extensions.md section 1), after v1's.
ITEM_EXTRAS = {
    "totp": {"type": "string", "description": TOTP_TEXT},
    "fields": {"type": "array", "items": ref("CustomField"), "maxItems": MAX_CUSTOM_FIELDS},
    "favorite": {"type": "boolean"},
    "collection_id": {"type": "null", "description": "Null: a personal item."},
    "created_at": {"type": "integer", "description": "Unix seconds; 0 for an item older than this field."},
    "updated_at": {"type": "integer", "description": "Unix seconds of the last change; 0 as created_at."},
}
FLAT_ITEM = obj(
    {
        "id": INTEGER,
        **{field: TEXT for field in ITEM_FIELDS},
        "category_id": {"type": ["integer", "null"]},
        "sort_id": INTEGER,
        **ITEM_EXTRAS,
    },
    required=("id", *ITEM_FIELDS, "category_id", "sort_id", *ITEM_EXTRAS),
    extra=False,
)
ITEM_PROPERTIES = {
    "id": INTEGER,
    **{field: TEXT for field in ITEM_FIELDS},
    "category": {"oneOf": [ref("Category"), obj({"id": {"type": "null"}}, required=("id",), extra=False)]},
    "sort_id": INTEGER,
    **ITEM_EXTRAS,
}
ITEM = obj(ITEM_PROPERTIES, required=tuple(ITEM_PROPERTIES), extra=False)
TRASHED_ITEM = obj(
    {**ITEM_PROPERTIES, "deleted_at": {"type": "integer", "description": "Unix seconds it went to the trash."}},
    required=(*ITEM_PROPERTIES, "deleted_at"),
    extra=False,
)
ITEM_INPUT = obj(
    {
        **{field: {"type": ["string", "null"], "maxLength": size} for field, size in FIELD_LIMITS.items()},
        "category_id": {"type": ["integer", "null"]},
        "sort_id": INTEGER,
        "totp": {"type": ["string", "null"], "maxLength": totp.MAX_LENGTH, "description": TOTP_TEXT},
        "fields": {
            "type": ["array", "null"],
            "maxItems": MAX_CUSTOM_FIELDS,
            "items": obj(
                {"name": CUSTOM_FIELD["properties"]["name"],
                 "value": {"type": ["string", "null"], "maxLength": CUSTOM_VALUE_LIMIT},
                 "hidden": {"type": ["boolean", "null"], "description": "Absent or null: false."}},
                required=("name",),
                extra=False,
            ),
        },
        "favorite": {"type": ["boolean", "null"]},
        "collection_id": {"type": "null", "description": "Only null (personal) until collections exist."},
        "created_at": {"description": "Ignored: set by the server."},
        "updated_at": {"description": "Ignored: set by the server."},
    },
)
CODE = {
    "code": {"type": "string", "pattern": "^[0-9]{6,8}$"},
    "period": {"type": "integer", "minimum": 1, "maximum": 300},
    "remaining": {"type": "integer", "minimum": 1, "maximum": 300, "description": "Seconds the code stays current."},
    "digits": {"type": "integer", "minimum": 6, "maximum": 8},
}
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

SESSION = obj(
    {"id": INTEGER, "created_at": INTEGER, "last_seen_at": {**INTEGER, "description": "Coarse: to the minute."},
     "address": TEXT, "agent": TEXT, "current": {"type": "boolean"}},
    required=("id", "created_at", "last_seen_at", "address", "agent", "current"),
    extra=False,
)
EVENT = obj(
    {"id": INTEGER, "at": INTEGER, "event": {"enum": list(EVENTS)}, "address": TEXT, "agent": TEXT,
     "detail": {"type": "object", "description": "Counts, ids and names; never a secret."}},
    required=("id", "at", "event", "address", "agent", "detail"),
    extra=False,
)
OTP = {"type": "string", "description": "A current 6-digit code of the authenticator app, or an unused recovery code."}

SCHEMAS = {
    "Error": ERROR,
    "Category": CATEGORY,
    "Item": ITEM,
    "FlatItem": FLAT_ITEM,
    "ItemInput": ITEM_INPUT,
    "CustomField": CUSTOM_FIELD,
    "TrashedItem": TRASHED_ITEM,
    "Genopts": GENOPTS,
    "Success": success(),
    "Session": SESSION,
    "Event": EVENT,
}

# Every answer that is not a success, by status.
ERROR_MEANINGS = {
    400: "The request is refused; `error` says why (the contract's exact strings). Any operation: "
    "a path or query string that is not UTF-8.",
    401: "No token, or a token that is malformed, expired, revoked (its session too) or whose user is gone; or bad "
    "credentials, or (two-factor login on) a missing or wrong code.",
    403: "Sign-up is disabled.",
    404: "The path names an item that does not exist or is not the caller's (`Not Found`).",
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

ITEM_IN_PATH = [{"name": "item_id", "in": "path", "required": True, "schema": TEXT,
                 "description": "The item's id."}]
IDS_BODY = {"ids": ID_LIST}

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

IMPORT_ANSWER = success(
    format={"enum": list(importers.NAMES)},
    dry_run={"type": "boolean"},
    **{name: {"type": "integer", "minimum": 0}
       for name in ("imported", "categories_created", "skipped_duplicates", "skipped_unsupported")},
    warnings={"type": "array", "items": obj({"entry": {"type": "integer", "minimum": 1}, "reason": TEXT},
                                            required=("entry", "reason"), extra=False),
              "description": "Entries by position in the file, never by their values."},
)
IMPORT_PARAMETERS = [
    {"name": "format", "in": "query", "required": False,
     "schema": {"enum": [importers.AUTO, *importers.NAMES], "default": importers.AUTO},
     "description": "auto: recognised from the content. Another value: 400 `Unknown import format!`."},
    {"name": "dry_run", "in": "query", "required": False, "schema": {"enum": ["true", "false"], "default": "false"},
     "description": "true: the same answer, nothing written."},
    {"name": "duplicates", "in": "query", "required": False, "schema": {"enum": ["skip", "keep"], "default": "skip"},
     "description": "skip: an entry whose name, url, username and password equal an existing item's or an "
     "earlier entry's is not imported."},
]
# The file as the other program wrote it, whatever the Content-Type says.
IMPORT_BODY = {"required": True, "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}
EXPORT_MEDIA = {exporters.WRITERS[name].MEDIA_TYPE.split(";")[0] for name in exporters.NAMES}


def import_operation():
    result = operation(
        "Import a password manager's export file (extension): every entry as an item, all or none; folders "
        "become categories (created when none of that exact name exists). 400 `Unknown import format!`, "
        "`Unable to read the import file!` (saying where), `Encrypted exports are not supported!`.",
        IMPORT_ANSWER, WITH_PHRASE | WITH_BODY, request=IMPORT_BODY, auth=TOKEN_AND_PHRASE,
        parameters=IMPORT_PARAMETERS, tag="import and export")
    result["responses"]["413"] = {"description": "The file is larger than config `max_import_bytes`.",
                                  "content": {JSON: {"schema": ref("Error")}}}
    return result


def export_operation():
    result = operation(
        "The caller's personal vault as a file to save (extension), NOT encrypted: every password in the clear. "
        "Another format: 400 `Unknown export format!`.",
        {"type": "string", "format": "binary"}, WITH_PHRASE, auth=TOKEN_AND_PHRASE, tag="import and export",
        parameters=[{"name": "format", "in": "query", "required": False,
                     "schema": {"enum": list(exporters.NAMES), "default": exporters.DEFAULT}}])
    result["responses"]["200"] = {
        "description": "The file, as an attachment named oppmini-export-YYYYMMDD.json or .csv.",
        "headers": {"Content-Disposition": {"schema": {"type": "string", "pattern": "^attachment; filename="}}},
        # JSON formats are one object (oppmini-json or Bitwarden's), CSV is text.
        "content": {media: {"schema": {"type": "object"} if media == JSON else {"type": "string"}}
                    for media in sorted(EXPORT_MEDIA)},
    }
    return result


def with_operation_ids(paths):
    """Stable names for tools, e.g. to leave logout out of a fuzzing run that needs its token."""
    for path, operations in paths.items():
        for method, spec in operations.items():
            spec["operationId"] = f"{method}_{path.strip('/').replace('.', '_')}"
    return paths


PATHS = with_operation_ids({
    "/health": {
        "get": operation(
            "Service status. Extension: the database, `migrations: current` and the longest token lifetime granted; "
            "503 while the database is unreachable or holds another schema; versions only with "
            "`Authorization: Bearer <metrics_token>`.",
            obj({"status": {"const": "OpenPassPhrase service is running"},
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
            request=body({**CREDENTIALS, "exp_delta": EXP_DELTA, "otp": {
                **OTP, "description": OTP["description"] + " Required when two-factor login is on (extension)."}},
                required=("username", "password")),
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
            "Delete items: to the trash for config trash_days (0: at once).",
            ref("Success"),
            WITH_TOKEN | WITH_BODY,
            request=body({"ids": ID_LIST}, ("ids",)),
            auth=TOKEN,
        ),
    },
    "/2fa": {
        "get": operation(
            "Whether two-factor login is on, and how many recovery codes are unused (extension).",
            success(enabled={"type": "boolean"}, recovery_codes_left=INTEGER),
            WITH_TOKEN,
            auth=TOKEN,
            tag="account security",
        ),
        "put": operation(
            "Start turning two-factor login on: a new TOTP secret, its otpauth URI and QR code.",
            success(secret=TEXT, otpauth=TEXT, qr_svg={**TEXT, "description": "An SVG document."}),
            WITH_TOKEN,
            auth=TOKEN,
            tag="account security",
        ),
        "post": operation(
            "Confirm with a current code: two-factor login is on; the 10 recovery codes, shown only now.",
            success(recovery_codes={"type": "array", "items": TEXT, "minItems": 10, "maxItems": 10}),
            WITH_TOKEN | WITH_BODY,
            request=body({"code": OTP}, ("code",)),
            auth=TOKEN,
            tag="account security",
        ),
        "delete": operation(
            "Turn two-factor login off with the password and a code (or a recovery code).",
            ref("Success"),
            {429} | WITH_TOKEN | WITH_BODY,
            request=body({"password": NAME, "code": OTP}, ("password", "code")),
            auth=TOKEN,
            tag="account security",
        ),
    },
    "/sessions": {
        "get": operation(
            "The caller's sessions (one per login), newest first; `current` marks the token's own.",
            success(sessions=array_of("Session")),
            WITH_TOKEN,
            auth=TOKEN,
            tag="account security",
        ),
        "delete": operation(
            "Sign sessions out: their tokens are refused at once by every process.",
            ref("Success"),
            WITH_TOKEN | WITH_BODY,
            request=body({"ids": ID_LIST}, ("ids",)),
            auth=TOKEN,
            tag="account security",
        ),
    },
    "/activity": {
        "get": operation(
            "The caller's activity log, newest first.",
            success(events=array_of("Event")),
            WITH_TOKEN,
            auth=TOKEN,
            parameters=[
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": 100}},
                {"name": "before", "in": "query", "required": False, "description": "Only events with lower ids.",
                 "schema": {"type": "integer", "minimum": 1, "maximum": ID_MAX}},
            ],
            tag="account security",
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
    "/items/{item_id}/totp": {
        "get": operation(
            "The item's current one-time code, RFC 6238 (extension); 400 `Item has no TOTP secret!`.",
            success(**CODE),
            {404} | WITH_PHRASE,
            auth=TOKEN_AND_PHRASE,
            parameters=ITEM_IN_PATH,
        )
    },
    "/totp": {
        "get": operation(
            "The current one-time code of every item of the caller that has a TOTP secret, by id (extension).",
            success(codes={"type": "array", "items": obj({"id": INTEGER, **CODE}, ("id", *CODE), extra=False)}),
            WITH_PHRASE,
            auth=TOKEN_AND_PHRASE,
        )
    },
    "/items/{item_id}/history": {
        "get": operation(
            "The passwords the item had before, newest first, at most config password_history (extension).",
            success(history={"type": "array", "items": obj(
                {"password": TEXT, "replaced_at": {"type": "integer", "description": "Unix seconds."}},
                ("password", "replaced_at"), extra=False)}),
            {404} | WITH_PHRASE,
            auth=TOKEN_AND_PHRASE,
            parameters=ITEM_IN_PATH,
        )
    },
    "/trash": {
        "get": operation(
            "The caller's deleted items still in the trash (config trash_days), by id (extension).",
            success(items=array_of("TrashedItem")),
            WITH_PHRASE,
            auth=TOKEN_AND_PHRASE,
        ),
        "post": operation(
            "Restore items from the trash, into their category if it still exists; all or none "
            "(400 `Unable to restore items!` naming an id not in the trash).",
            ITEMS_ANSWER,
            WITH_PHRASE | WITH_BODY,
            request=body({"ids": {"type": "array", "items": {}}}, ("ids",)),
            auth=TOKEN_AND_PHRASE,
        ),
        "delete": operation(
            "Purge items of the trash for good: `ids`, or every one with `\"all\": true`.",
            success(purged={"type": "integer", "minimum": 0}),
            WITH_TOKEN | WITH_BODY,
            request=body({**IDS_BODY, "all": {"type": "boolean"}}),
            auth=TOKEN,
        ),
    },
    "/search": {
        "get": operation(
            "The caller's items holding every word of q (Unicode casefold) in name, url, account, username, "
            "blob or custom fields, never passwords, TOTP seeds or hidden values; name matches first, then by id "
            "(extension). Empty q: 400 `Missing search query!`.",
            ITEMS_ANSWER,
            WITH_PHRASE,
            auth=TOKEN_AND_PHRASE,
            parameters=[{"name": "q", "in": "query", "required": True, "schema": TEXT}],
        )
    },
    "/import": {"post": import_operation()},
    "/export": {"get": export_operation()},
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
