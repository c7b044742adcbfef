"""Item types: what kind of thing an item holds, and the fields of each kind (README "Attachments and item types").

Every item has a `type`. A `login` (the default, every item of earlier
releases) and a `note` use only the common fields; the others add their own
fields, answered under a key named after the type and sealed in the item's
one record (record layout 4, oppmini/seal/records.py). Each kind's module
has the same parts: FIELDS (name -> length limit), SECRETS (the fields
treated like a password: never searched, never named with their value),
`check(values) -> (typed, warnings)` raising ValueError on a malformed
field, in words that never quote a value.
"""

from . import cards, identities, sshkeys, wifi

DEFAULT_TYPE = "login"
# The kinds with fields of their own, by type name.
KINDS = {"card": cards, "identity": identities, "wifi": wifi, "ssh_key": sshkeys}
TYPES = ("login", "note", *KINDS)


def check_typed(item_type, values):
    """(typed fields, warnings) of one item of `item_type` from what a client sent (a dict or None)."""
    kind = KINDS.get(item_type)
    if kind is None:
        return {}, []
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise ValueError("must be an object of the type's fields")
    unknown = sorted(set(values) - set(kind.FIELDS) - set(getattr(kind, "COMPUTED", ())))
    if unknown:
        raise ValueError(f"has no field '{unknown[0]}'; its fields are {', '.join(kind.FIELDS)}")
    texts = {}
    for name, limit in kind.FIELDS.items():
        value = values.get(name)
        if value is None:
            value = ""
        if isinstance(value, int) and not isinstance(value, bool) and name in getattr(kind, "NUMBERS", ()):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(f"field '{name}' must be a string or null")
        if len(value) > limit:
            raise ValueError(f"field '{name}' is longer than {limit} characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"field '{name}' is not valid Unicode text") from None
        texts[name] = value
    return kind.check(texts)


def secret_fields(item_type):
    """The names of an item type's own fields that are secrets."""
    kind = KINDS.get(item_type)
    return kind.SECRETS if kind else ()


def searched_values(item_type, typed):
    """The values of an item's own fields that search may look at: never a secret."""
    secrets = secret_fields(item_type)
    return [value for name, value in typed.items() if name not in secrets]
