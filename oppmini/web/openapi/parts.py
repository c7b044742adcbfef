"""The OpenAPI document's building blocks: types, shared schemas and answers, and `operation()`."""

from ...accounts.accounts import MAX_USERNAME_LENGTH
from ...accounts.activity import EVENTS
from ...seal.records import ITEM_FIELDS
from ...vault import matching, totp
from ...vault.rows import CUSTOM_NAME_LIMIT, CUSTOM_VALUE_LIMIT, FIELD_LIMITS, MAX_CUSTOM_FIELDS
from .itemtypes import TYPE, TYPED_ANSWER, TYPED_INPUT, WARNINGS

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
        # Extension (extensions.md §4): 401 `Two-factor code required` names the factors the account has.
        "factors": {
            "type": "array",
            "items": {"enum": ["webauthn", "totp"]},
            "description": "On 401 `Two-factor code required`: the account's second factors, the one to ask for "
            "first first; a recovery code is taken for either.",
        },
        "webauthn": {
            "type": "object",
            "description": "On 401 `Two-factor code required` when the account has security keys and the server "
            "a public_url: options for navigator.credentials.get(), plus `attempt`, which the answer carries back.",
        },
    },
    required=("status_code", "error", "description"),
    extra=False,
)
CATEGORY = obj({"id": INTEGER, "name": TEXT, "sort_id": INTEGER}, required=("id", "name", "sort_id"), extra=False)
CUSTOM_FIELD = obj(
    {
        "name": {"type": "string", "maxLength": CUSTOM_NAME_LIMIT},
        "value": {"type": "string", "maxLength": CUSTOM_VALUE_LIMIT},
        "hidden": {"type": "boolean", "description": "Never searched; the web page masks it."},
    },
    required=("name", "value", "hidden"),
    extra=False,
)
TOTP_TEXT = (
    f"An otpauth://totp/ URI (secret base32, digits 6-8, period 1-300, algorithm SHA1/SHA256/SHA512) or a "
    f"bare base32 secret (spaces, case and padding ignored), at least {totp.MIN_SECRET_BITS} bits; "
    f"empty for none."
)
MATCH_TEXT = (
    "Which pages GET /v1/match offers the item for: domain (the same registrable domain, the default), "
    "host (the same host), exact (the same origin and a path starting with the item's), never."
)
# The extensions' keys of every item answer (extensions.md section 1), after v1's.
ITEM_EXTRAS = {
    "totp": {"type": "string", "description": TOTP_TEXT},
    "fields": {"type": "array", "items": ref("CustomField"), "maxItems": MAX_CUSTOM_FIELDS},
    "favorite": {"type": "boolean"},
    "match": {"enum": list(matching.RULES), "description": MATCH_TEXT},
    "type": TYPE,
    "collection_id": {
        "type": ["integer", "null"],
        "description": "Null: a personal item; else the collection it is shared in (extension).",
    },
    "created_at": {"type": "integer", "description": "Unix seconds; 0 for an item older than this field."},
    "updated_at": {"type": "integer", "description": "Unix seconds of the last change; 0 as created_at."},
    "revision": {
        "type": "integer",
        "minimum": 1,
        "description": "One more with every write of the item; send it back as a POST row's if_revision.",
    },
    "attachments": {
        "type": "array",
        "items": obj(
            {"id": INTEGER, "name": TEXT, "size": {"type": "integer", "minimum": 0}, "content_type": TEXT},
            required=("id", "name", "size", "content_type"),
            extra=False,
        ),
        "description": "The item's files (extensions.md section 8), by id; GET .../attachments/{id} sends one.",
    },
}
FLAT_ITEM = obj(
    {
        "id": INTEGER,
        **{field: TEXT for field in ITEM_FIELDS},
        "category_id": {"type": ["integer", "null"]},
        "sort_id": INTEGER,
        **ITEM_EXTRAS,
        **TYPED_ANSWER,
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
ITEM = obj({**ITEM_PROPERTIES, **TYPED_ANSWER}, required=tuple(ITEM_PROPERTIES), extra=False)
TRASHED_ITEM = obj(
    {
        **ITEM_PROPERTIES,
        **TYPED_ANSWER,
        "deleted_at": {"type": "integer", "description": "Unix seconds it went to the trash."},
    },
    required=(*ITEM_PROPERTIES, "deleted_at"),
    extra=False,
)
MATCHED_ITEM = obj(
    {
        **ITEM_PROPERTIES,
        **TYPED_ANSWER,
        "matched": {"enum": list(matching.CLOSENESS), "description": "How close the page is."},
    },
    required=(*ITEM_PROPERTIES, "matched"),
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
                {
                    "name": CUSTOM_FIELD["properties"]["name"],
                    "value": {"type": ["string", "null"], "maxLength": CUSTOM_VALUE_LIMIT},
                    "hidden": {"type": ["boolean", "null"], "description": "Absent or null: false."},
                },
                required=("name",),
                extra=False,
            ),
        },
        "favorite": {"type": ["boolean", "null"]},
        "match": {"enum": [*matching.RULES, None], "description": MATCH_TEXT + " Null: domain."},
        "collection_id": {
            "type": ["integer", "null"],
            "description": "PUT: create in this collection (role write; category_id must be null). "
            "POST: move between the personal vault (null) and collections (write on both sides); "
            "absent: stays where it is.",
        },
        "created_at": {"description": "Ignored: set by the server."},
        "updated_at": {"description": "Ignored: set by the server."},
        **TYPED_INPUT,
        "revision": {"description": "Ignored: set by the server."},
        "if_revision": {
            "type": ["integer", "null"],
            "minimum": 1,
            "description": "POST: the item's revision when the client read it; the request is refused (409 "
            "`Conflict`, nothing stored) when the item is at another one. Absent or null: the row is written "
            "whatever changed since (v1).",
        },
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
    "description": f"At most {MAX_USERNAME_LENGTH} characters, no control characters and no invisible or "
    "direction-changing ones (Unicode category Cf); stored in its NFC form.",
}
EXP_DELTA = {
    "type": "number",
    "description": "Token lifetime in seconds (fraction dropped). Above config max_exp_delta: max_exp_delta; "
    "absent, below 1 or not a number: config exp_delta.",
}

SESSION = obj(
    {
        "id": INTEGER,
        "created_at": INTEGER,
        "last_seen_at": {**INTEGER, "description": "Coarse: to the minute."},
        "address": TEXT,
        "agent": TEXT,
        "current": {"type": "boolean"},
    },
    required=("id", "created_at", "last_seen_at", "address", "agent", "current"),
    extra=False,
)
EVENT = obj(
    {
        "id": INTEGER,
        "at": INTEGER,
        "event": {"enum": list(EVENTS)},
        "address": TEXT,
        "agent": TEXT,
        "detail": {"type": "object", "description": "Counts, ids and names; never a secret."},
    },
    required=("id", "at", "event", "address", "agent", "detail"),
    extra=False,
)
ROLE = {
    "enum": ["read", "write", "manage"],
    "description": "read: see items; write: also create, edit, delete them; manage: also members, rename, delete.",
}
COLLECTION_SUMMARY_PROPERTIES = {"id": INTEGER, "name": TEXT, "role": ROLE}
COLLECTION_SUMMARY = obj(COLLECTION_SUMMARY_PROPERTIES, required=tuple(COLLECTION_SUMMARY_PROPERTIES), extra=False)
MEMBER = obj(
    {
        "username": TEXT,
        "role": ROLE,
        "pending": {"type": "boolean", "description": "An invitation not yet accepted (managers see these)."},
    },
    required=("username", "role"),
    extra=False,
)
COLLECTION = obj(
    {**COLLECTION_SUMMARY_PROPERTIES, "members": array_of("Member")},
    required=(*COLLECTION_SUMMARY_PROPERTIES, "members"),
    extra=False,
)
OTP = {"type": "string", "description": "A current 6-digit code of the authenticator app, or an unused recovery code."}
# What every route that takes the account password also takes (extension, extensions.md §4).
ACCOUNT_OTP = {
    **OTP,
    "description": OTP["description"] + " Required when two-factor login is on (extension): "
    "missing, 401 `Two-factor code required`; wrong, 401 `Invalid two-factor code`; past "
    "config max_code_failures wrong codes for the account, 429.",
}

ASSERTION = {
    "type": "object",
    "description": "Instead of `otp` (extension): a security key's answer to the challenge of the 401 that asked "
    "for it (navigator.credentials.get()'s PublicKeyCredential as JSON), with that 401's `attempt`. Wrong, "
    "replayed, for another attempt, origin or relying party: 401 `Invalid two-factor code`, counted like a code.",
}
# The second factor every route that takes the account password also takes.
SECOND_FACTOR = {"otp": ACCOUNT_OTP, "webauthn": ASSERTION}

SCHEMAS = {
    "Error": ERROR,
    "Category": CATEGORY,
    "Item": ITEM,
    "FlatItem": FLAT_ITEM,
    "ItemInput": ITEM_INPUT,
    "CustomField": CUSTOM_FIELD,
    "TrashedItem": TRASHED_ITEM,
    "MatchedItem": MATCHED_ITEM,
    "Genopts": GENOPTS,
    "Success": success(),
    "Session": SESSION,
    "CollectionSummary": COLLECTION_SUMMARY,
    "Collection": COLLECTION,
    "Member": MEMBER,
    "Event": EVENT,
}

# Every answer that is not a success, by status.
ERROR_MEANINGS = {
    400: "The request is refused; `error` says why (the contract's exact strings). Any operation: "
    "a path or query string that is not UTF-8.",
    401: "No token, or a token that is malformed, expired, revoked (its session too) or whose user is gone; or bad "
    "credentials, or (two-factor login on) a missing or wrong code.",
    403: "Sign-up is disabled; or the caller's role in the collection is too small (`Not allowed in this "
    "collection!`).",
    404: "The path (or, for collections, the body) names an item or collection that does not exist or is not the "
    "caller's (`Not Found`).",
    409: "A POST /v1/items row's `if_revision` is not the item's revision: it changed since the client read "
    "it (`Conflict`, the description starting `Item changed since it was read!` and naming the row); nothing "
    "of the request is stored.",
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


def error_response(description):
    """A response of the error body with its own description (an operation's own 411 or 413)."""
    return {"description": description, "content": {JSON: {"schema": ref("Error")}}}


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
# PUT and POST: the same, with warnings when a row was kept with a doubt (item types).
ITEMS_WRITTEN = obj({**ITEMS_ANSWER["properties"], "warnings": WARNINGS}, required=("result", "items"), extra=False)
TOKEN_AND_PHRASE = ("token", "phrase")

ITEM_IN_PATH = [{"name": "item_id", "in": "path", "required": True, "schema": TEXT, "description": "The item's id."}]
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
