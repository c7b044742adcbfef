"""Rows of vault requests: ids as clients send them, item field checks, the row cap."""

from ..contract import errors
from ..contract.errors import ApiError, bad_request
from ..contract.payload import digits_number, is_digits, is_text
from ..seal.records import ITEM_FIELDS
from . import matching, totp, types

# Lengths in characters (code points), as OpenPassPhrase's schema had them.
FIELD_LIMITS = {"name": 255, "url": 2000, "account": 255, "username": 255, "password": 255, "blob": 4096}
assert tuple(FIELD_LIMITS) == ITEM_FIELDS
# Custom fields (extensions.md section 1).
MAX_CUSTOM_FIELDS = 50
CUSTOM_NAME_LIMIT = 255
CUSTOM_VALUE_LIMIT = 4096
CUSTOM_FIELD_KEYS = ("name", "value", "hidden")
# A category's name (v1's schema), by the route and by an import's folders alike.
CATEGORY_NAME_LIMIT = 255
# Ids are positive 64-bit integers in both dialects; sort_id is a 32-bit INT.
ID_MAX = 2**63 - 1
ID_DIGITS = len(str(ID_MAX))
SORT_ID_MIN, SORT_ID_MAX = -(2**31), 2**31 - 1
# POST leaves what a row does not mention as it is.
KEEP = object()


def cap_rows(call, name, rows):
    """Refuse a list of more than config `max_rows` rows, before any row is looked at."""
    limit = call.config.max_rows
    if len(rows) > limit:
        raise bad_request(
            errors.TOO_MANY_ROWS,
            f"'{name}' holds {len(rows)} rows; at most {limit} are allowed per request.",
        )


def is_blank(value):
    """How the contract spells an empty id: null or ""."""
    return value is None or value == ""


def row_id(row, position, missing_error, empty_error):
    """A POST row's `id` as sent, after the contract's missing and empty checks."""
    if not isinstance(row, dict) or "id" not in row:
        raise bad_request(missing_error, f"Row {position} has no 'id'.")
    if is_blank(row["id"]):
        raise bad_request(empty_error, f"Row {position} has an empty 'id'.")
    return row["id"]


def as_id(value):
    """A row id from a JSON integer or a string of digits; None when it cannot name a row."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = digits_number(value, ID_DIGITS)
    if isinstance(value, int) and 1 <= value <= ID_MAX:
        return value
    return None


def id_like(value):
    return not isinstance(value, bool) and (isinstance(value, int) or (isinstance(value, str) and is_digits(value)))


def item_fields(row, position, partial=False):
    """The sealed fields of an item row, checked; with `partial` only those it names.

    The six text fields of v1, then `totp`, `fields`, `favorite` and `match`;
    null stands for the empty value of each (for `match`, the default rule).
    """
    if not isinstance(row, dict):
        raise _invalid_item(position, "must be a JSON object")
    fields = {}
    for name, limit in FIELD_LIMITS.items():
        if partial and name not in row:
            continue
        fields[name] = _text(row.get(name), limit, position, f"field '{name}'")
    if not partial or "totp" in row:
        fields["totp"] = _totp(row.get("totp"), position)
    if not partial or "fields" in row:
        fields["fields"] = _custom_fields(row.get("fields"), position)
    if not partial or "favorite" in row:
        favorite = row.get("favorite")
        if favorite is not None and not isinstance(favorite, bool):
            raise _invalid_item(position, "field 'favorite' must be true, false or null")
        fields["favorite"] = favorite is True
    if not partial or "match" in row:
        fields["match"] = _match_rule(row.get("match"), position)
    return fields


def item_kind(row, position, before=None):
    """(the row's `type` and typed fields as sealed, warnings in words) for an item that was `before`.

    A row names its type with `type` (absent: the item's, or login for a new
    one) and that type's fields under the key named after it (absent: the
    fields the item had if its type stays, else empty ones). The fields of a
    type other than the item's are refused rather than dropped.
    """
    if not isinstance(row, dict):
        raise _invalid_item(position, "must be a JSON object")
    current = types.DEFAULT_TYPE if before is None else before["type"]
    item_type = row.get("type")
    if item_type is None:
        item_type = current
    elif not isinstance(item_type, str) or item_type not in types.TYPES:
        raise _invalid_item(position, f"field 'type' must be one of {', '.join(types.TYPES)} or null")
    for other in types.KINDS:
        if other != item_type and row.get(other) is not None:
            raise _invalid_item(position, f"field '{other}' belongs to type {other}; this item is a {item_type}")
    if item_type not in row and before is not None and item_type == current:
        return {"type": item_type, "typed": before["typed"]}, []
    try:
        typed, warnings = types.check_typed(item_type, row.get(item_type))
    except ValueError as why:  # says which field and what is wrong, never the value
        raise _invalid_item(position, f"field '{item_type}': {why}") from None
    return {"type": item_type, "typed": typed}, warnings


def _match_rule(value, position):
    if value is None:
        return matching.DEFAULT_RULE
    if not isinstance(value, str) or value not in matching.RULES:
        raise _invalid_item(position, f"field 'match' must be one of {', '.join(matching.RULES)} or null")
    return value


def item_collection(row, position, partial=False):
    """The row's collection_id as sent: None for the personal vault, KEEP when POST omits it."""
    if "collection_id" not in row:
        return KEEP if partial else None
    value = row["collection_id"]
    if is_blank(value):
        return None
    if not id_like(value):
        raise _invalid_item(position, "field 'collection_id' must be an integer or null")
    return value


def unknown_collection(position, value):
    return _invalid_item(position, f"collection {value} does not exist or is not yours")


def no_category_in_collection(position):
    return _invalid_item(position, "an item in a collection has no category; send 'category_id' null")


def _text(value, limit, position, what):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid_item(position, f"{what} must be a string or null")
    if len(value) > limit:
        raise _invalid_item(position, f"{what} is longer than {limit} characters")
    if not is_text(value):
        raise _invalid_item(position, f"{what} is not valid Unicode text")
    return value


def _totp(value, position):
    value = _text(value, totp.MAX_LENGTH, position, "field 'totp'")
    if value.strip():
        try:
            totp.parse(value)
        except ValueError as why:  # says what is wrong, never the seed
            raise _invalid_item(position, f"field 'totp': {why}") from None
    return value


def _custom_fields(value, position):
    if value is None:
        return []
    if not isinstance(value, list):
        raise _invalid_item(position, "field 'fields' must be a list of {name, value, hidden} objects")
    if len(value) > MAX_CUSTOM_FIELDS:
        raise _invalid_item(
            position, f"field 'fields' holds {len(value)} entries; at most {MAX_CUSTOM_FIELDS} are allowed"
        )
    checked = []
    for number, entry in enumerate(value, 1):
        where = f"field 'fields' entry {number}"
        if not isinstance(entry, dict) or "name" not in entry or set(entry) - set(CUSTOM_FIELD_KEYS):
            raise _invalid_item(
                position, f"{where} must be an object with 'name' and only 'value' and 'hidden' besides"
            )
        if not isinstance(entry["name"], str):
            raise _invalid_item(position, f"{where}: 'name' must be a string")
        name = _text(entry["name"], CUSTOM_NAME_LIMIT, position, f"{where} 'name'")
        text = _text(entry.get("value"), CUSTOM_VALUE_LIMIT, position, f"{where} 'value'")
        hidden = entry.get("hidden")
        if hidden is not None and not isinstance(hidden, bool):
            raise _invalid_item(position, f"{where}: 'hidden' must be true, false or null")
        checked.append({"name": name, "value": text, "hidden": hidden is True})
    return checked


def if_revision(row, position):
    """The revision a POST row says it was read at (None: v1's last write wins), a positive integer."""
    if "if_revision" not in row or row["if_revision"] is None:
        return None
    value = row["if_revision"]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= ID_MAX:
        raise _invalid_item(position, "field 'if_revision' must be a positive integer or null")
    return value


def changed_since(position, item_id, revision):
    """409: the row's item moved on after the client read it (another page, member or client wrote it)."""
    return ApiError(
        409,
        errors.CONFLICT,
        f"{errors.ITEM_CHANGED} Row {position}: item {item_id} is at revision {revision} now.",
    )


def item_category(row, position, partial=False):
    """The row's category_id as sent: None for uncategorised, KEEP when POST omits it."""
    if "category_id" not in row:
        return KEEP if partial else None
    value = row["category_id"]
    if is_blank(value):
        return None
    if not id_like(value):
        raise _invalid_item(position, "field 'category_id' must be an integer or null")
    return value


def sort_id(row, position, error, partial=False):
    """The row's sort_id: 0 when absent or null (KEEP when POST omits it)."""
    if "sort_id" not in row:
        return KEEP if partial else 0
    value = row["sort_id"]
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not SORT_ID_MIN <= value <= SORT_ID_MAX:
        raise bad_request(error, f"Row {position}: field 'sort_id' must be a 32-bit integer.")
    return value


def _invalid_item(position, problem):
    return bad_request(errors.INVALID_ITEM_DATA, f"Row {position}: {problem}.")
