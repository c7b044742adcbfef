"""Guessing limits: every guess counted in the database before its Argon2 check.

A login is counted three ways: the name at the client's address (the tight
limit, `max_failures`), the name from every address (`max_failures_per_name`,
looser, so that a stranger who knows a name cannot lock its owner out, while
a campaign spread over many addresses is still slowed), and the address over
every name (`max_failures_per_address`). A passphrase guess is counted on the
account and the address. A two-factor code, asked only after a right password,
has a budget of its own per account (`max_code_failures` from every address
together): spent, only the code step waits out the window, and a campaign
against the code never spends the owner's password counts. Counting first, in one short transaction that locks
the rows it reads, is what keeps any number of processes and threads within
the limits: a guess past them is refused before any Argon2 work.
"""

import hashlib
import hmac
import logging
import math
import time
from dataclasses import dataclass

from ..contract import errors
from ..contract.errors import ApiError
from ..metrics import NO_METRICS
from ..store.db import Busy, Duplicate, pause_after_conflict

# Named, not __name__: fail2ban's filter (contrib/fail2ban) and the README match "oppmini.throttle:" in the log,
# wherever this module lives.
log = logging.getLogger("oppmini.throttle")

# The first lock-out past a threshold; each further guess doubles it, up to
# the failure window (after which the count itself expires).
FIRST_DELAY_SECONDS = 30
# A reservation that lost a lock race (MySQL deadlock, a conflict on a Galera
# cluster, where guesses at one account through every node race for its row)
# is tried this often, after a random pause.
RESERVE_ATTEMPTS = 6
NO_GUESSES = {"attempts": 0, "last_attempt_at": 0}


def wait_seconds(count, last_failure_at, now, threshold, window):
    """Whole seconds still to wait after `count` failures, the last at `last_failure_at`."""
    if count < threshold or now - last_failure_at > window:
        return 0
    delay = min(window, FIRST_DELAY_SECONDS * 2 ** min(count - threshold, 32))
    return max(0, math.ceil(last_failure_at + delay - now))


def budget_wait_seconds(count, last_failure_at, now, threshold, window):
    """Whole seconds still to wait when `threshold` failures per window are all there is: once spent,
    the rest of the window since the last one."""
    if count < threshold or now - last_failure_at > window:
        return 0
    return max(0, math.ceil(last_failure_at + window - now))


def too_many(seconds):
    return ApiError(429, errors.TOO_MANY_ATTEMPTS, str(seconds), headers={"Retry-After": str(seconds)})


@dataclass(frozen=True)
class Counter:
    """One count a guess adds to: what it limits (for the log), its row, its threshold."""

    limit: str
    threshold: int
    guess_key: str | None = None  # a guess_counts row, or else
    user_id: int | None = None  # the account's own passphrase count
    # A right guess clears a name's or an account's count; an address only gets
    # that one guess back, so that a right guess cannot hide the wrong ones.
    clears: bool = True
    # A budget (`threshold` per window), not a delay doubling past the threshold.
    budget: bool = False

    def lock(self, conn):
        """Lock the row for this transaction; False when a guess_counts row is still to be made."""
        if self.user_id is not None:
            conn.run("update_user_failures_locked", user_id=self.user_id)
            return True  # a user deleted meanwhile has nothing left to guess at
        return bool(conn.run("update_guess_count_locked", guess_key=self.guess_key))

    def read(self, conn):
        """The count so far; none yet is a count of zero."""
        if self.user_id is not None:
            row = conn.run("get_user_failures", user_id=self.user_id)
        else:
            row = conn.run("get_guess_count", guess_key=self.guess_key)
        return row or NO_GUESSES

    def add(self, conn, now, window_start):
        if self.user_id is not None:
            conn.run("update_user_failure", user_id=self.user_id, now=now, window_start=window_start)
        else:
            conn.run("update_guess_count", guess_key=self.guess_key, now=now, window_start=window_start)


class Throttle:
    """Reserves guesses (429 past a limit) and settles them when they prove right.

    Every method takes the request's connection, outside any transaction of
    its own: a reservation commits by itself, so it stays counted whatever
    becomes of the request.
    """

    def __init__(self, config, db, secret_key, clock=time.time, metrics=NO_METRICS):
        self.db = db
        self.clock = clock
        self.metrics = metrics
        self.window = config.failure_window
        self.per_name_at_address = config.max_failures
        self.per_name = config.max_failures_per_name
        self.per_address = config.max_failures_per_address
        self.codes_per_account = config.max_code_failures
        self._key_secret = hmac.new(secret_key.encode("utf-8"), b"oppmini guess counts", hashlib.sha256).digest()

    def guess_key(self, *parts):
        """The row key for what is counted; an HMAC, so no name or address is stored."""
        joined = "\x00".join(parts).encode("utf-8", "surrogatepass")
        return hmac.new(self._key_secret, joined, hashlib.sha256).hexdigest()

    # Logins and the other checks of a password (POST/DELETE /v1/user, sign-up).

    def login_counters(self, username, client):
        counters = [self._address(client)]
        if username:
            counters += [
                Counter(
                    "this name at this address",
                    self.per_name_at_address,
                    guess_key=self.guess_key("name at address", username, client),
                ),
                Counter("this name from any address", self.per_name, guess_key=self.guess_key("name", username)),
            ]
        return counters

    def reserve_login(self, conn, username, client):
        """Count a password guess before it is checked; 429 while a limit holds. The counters, to settle."""
        counters = self.login_counters(username, client)
        self._reserve(conn, counters, client)
        return counters

    def reserve_signup(self, conn, client):
        """Count a sign-up against the address, as a probe for a taken name would be."""
        counters = [self._address(client)]
        self._reserve(conn, counters, client)
        return counters

    def reserve_invitations(self, conn, client, count):
        """Count `count` invitations against the address, each as a probe for a name would be (429 past it)."""
        counters = [self._address(client)]
        for _ in range(count):
            self._reserve(conn, counters, client)

    def guess_failed(self, client, what):
        """A wrong password, passphrase or two-factor code (`what`): one INFO line naming the address, never the name.

        The line fail2ban watches for (contrib/fail2ban/): it is written for
        every wrong guess, unlike the 429 line, which only comes past a limit.
        """
        log.info("failed %s guess from %s", what, client or "-")

    def login_succeeded(self, conn, counters):
        """The password was right: the name's counts start again, the address gets its guess back."""
        self._settle(conn, counters)

    # Two-factor codes, counted on the account from every address together.

    def _code_counter(self, user_id):
        return Counter(
            "this account's two-factor codes",
            self.codes_per_account,
            guess_key=self.guess_key("code", str(user_id)),
            budget=True,
        )

    def check_code(self, conn, user_id, client):
        """429 while the account's code budget is spent; reads only."""
        counter = self._code_counter(user_id)
        self._refuse_if_waiting([(self._wait(counter.read(conn), counter), counter.limit)], client)

    def reserve_code(self, conn, user_id, client):
        """Count a code guess before it is checked; 429 while the budget is spent. The counters, to settle."""
        counters = [self._code_counter(user_id)]
        self._reserve(conn, counters, client)
        return counters

    def code_succeeded(self, conn, counters):
        """A right code: the account's code count starts again."""
        self._settle(conn, counters)

    # Passphrases, counted on the account (the token names a real user) and the address.

    def phrase_counters(self, user, client):
        return [self._address(client), self._account_phrase(user)]

    def _account_phrase(self, user):
        return Counter("this account's passphrase", self.per_name_at_address, user_id=user["user_id"])

    def _address(self, client):
        return Counter("this address", self.per_address, guess_key=self.guess_key("address", client), clears=False)

    def check_phrase(self, conn, user, client):
        """429 while the account or the address is locked out; reads only (the usual vault call)."""
        address = self._address(client)
        account = self._account_phrase(user)
        waits = [
            (self._wait(address.read(conn), address), address.limit),
            (
                self._wait({"attempts": user["failed_attempts"], "last_attempt_at": user["last_failure_at"]}, account),
                account.limit,
            ),
        ]
        self._refuse_if_waiting(waits, client)

    def reserve_phrase(self, conn, user, client):
        """Count a passphrase guess that needs Argon2 before it is checked; the counters, to settle."""
        counters = self.phrase_counters(user, client)
        self._reserve(conn, counters, client)
        return counters

    def phrase_succeeded(self, conn, user, counters=None):
        """A right passphrase: its reservation (if it took one) given back, the account's count cleared."""
        if counters is not None:
            self._settle(conn, counters)
        elif user["failed_attempts"]:
            with conn.transaction():
                conn.run("update_user_failures_cleared", user_id=user["user_id"])

    def holding(self, conn, counters):
        """The limits among `counters` that now make the next guess wait: after a failed guess,
        those it has just brought into force (a lock-out, for the activity log)."""
        return [counter.limit for counter in counters if self._wait(counter.read(conn), counter) > 0]

    # The counting itself.

    def _reserve(self, conn, counters, client):
        if conn.in_transaction:
            raise RuntimeError("a guess must be counted in a transaction of its own")
        for attempt in range(1, RESERVE_ATTEMPTS + 1):
            try:
                if self._reserve_once(conn, counters, client):
                    return
            except Busy:
                if attempt == RESERVE_ATTEMPTS:
                    raise
                pause_after_conflict(attempt)
        raise Busy("guess counts kept vanishing")  # only a purge racing every try could do this

    def _reserve_once(self, conn, counters, client):
        """Count the guess (True), or make the rows it lacks (False: try again); 429 past a limit."""
        now = int(self.clock())
        with conn.transaction():
            missing = [counter for counter in counters if not counter.lock(conn)]
            if not missing:
                waits = [(self._wait(counter.read(conn), counter), counter.limit) for counter in counters]
                self._refuse_if_waiting(waits, client)  # raising rolls back: a refused guess is not counted
                for counter in counters:
                    counter.add(conn, now, now - self.window)
                log.debug("guess counted from %s", client or "-")
                return True
        # A first guess for some key: its row is made outside the transaction,
        # where two racing inserts cannot deadlock on MySQL's gap locks.
        for counter in missing:
            try:
                conn.run("insert_guess_count", guess_key=counter.guess_key, now=now)
            except Duplicate:
                pass  # another request made it first
        self._forget_stale(conn, now)
        return False

    def _settle(self, conn, counters):
        with conn.transaction():
            for counter in counters:
                if counter.user_id is not None:
                    conn.run("update_user_guesses_settled", user_id=counter.user_id)
                elif counter.clears:
                    conn.run("delete_guess_count", guess_key=counter.guess_key)
                else:
                    conn.run("update_guess_count_returned", guess_key=counter.guess_key)

    def _forget_stale(self, conn, now):
        try:
            with conn.transaction():
                conn.run("delete_stale_guess_counts", window_start=now - self.window)
        except Busy:
            pass  # housekeeping only: the next new key tries again

    def _wait(self, row, counter):
        rule = budget_wait_seconds if counter.budget else wait_seconds
        return rule(row["attempts"], row["last_attempt_at"], self.clock(), counter.threshold, self.window)

    def _refuse_if_waiting(self, waits, client):
        longest, limit = max(waits, default=(0, ""))
        if longest > 0:
            log.info("too many failures for %s (%s): wait %ss", limit, client or "-", longest)
            self.metrics.throttled(limit)
            raise too_many(longest)
