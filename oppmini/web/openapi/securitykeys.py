"""The security key routes (extensions.md §4, Security keys and passkeys): /v1/webauthn."""

from .parts import (
    INTEGER,
    NAME,
    SECOND_FACTOR,
    TEXT,
    TOKEN,
    WITH_BODY,
    WITH_TOKEN,
    body,
    obj,
    operation,
    ref,
    success,
)

KEY = obj(
    {
        "id": INTEGER,
        "name": TEXT,
        "created_at": INTEGER,
        "last_used_at": {"type": ["integer", "null"], "description": "Null until the key first signs in."},
        "transports": {"type": "array", "items": TEXT, "description": "As the browser reported them: a hint."},
    },
    required=("id", "name", "created_at", "last_used_at", "transports"),
    extra=False,
)
KEY_IDS = {"type": "array", "items": {}, "description": "Key ids; one that is not the caller's: 404."}
UNAVAILABLE = " Without config public_url: 400 `Security keys unavailable`."
TAG = "account security"

SECURITY_KEY_PATHS = {
    "/webauthn": {
        "get": operation(
            "The caller's security keys and passkeys (names and times, never key material), and whether this "
            "server can ask for one (`available`: config public_url is set).",
            success(available={"type": "boolean"}, keys={"type": "array", "items": KEY}),
            WITH_TOKEN,
            auth=TOKEN,
            tag=TAG,
        ),
        "put": operation(
            "Start adding a key: options for navigator.credentials.create(), their challenge bound to this session "
            "and good for 90 seconds. Needs the password, and `otp` or `webauthn` while a second factor is on (as "
            "PUT /2fa)." + UNAVAILABLE,
            success(options={"type": "object", "description": "PublicKeyCredentialCreationOptions as JSON."}),
            {429} | WITH_TOKEN | WITH_BODY,
            request=body({"password": NAME, **SECOND_FACTOR}, ("password",)),
            auth=TOKEN,
            tag=TAG,
        ),
        "post": operation(
            "Keep the key that answered this session's challenge under `name`; the account's first second factor "
            "also answers the 10 recovery codes, shown only now. An answer to another challenge, origin or "
            "relying party: 400 `Security key not registered`." + UNAVAILABLE,
            success(
                id=INTEGER,
                recovery_codes={"type": "array", "items": TEXT, "minItems": 10, "maxItems": 10},
            ),
            WITH_TOKEN | WITH_BODY,
            request=body(
                {
                    "name": {**NAME, "maxLength": 100},
                    "credential": {
                        "type": "object",
                        "description": "navigator.credentials.create()'s PublicKeyCredential as JSON.",
                    },
                },
                ("name", "credential"),
            ),
            auth=TOKEN,
            tag=TAG,
        ),
        "delete": operation(
            "Remove keys, all or none (an id that is not one of the caller's keys: 404), with the password and a "
            "second factor (`otp` or `webauthn`). With the last second factor gone the recovery codes go too.",
            ref("Success"),
            {404, 429} | WITH_TOKEN | WITH_BODY,
            request=body({"ids": KEY_IDS, "password": NAME, **SECOND_FACTOR}, ("ids", "password")),
            auth=TOKEN,
            tag=TAG,
        ),
    }
}
