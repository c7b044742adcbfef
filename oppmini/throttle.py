"""Failure counting and lock-outs: per name and account in the database, per address in memory."""

import hashlib
import hmac
import logging
import math
import threading
import time

from . import errors
from .db import Duplicate
from .errors import ApiError

log = logging.getLogger(__name__)

# The first lock-out past a threshold; each further failure doubles it, up to
# the failure window (after which the count itself expires).
FIRST_DELAY_SECONDS = 30
# Addresses remembered at most; past it, expired entries go first, then the oldest.
MAX_ADDRESSES = 100_000


def wait_seconds(count, last_failure_at, now, threshold, window):
    """Whole seconds still to wait after `count` failures, the last at `last_failure_at`."""
    if count < threshold or now - last_failure_at > window:
        return 0
    delay = min(window, FIRST_DELAY_SECONDS * 2 ** min(count - threshold, 32))
    return max(0, math.ceil(last_failure_at + delay - now))


def too_many(seconds):
    return ApiError(429, errors.TOO_MANY_ATTEMPTS, str(seconds), headers={"Retry-After": str(seconds)})


class AddressFailures:
    """Failures per client address in this process: address -> [count, last failure time]."""

    def __init__(self, threshold, window, clock, max_entries=MAX_ADDRESSES):
        self.threshold = threshold
        self.window = window
        self.clock = clock
        self.max_entries = max_entries
        self._entries = {}
        self._lock = threading.Lock()

    def wait(self, address):
        with self._lock:
            count, last = self._entries.get(address, (0, 0))
        return wait_seconds(count, last, self.clock(), self.threshold, self.window)

    def failed(self, address):
        now = self.clock()
        with self._lock:
            count, last = self._entries.pop(address, (0, 0))
            count = 1 if now - last > self.window else count + 1
            self._entries[address] = (count, now)  # re-inserted last: dicts keep order
            if len(self._entries) > self.max_entries:
                self._forget_oldest(now)

    def _forget_oldest(self, now):
        stale = [a for a, (_, last) in self._entries.items() if now - last > self.window]
        for address in stale:
            del self._entries[address]
        while len(self._entries) > self.max_entries:
            del self._entries[next(iter(self._entries))]


class Throttle:
    """Refuses guesses past the thresholds with 429 and counts the failures.

    Counts are written on their own short connection and transaction, so they
    stay even though the failing request's own work is rolled back; never call
    these while the request's connection holds a write transaction.
    """

    def __init__(self, config, db, secret_key, clock=time.time):
        self.db = db
        self.clock = clock
        self.threshold = config.max_failures
        self.window = config.failure_window
        self.addresses = AddressFailures(config.max_failures_per_address, config.failure_window, clock)
        self._name_secret = hmac.new(secret_key.encode("utf-8"), b"oppmini login failures", hashlib.sha256).digest()

    def name_key(self, username):
        return hmac.new(self._name_secret, username.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()

    # Logins, counted per name: a known and an unknown name do the same work.

    def check_login(self, conn, username, client):
        """Raise 429 while the client address or the name is locked out; else the name's failures."""
        waits = [self.addresses.wait(client)]
        row = conn.run("get_login_failures", name_key=self.name_key(username)) if username else None
        if row is not None:
            waits.append(self._wait(row))
        self._refuse_if_waiting(waits, client)
        return row

    def login_failed(self, username, client):
        # The name is not logged: it may be a password typed into the wrong field.
        log.debug("failed login from %s", client)
        self.addresses.failed(client)
        if not username:
            return
        name_key, now = self.name_key(username), int(self.clock())
        with self.db.connect() as conn, conn.transaction():
            conn.run("delete_stale_login_failures", window_start=now - self.window)
            if conn.run("update_login_failure", name_key=name_key, now=now, window_start=now - self.window):
                return
            try:
                conn.run("insert_login_failure", name_key=name_key, now=now)
            except Duplicate:
                # Another process inserted it first (MySQL; SQLite's write lock
                # serialises these); count this failure on its row.
                conn.run("update_login_failure", name_key=name_key, now=now, window_start=now - self.window)

    def login_succeeded(self, username, failures):
        """Clear the name's count; `failures` is what check_login returned."""
        if failures is not None:
            with self.db.connect() as conn, conn.transaction():
                conn.run("delete_login_failures", name_key=self.name_key(username))

    # Passphrases, counted on the account (the token names a real user).

    def check_phrase(self, user, client):
        self._refuse_if_waiting([self.addresses.wait(client), self._wait(user)], client)

    def phrase_failed(self, user, client):
        log.debug("wrong passphrase for user %s from %s", user["user_id"], client)
        self.addresses.failed(client)
        now = int(self.clock())
        with self.db.connect() as conn, conn.transaction():
            conn.run("update_user_failure", user_id=user["user_id"], now=now, window_start=now - self.window)

    def phrase_succeeded(self, user):
        if user["failed_attempts"]:
            with self.db.connect() as conn, conn.transaction():
                conn.run("update_user_failures_cleared", user_id=user["user_id"])

    def _wait(self, row):
        return wait_seconds(row["failed_attempts"], row["last_failure_at"], self.clock(), self.threshold, self.window)

    @staticmethod
    def _refuse_if_waiting(waits, client):
        longest = max(waits)
        if longest > 0:
            log.info("too many failures: %s must wait %ss", client, longest)
            raise too_many(longest)
