"""A bounded, expiring, per-process cache of unsealed data keys."""

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict


class KeyCache:
    """Maps HMAC(process secret, user id | salt | passphrase) to a user's data key.

    The passphrase itself is never kept: only a keyed digest of it, under a
    secret that dies with the process. A wrong passphrase gives another digest,
    so it can never be answered from here. The salt is part of the digest, so a
    passphrase change (which draws a new salt) strands old entries in every
    process without any message between them.
    """

    def __init__(self, ttl_seconds, max_entries, clock=time.monotonic):
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self.clock = clock
        self._secret = secrets.token_bytes(32)
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def _digest(self, user_id, salt, passphrase):
        message = b"%d|%s|%s" % (user_id, salt.hex().encode(), passphrase.encode("utf-8"))
        return hmac.new(self._secret, message, hashlib.sha256).digest()

    def get(self, user_id, salt, passphrase):
        if self.ttl <= 0:
            return None
        digest = self._digest(user_id, salt, passphrase)
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None:
                return None
            _, data_key, expires = entry
            if self.clock() >= expires:
                del self._entries[digest]
                return None
            self._entries.move_to_end(digest)
            return data_key

    def put(self, user_id, salt, passphrase, data_key):
        if self.ttl <= 0:
            return
        digest = self._digest(user_id, salt, passphrase)
        with self._lock:
            self._entries[digest] = (user_id, data_key, self.clock() + self.ttl)
            self._entries.move_to_end(digest)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def forget_user(self, user_id):
        with self._lock:
            for digest in [d for d, entry in self._entries.items() if entry[0] == user_id]:
                del self._entries[digest]

    def __len__(self):
        return len(self._entries)
