"""Handlers of /v1/items/{id}/totp and /v1/totp: one-time codes of the caller's items (RFC 6238)."""

from ...contract import errors
from ...contract.errors import bad_request
from ...vault import totp
from ...vault.vault import all_items, opened_fields, path_item
from . import SUCCESS


def item_code(call):
    """The current code of one item; 400 when it has no TOTP secret."""
    row = path_item(call)
    seed_text = opened_fields(call, row)["totp"]
    if not seed_text.strip():
        raise bad_request(errors.NO_TOTP_SECRET, f"Item {row['item_id']} has no 'totp' value.")
    return {**SUCCESS, **_code(call, totp.parse(seed_text))}


def all_codes(call):
    """The current code of every item of the caller that has a TOTP secret, by id."""
    codes = [
        {"id": item["id"], **_code(call, totp.parse(item["totp"]))} for item in all_items(call) if item["totp"].strip()
    ]
    return {**SUCCESS, "codes": codes}


def _code(call, seed):
    code, remaining = seed.code(call.services.clock())
    return {"code": code, "period": seed.period, "remaining": remaining, "digits": seed.digits}
