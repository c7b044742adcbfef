"""Rows of vault requests: ids as clients send them, item field checks, the row cap."""

from . import errors
from .errors import bad_request
from .payload import digits_number, is_digits, is_text
from .records import ITEM_FIELDS

# Lengths in characters (code points), as OpenPassPhrase's schema had them.
FIELD_LIMITS = {"name": 255, "url": 2000, "account": 255, "username": 255, "password": 255, "blob": 4096}
assert tuple(FIELD_LIMITS) == ITEM_FIELDS
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
    """The six text fields of an item row, checked; with `partial` only those it names."""
    if not isinstance(row, dict):
        raise _invalid_item(position, "must be a JSON object")
    fields = {}
    for name, limit in FIELD_LIMITS.items():
        if partial and name not in row:
            continue
        value = row.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise _invalid_item(position, f"field '{name}' must be a string or null")
        if len(value) > limit:
            raise _invalid_item(position, f"field '{name}' is longer than {limit} characters")
        if not is_text(value):
            raise _invalid_item(position, f"field '{name}' is not valid Unicode text")
        fields[name] = value
    return fields


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
