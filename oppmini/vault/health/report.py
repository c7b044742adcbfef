"""The vault health report: every check over the caller's items, counts and a score.

Items of the caller and of every collection they belong to are checked;
those of collections where the caller may only read are listed with
`"counted": false` and left out of the counts and the score (their owner
fixes them). Passwords and seeds are compared by HMAC under a key drawn for
this request alone and forgotten with it: nothing leaves this module but
item ids and findings.
"""

import functools
import hmac
import logging
import secrets

from ..access import allows, shares
from ..vault import open_rows, places_of
from . import kept
from .pwned import PwnedFile, PwnedFileError

log = logging.getLogger(__name__)

DAY = 86400
# Findings that make a password unhealthy, in the score; the others are advice.
PASSWORD_FINDINGS = ("weak", "reused", "old", "exposed")
COUNTED = (*PASSWORD_FINDINGS, "no_password", "http_only", "shared_totp")
# The item types that are meant to hold a password (a note, a card, an identity or a key is not).
PASSWORD_TYPES = ("login", "wifi")


def report(call):
    """{"checked", "score", "counts", "old_days", "exposed_check", "items", "reused", "shared_totp"}.

    The vault is read in one read transaction, with what earlier reports
    derived of each item and kept (kept.py); what this one has to derive is
    derived after the reads and kept in a write transaction of its own.
    """
    with call.conn.transaction(write=False):
        rows = call.conn.run("list_items_for_health", user_id=call.user_id)
        places = places_of(call, rows)
        counted = _counted_ids(call, rows)
        changed = _password_changes(call)
    items = _items(rows, open_rows(rows, places))
    derived, made = kept.derived_all(places, rows, items)
    answer = _checked(call, items, counted, changed, derived)
    kept.keep_made(call, made)
    return answer


def _items(rows, opened):
    """Each row's opened fields with what the checks read of the row: its id, collection and times."""
    for row, fields in zip(rows, opened, strict=True):
        fields.update(
            id=row["item_id"],
            collection_id=row["collection_id"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )
    return opened


def _checked(call, items, counted, changed, derived):
    findings = {item["id"]: {} for item in items}
    key = secrets.token_bytes(32)
    with_password = [item for item in items if item["password"]]
    reused = _groups(key, b"password", {item["id"]: item["password"] for item in with_password})
    seeds = {item_id: found.seed for item_id, found in derived.items() if found.seed is not None}
    shared_totp = _groups(key, b"totp", seeds)
    for number, group in enumerate(reused):
        for item_id in group:
            findings[item_id]["reused"] = number
    for number, group in enumerate(shared_totp):
        for item_id in group:
            findings[item_id]["shared_totp"] = number
    now = int(call.services.clock())
    exposed_check, pwned = _open_pwned(call.config.pwned_passwords_file)
    # A password several items share is looked up once; the cache goes with the request.
    seen = functools.cache(pwned.count) if pwned is not None else None
    try:
        for item in items:
            found = findings[item["id"]]
            if not item["password"]:
                if item["type"] in PASSWORD_TYPES:
                    found["no_password"] = True
            else:
                _check_password(call, item, found, changed, now, seen, derived[item["id"]].weak)
            if item["url"].strip().casefold().startswith("http://"):
                found["http_only"] = True
    except PwnedFileError:
        log.error("pwned_passwords_file %s is not a sorted list of HASH:COUNT lines", call.config.pwned_passwords_file)
        exposed_check = "unreadable"
        for found in findings.values():
            found.pop("exposed", None)
    finally:
        if pwned is not None:
            pwned.close()
    return _answer(call, items, counted, findings, reused, shared_totp, exposed_check)


def _check_password(call, item, found, changed, now, seen, weak):
    if weak is not None:
        found["weak"] = weak
    changed_at = changed.get(item["id"], item["created_at"])
    if call.config.password_history == 0:
        # No history is kept, so the last change of any field is the best time known.
        changed_at = item["updated_at"]
    days = (now - changed_at) // DAY
    if days >= call.config.health_old_days:
        found["old"] = {"changed_at": changed_at, "days": days}
    if seen is not None and (count := seen(item["password"])):
        found["exposed"] = {"count": count}


def _answer(call, items, counted, findings, reused, shared_totp, exposed_check):
    listed = [
        {"id": item["id"], "collection_id": item["collection_id"], "counted": item["id"] in counted, "findings": found}
        for item in items
        if (found := findings[item["id"]])
    ]
    counts = dict.fromkeys(COUNTED, 0)
    for entry in listed:
        if entry["counted"]:
            for name in entry["findings"]:
                counts[name] += 1
    mine = [item for item in items if item["id"] in counted]
    scored = [item for item in mine if item["password"]]
    unhealthy = sum(1 for item in scored if any(name in findings[item["id"]] for name in PASSWORD_FINDINGS))
    score = 100 if not scored else round(100 * (len(scored) - unhealthy) / len(scored))
    return {
        "checked": len(mine),
        "score": score,
        "counts": counts,
        "old_days": call.config.health_old_days,
        "exposed_check": exposed_check,
        "items": listed,
        "reused": reused,
        "shared_totp": shared_totp,
    }


def _counted_ids(call, rows):
    """Ids of the items the caller answers for: personal ones and those of collections they may write to."""
    writable = {row["collection_id"] for row in shares(call).memberships() if allows(row["role"], "write")}
    return {row["item_id"] for row in rows if row["collection_id"] is None or row["collection_id"] in writable}


def _groups(key, purpose, secrets_by_id):
    """Lists of ids (ascending) of the items sharing one secret, compared by HMAC under the request's key."""
    by_mac = {}
    keyed = hmac.new(key, purpose + b"\0", "sha256")  # copied for each secret: the key is set up once
    for item_id, secret in secrets_by_id.items():
        mac = keyed.copy()
        mac.update(_bytes(secret))
        by_mac.setdefault(mac.digest(), []).append(item_id)
    return sorted(sorted(ids) for ids in by_mac.values() if len(ids) > 1)


def _bytes(secret):
    return secret if isinstance(secret, bytes) else secret.encode("utf-8")


def _password_changes(call):
    """{item_id: time of the newest password change kept in its history}."""
    rows = call.conn.run("list_password_changes", user_id=call.user_id)
    return {row["item_id"]: row["changed_at"] for row in rows}


def _open_pwned(path):
    """("on", the open file), ("off", None) without the setting, ("unreadable", None) when it does not open."""
    if not path:
        return "off", None
    try:
        return "on", PwnedFile(path)
    except OSError as error:
        log.error("pwned_passwords_file %s does not open: %s", path, error.strerror)
        return "unreadable", None
