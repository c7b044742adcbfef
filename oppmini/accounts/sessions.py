"""Sessions: every login makes one, its tokens name it, deleting it revokes them everywhere.

A token's session is read together with its user (one indexed read, users.sql
`get_user_by_token`); `last_seen_at` is written at most once a minute per
session, so reading the vault does not write on every request.
"""

import time

from ..store.db import Busy

# How coarse last_seen_at is: a request writes it only when it is older than this.
SEEN_RESOLUTION_SECONDS = 60
PURGE_EVERY_SECONDS = 3600


class Sessions:
    def __init__(self, clock=time.time):
        self.clock = clock
        self._next_purge = 0

    def open(self, conn, user_id, lifetime, address, agent):
        """A new session for a token of `lifetime` seconds; its id."""
        now = int(self.clock())
        return conn.run(
            "insert_session", user_id=user_id, now=now, expires_at=now + lifetime, address=address, agent=agent
        )

    def seen(self, conn, session_id, last_seen_at):
        """Note a request on the session, at most once per SEEN_RESOLUTION_SECONDS."""
        now = int(self.clock())
        if now - last_seen_at < SEEN_RESOLUTION_SECONDS:
            return
        try:
            conn.run("update_session_seen", session_id=session_id, now=now)
        except Busy:
            pass  # a busy database delays a coarse time stamp, never the request

    def listed(self, conn, user_id, current_id):
        now = int(self.clock())
        return [
            {
                "id": row["session_id"],
                "created_at": row["created_at"],
                "last_seen_at": row["last_seen_at"],
                "address": row["address"],
                "agent": row["agent"],
                "current": row["session_id"] == current_id,
            }
            for row in conn.run("list_sessions", user_id=user_id, now=now)
        ]

    def revoke(self, conn, user_id, session_id):
        """End one of the user's sessions; False when it is not theirs or already gone."""
        return conn.run("delete_session", session_id=session_id, user_id=user_id) == 1

    @staticmethod
    def end_others(conn, user_id, current_id):
        """End every session of the user but `current_id` (all of them when it is None); how many ended."""
        if current_id is None:
            return conn.run("delete_user_sessions", user_id=user_id)
        return conn.run("delete_other_sessions", user_id=user_id, session_id=current_id)

    def tidy(self, conn):
        """Drop expired sessions: once an hour per process (logins call it), by the expiry index."""
        now = int(self.clock())
        if now < self._next_purge or conn.in_transaction:
            return
        self._next_purge = now + PURGE_EVERY_SECONDS
        try:
            conn.run("delete_expired_sessions", now=now)
        except Busy:
            pass  # housekeeping only: expired sessions are never listed or honoured anyway
