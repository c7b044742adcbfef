"""The activity log: what happened to an account, for its owner to read.

Any feature adds an event with one call, `call.record("event_name", **detail)`
(oppmini/web/call.py), after naming it in EVENTS. `detail` is stored as JSON and
must never hold a secret: counts, ids and names of what changed, nothing typed
as a password, passphrase, code or token, and nothing decrypted.
"""

import json
import logging
import time

from ..store.db import Busy

log = logging.getLogger(__name__)

# Every event a user can see, with what it means (README "Account security").
EVENTS = {
    "login": "signed in; detail: session_id, and second_factor (code, recovery code or security key) when asked",
    # The three failures below come from a sign-in, or from a route that changes the account
    # (detail: route, such as "POST /v1/user").
    "login_failed_password": "a sign-in with this name and a wrong password",
    "login_code_missing": "the right password, but no two-factor code",
    "login_code_failed": "the right password, but a wrong two-factor code or security key answer: whoever tried "
    "knows the password; detail: password_known, warning (those words), cloned_key (a key's name, when its "
    "signature counter went back: another authenticator holds its private key)",
    "passphrase_failed": "a wrong passphrase",
    "lockout": "too many failures: further guesses wait; detail: the limits holding",
    "logout_everywhere": "every token revoked (DELETE /v1/auth)",
    "session_revoked": "one session signed out; detail: session_id",
    "password_changed": "the login password changed (every session ended)",
    "passphrase_changed": "the passphrase changed",
    "username_changed": "the username changed",
    "two_factor_on": "two-factor login turned on; detail: other_sessions_ended (how many were signed out)",
    "two_factor_off": "two-factor login turned off; detail: by (user or administrator)",
    "security_key_added": "a security key or passkey added; detail: key_id, name",
    "security_keys_removed": "security keys removed; detail: ids, names",
    "recovery_code_used": "a recovery code signed in or turned 2FA off; detail: codes left",
    "import": "an export file imported; detail: its format and the answer's counts",
    "export": "the vault exported (not encrypted); detail: format, categories and items counted",
    # Sharing: who is told what is said in oppmini/sharing/events.py.
    "collection_created": "a shared collection made, the caller its manager; detail: collection_id",
    "invited": "you were invited to a collection; detail: collection_id, role, by",
    "member_invited": "someone invited to a collection; detail: collection_id, username, role, by",
    "member_joined": "an invitation accepted; detail: collection_id, username, role",
    "invitation_declined": "an invitation declined; detail: collection_id, username",
    "invitation_withdrawn": "a pending invitation withdrawn; detail: collection_id, username, by",
    "member_role_changed": "a member's role changed; detail: collection_id, username, role, by",
    "member_removed": "a member removed from a collection; detail: collection_id, username, by, key_version (the "
    "key replaced, the items re-sealed)",
    "member_left": "a member left a collection; detail: collection_id, username, key_version",
    "collection_deleted": "a collection deleted, its live items moved to a trash; detail: collection_id, by, "
    "items, trash_of",
    "members_changed": "several of the above in one request; detail: by, count, changes (the first 20)",
}
# The columns' widths on MySQL.
ADDRESS_CHARS = 64
AGENT_CHARS = 255
PURGE_EVERY_SECONDS = 3600
DAY_SECONDS = 86400
PAGE_MAX = 500


def printable(text, limit):
    """`text` cut to `limit` characters, control characters dropped (a header may carry anything)."""
    return "".join(char for char in (text or "") if char.isprintable())[:limit]


def record_event(conn, user_id, event, at, address="", agent="", **detail):
    """Add one event; inside the caller's transaction when there is one (and so undone with it)."""
    if event not in EVENTS:
        raise ValueError(f"unknown activity event {event!r}: name it in EVENTS")
    conn.run(
        "insert_event",
        user_id=user_id,
        at=at,
        event=event,
        address=printable(address, ADDRESS_CHARS),
        agent=printable(agent, AGENT_CHARS),
        detail=json.dumps(detail, sort_keys=True, separators=(",", ":")),
    )


class ActivityLog:
    def __init__(self, config, clock=time.time):
        self.keep_seconds = config.activity_days * DAY_SECONDS
        self.clock = clock
        self._next_purge = 0

    def record(self, conn, user_id, event, address="", agent="", **detail):
        record_event(conn, user_id, event, int(self.clock()), address, agent, **detail)

    def page(self, conn, user_id, limit, before):
        """Up to `limit` events with ids below `before`, newest first, as the API shows them."""
        rows = conn.run("list_events", user_id=user_id, before=before, limit=limit)
        return [
            {
                "id": row["event_id"],
                "at": row["at"],
                "event": row["event"],
                "address": row["address"],
                "agent": row["agent"],
                "detail": json.loads(row["detail"]),
            }
            for row in rows
        ]

    def tidy(self, conn):
        """Drop events older than activity_days: once an hour per process (logins call it), by the
        `at` index, so never a scan; outside any transaction, whose locks it would widen."""
        now = int(self.clock())
        if now < self._next_purge or conn.in_transaction:
            return
        self._next_purge = now + PURGE_EVERY_SECONDS
        try:
            removed = conn.run("delete_old_events", cutoff=now - self.keep_seconds)
        except Busy:
            return  # housekeeping only: the next hour tries again
        if removed:
            log.info("removed %d activity events older than %d days", removed, self.keep_seconds // DAY_SECONDS)
