"""The API's paths, each operation with its answers, errors and authentication."""

from ...accounts.activity import PAGE_MAX
from ...vault.rows import ID_MAX
from .attachments import ATTACHMENT_PATHS
from .fetchall import fetch_all_operation
from .health import HEALTH_PATHS
from .parts import (
    ANY,
    CATEGORIES_ANSWER,
    CODE,
    CREDENTIALS,
    EXP_DELTA,
    GENERATE_PARAMETERS,
    ID_LIST,
    IDS_BODY,
    INTEGER,
    ITEM_IN_PATH,
    ITEM_INPUT,
    ITEMS_ANSWER,
    ITEMS_REQUEST,
    ITEMS_WRITTEN,
    NAME,
    NEW_USERNAME,
    OPENS_RECORDS,
    OTP,
    SECOND_FACTOR,
    TEXT,
    TOKEN,
    TOKEN_AND_PHRASE,
    WITH_BODY,
    WITH_PHRASE,
    WITH_TOKEN,
    array_of,
    body,
    obj,
    operation,
    ref,
    success,
)
from .securitykeys import SECURITY_KEY_PATHS
from .sharing import SHARING_PATHS
from .transfer import export_operation, import_operation


def with_operation_ids(paths):
    """Stable names for tools, e.g. to leave logout out of a fuzzing run that needs its token."""
    for path, operations in paths.items():
        for method, spec in operations.items():
            spec["operationId"] = f"{method}_{path.strip('/').replace('.', '_')}"
    return paths


PATHS = with_operation_ids(
    {
        "/health": {
            "get": operation(
                "Service status. Extension: the database, `migrations: current` and the longest token lifetime "
                "granted; 503 while the database is unreachable or holds another schema; versions only with "
                "`Authorization: Bearer <metrics_token>`.",
                obj(
                    {
                        "status": {"const": "OpenPassPhrase service is running"},
                        "max_exp_delta": {**INTEGER, "minimum": 1, "description": "config max_exp_delta, in seconds"},
                    },
                    required=("status",),
                ),
                ANY,
                tag="service",
            )
        },
        "/openapi.json": {
            "get": operation(
                "This document. `info.version` is `v1`; the server's release only with "
                "`Authorization: Bearer <metrics_token>`.",
                {"type": "object"},
                ANY,
                tag="service",
            ),
        },
        "/auth": {
            "post": operation(
                "Log in: a token for username and password.",
                obj({"access_token": TEXT}, required=("access_token",), extra=False),
                {401, 429} | WITH_BODY,
                request=body(
                    {**CREDENTIALS, "exp_delta": EXP_DELTA, **SECOND_FACTOR}, required=("username", "password")
                ),
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
                {401, 429} | WITH_BODY,
                request=body(
                    {
                        **CREDENTIALS,
                        "new_username": NEW_USERNAME,
                        "new_password": TEXT,
                        "phrase": TEXT,
                        "new_phrase": TEXT,
                        **SECOND_FACTOR,
                    },
                    ("username", "password"),
                ),
                tag="accounts",
            ),
            "delete": operation(
                "Delete the user and all of its data. Shared collections (extension): 400 `A collection needs a "
                "manager!` while the user is the last manager of one others share; a collection the user alone "
                "belongs to goes too; the others are left with a key rotation, which needs `phrase` (else 400 "
                "`Passphrase needed to leave shared collections!`).",
                ref("Success"),
                {401, 429} | WITH_BODY,
                request=body({**CREDENTIALS, "phrase": TEXT, **SECOND_FACTOR}, ("username", "password")),
                tag="accounts",
            ),
        },
        "/fetchall": {"get": fetch_all_operation()},
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
                ITEMS_WRITTEN,
                {403} | WITH_PHRASE | WITH_BODY,
                request=body(ITEMS_REQUEST, ("items",)),
                auth=TOKEN_AND_PHRASE,
            ),
            "post": operation(
                "Update the fields each row names; a row with if_revision only if the item is still at that revision.",
                ITEMS_WRITTEN,
                {403, 409} | WITH_PHRASE | WITH_BODY,
                request=body(
                    {**ITEMS_REQUEST, "items": {"type": "array", "items": {**ITEM_INPUT, "required": ["id"]}}},
                    ("items",),
                ),
                auth=TOKEN_AND_PHRASE,
            ),
            "delete": operation(
                "Delete items: to the trash (a collection item: its collection's, role write) for config trash_days "
                "(0: at once).",
                ref("Success"),
                {403} | WITH_TOKEN | WITH_BODY,
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
                "Start turning two-factor login on: a new TOTP secret, its otpauth URI and QR code. Needs the "
                "password (wrong: 400 `Incorrect password supplied!`, counted like a wrong login).",
                success(secret=TEXT, otpauth=TEXT, qr_svg={**TEXT, "description": "An SVG document."}),
                {429} | WITH_TOKEN | WITH_BODY,
                request=body({"password": NAME, **SECOND_FACTOR}, ("password",)),
                auth=TOKEN,
                tag="account security",
            ),
            "post": operation(
                "Confirm with a current code and the password: two-factor login is on; the 10 recovery codes, shown "
                "only now. Every other session of the caller ends unless `end_other_sessions` is false.",
                success(recovery_codes={"type": "array", "items": TEXT, "minItems": 10, "maxItems": 10}),
                {429} | WITH_TOKEN | WITH_BODY,
                request=body(
                    {"code": OTP, "password": NAME, "end_other_sessions": {"type": "boolean", "default": True}},
                    ("code", "password"),
                ),
                auth=TOKEN,
                tag="account security",
            ),
            "delete": operation(
                "Turn two-factor login off with the password and a code (or a recovery code) in `otp`; `code`, "
                "as earlier releases sent it, is taken when `otp` is absent.",
                ref("Success"),
                {429} | WITH_TOKEN | WITH_BODY,
                request=body({"password": NAME, **SECOND_FACTOR, "code": OTP}, ("password",)),
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
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": 100},
                    },
                    {
                        "name": "before",
                        "in": "query",
                        "required": False,
                        "description": "Only events with lower ids.",
                        "schema": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
                    },
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
                success(
                    history={
                        "type": "array",
                        "items": obj(
                            {"password": TEXT, "replaced_at": {"type": "integer", "description": "Unix seconds."}},
                            ("password", "replaced_at"),
                            extra=False,
                        ),
                    }
                ),
                {404} | WITH_PHRASE,
                auth=TOKEN_AND_PHRASE,
                parameters=ITEM_IN_PATH,
            )
        },
        "/trash": {
            "get": operation(
                "The caller's deleted items still in the trash (config trash_days), and those of every collection "
                "where the caller has write, by id (extension).",
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
                'Purge items of the trash for good: `ids`, or every one with `"all": true`.',
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
        "/match": {
            "get": operation(
                "The caller's live items, personal and shared, that belong to the page at url under each item's "
                "match rule; exact, then host, then domain matches, favourites first within each, then by name "
                "(extension). A missing url, or one that is no http(s) URL with a host: 400 `Invalid page URL!`.",
                success(items=array_of("MatchedItem")),
                WITH_PHRASE,
                auth=TOKEN_AND_PHRASE,
                parameters=[{"name": "url", "in": "query", "required": True, "schema": TEXT}],
            )
        },
        **ATTACHMENT_PATHS,
        **HEALTH_PATHS,
        **SECURITY_KEY_PATHS,
        **SHARING_PATHS,
        "/import": {"post": import_operation()},
        "/export": {"get": export_operation()},
    }
)
