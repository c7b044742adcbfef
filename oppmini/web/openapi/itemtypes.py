"""The OpenAPI schemas of item types: each type's own fields, as answered and as sent, and write warnings."""

from ...vault import types
from ...vault.types import cards, sshkeys, wifi

TYPE_TEXT = (
    "What the item holds: login (the default, every item of earlier releases), note, card, identity, wifi, "
    "ssh_key. A type with fields of its own answers them under a key named after the type."
)
_SECRET = " A secret, treated like the password: never searched, never logged."
_DESCRIPTIONS = {
    "number": f"Digits only (spaces and dashes dropped), {cards.MIN_DIGITS} to {cards.MAX_DIGITS}; one failing Luhn "
    "is kept with a warning." + _SECRET,
    "code": "3 or 4 digits." + _SECRET,
    "brand": "Empty when sent: taken from the number's issuer range (Visa, Mastercard...).",
    "exp_month": "01 to 12 (a number 1-12 may be sent).",
    "exp_year": "Four digits (two digits sent: 20YY).",
    "ssn": "National or social security number." + _SECRET,
    "passport_number": _SECRET.strip(),
    "license_number": "Driving licence number." + _SECRET,
    "ssid": f"The network's name, at most {wifi.SSID_BYTES} bytes as UTF-8. Its key is the item's password.",
    "security": f"One of {', '.join(wifi.SECURITY)}; empty: {wifi.DEFAULT_SECURITY}.",
    "private_key": "OpenSSH or PEM armour; its public key is derived when none is sent (unless protected by a "
    "passphrase)." + _SECRET,
    "public_key": "An OpenSSH public key line (type, base64, comment); refused if it does not match private_key.",
    "fingerprint": "SHA256:... as ssh-keygen -l prints it, computed by the server; ignored when sent.",
}


def _field(name, limit, nullable):
    schema = {"type": ["string", "null"] if nullable else "string", "maxLength": limit}
    if nullable and name in ("exp_month", "exp_year"):
        schema["type"] = ["string", "integer", "null"]
    if name in _DESCRIPTIONS:
        schema["description"] = _DESCRIPTIONS[name]
    return schema


def _typed(kind, nullable):
    properties = {name: _field(name, limit, nullable) for name, limit in kind.FIELDS.items()}
    for name in getattr(kind, "COMPUTED", ()):
        properties[name] = {"description": _DESCRIPTIONS[name]} if nullable else {"type": "string"}
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if not nullable:
        schema["required"] = list(properties)
    return schema


# Answers: the key of the item's own type only.
TYPED_ANSWER = {name: _typed(kind, nullable=False) for name, kind in types.KINDS.items()}
TYPED_INPUT = {
    "type": {"enum": [*types.TYPES, None], "description": TYPE_TEXT + " Null or absent: the item's (new: login)."},
    **{
        name: {
            **_typed(kind, nullable=True),
            "type": ["object", "null"],
            "description": f"The fields of a {name}: only with type {name}. Absent: the item's as they were; "
            "sent: they replace them whole (a field left out becomes empty).",
        }
        for name, kind in types.KINDS.items()
    },
}
TYPE = {"enum": list(types.TYPES), "description": TYPE_TEXT}
WARNINGS = {
    "type": "array",
    "description": "Present only when a row was kept with a doubt: a card number failing Luhn, a protected "
    "private key whose public key could not be derived. Never a value.",
    "items": {
        "type": "object",
        "properties": {"row": {"type": "integer"}, "id": {"type": "integer"}, "reason": {"type": "string"}},
        "required": ["row", "id", "reason"],
        "additionalProperties": False,
    },
}
assert set(sshkeys.COMPUTED) <= set(_DESCRIPTIONS)
