"""The vault health route (extensions.md §10): the report's shape, item ids and findings only."""

from .parts import INTEGER, TEXT, TOKEN_AND_PHRASE, WITH_PHRASE, obj, operation, success

ID_GROUPS = {
    "type": "array",
    "items": {"type": "array", "items": INTEGER, "minItems": 2},
    "description": "Ids of the items sharing one secret; a finding's number indexes this list.",
}
COUNT = {"type": "integer", "minimum": 0}
FINDINGS = obj(
    {
        "weak": obj(
            {
                "score": {"type": "integer", "minimum": 0, "maximum": 2, "description": "zxcvbn's score, 0-4"},
                "warning": TEXT,
                "suggestions": {"type": "array", "items": TEXT},
            },
            required=("score", "warning", "suggestions"),
            extra=False,
        ),
        "reused": {**COUNT, "description": "The password's group in `reused`."},
        "old": obj({"changed_at": INTEGER, "days": COUNT}, required=("changed_at", "days"), extra=False),
        "exposed": obj({"count": {"type": "integer", "minimum": 1}}, required=("count",), extra=False),
        "no_password": {"const": True},
        "http_only": {"const": True},
        "shared_totp": {**COUNT, "description": "The seed's group in `shared_totp`."},
    },
    extra=False,
)
HEALTH_ITEM = obj(
    {
        "id": INTEGER,
        "collection_id": {"type": ["integer", "null"]},
        "counted": {"type": "boolean", "description": "False for an item of a collection the caller only reads."},
        "findings": FINDINGS,
    },
    required=("id", "collection_id", "counted", "findings"),
    extra=False,
)
COUNTS = obj(
    {name: COUNT for name in ("weak", "reused", "old", "exposed", "no_password", "http_only", "shared_totp")},
    required=("weak", "reused", "old", "exposed", "no_password", "http_only", "shared_totp"),
    extra=False,
)

HEALTH_PATHS = {
    "/vault/health": {
        "get": operation(
            "The caller's vault health (extension): weak passwords (zxcvbn score under 3, with the item's own "
            "words as inputs), reused ones (compared by HMAC under a key of this request alone), old ones (not "
            "changed in config health_old_days), exposed ones (a local Pwned Passwords file, when configured), "
            "items without a password, http-only sites and shared TOTP seeds. Items of collections the caller "
            "only reads are listed with counted false and left out of the counts and score. Never holds a "
            "password, hash or HMAC; the server opens every password to compute it.",
            success(
                checked={**COUNT, "description": "Items counted: personal, and of collections the caller writes."},
                score={
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 100,
                    "description": "Percent of counted items with a password that are neither weak, reused, old "
                    "nor exposed; 100 when there are none.",
                },
                counts=COUNTS,
                old_days=INTEGER,
                exposed_check={"enum": ["on", "off", "unreadable"]},
                items={"type": "array", "items": HEALTH_ITEM, "description": "Items with findings, by id."},
                reused=ID_GROUPS,
                shared_totp=ID_GROUPS,
            ),
            WITH_PHRASE,
            auth=TOKEN_AND_PHRASE,
        )
    }
}
