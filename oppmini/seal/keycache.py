"""Bounded, expiring, per-process caches of unsealed keys: users' data keys and collection keys."""

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict


class _DigestCache:
    """Keys by a keyed digest (HMAC under a secret that dies with the process), LRU and expiring.

    With `per_user`, a user holding that many entries makes room among their
    own: one user's many keys never push out other users' (the LRU order
    across users still applies when the whole cache is full).
    """

    def __init__(self, ttl_seconds, max_entries, clock=time.monotonic, per_user=None):
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self.per_user = per_user
        self.clock = clock
        self._secret = secrets.token_bytes(32)
        self._entries = OrderedDict()
        self._by_user = {}  # user_id: OrderedDict of that user's digests, least recently used first
        self._lock = threading.Lock()

    def _digest(self, message):
        return hmac.new(self._secret, message, hashlib.sha256).digest()

    def _get(self, message):
        if self.ttl <= 0:
            return None
        digest = self._digest(message)
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None:
                return None
            user_id, key, expires = entry
            if self.clock() >= expires:
                self._drop(digest)
                return None
            self._entries.move_to_end(digest)
            self._by_user[user_id].move_to_end(digest)
            return key

    def _put(self, message, user_id, key):
        if self.ttl <= 0:
            return
        digest = self._digest(message)
        with self._lock:
            own = self._by_user.setdefault(user_id, OrderedDict())
            if self.per_user is not None and digest not in own and len(own) >= self.per_user:
                self._drop(next(iter(own)))
                own = self._by_user.setdefault(user_id, OrderedDict())
            self._entries[digest] = (user_id, key, self.clock() + self.ttl)
            self._entries.move_to_end(digest)
            own[digest] = None
            own.move_to_end(digest)
            while len(self._entries) > self.max_entries:
                self._drop(next(iter(self._entries)))

    def _drop(self, digest):
        user_id = self._entries.pop(digest)[0]
        own = self._by_user[user_id]
        del own[digest]
        if not own:
            del self._by_user[user_id]

    def forget_user(self, user_id):
        with self._lock:
            for digest in list(self._by_user.get(user_id, ())):
                self._drop(digest)

    def __len__(self):
        return len(self._entries)


class KeyCache(_DigestCache):
    """Maps HMAC(process secret, user id | salt | passphrase) to a user's data key.

    The passphrase itself is never kept: only a keyed digest of it, under a
    secret that dies with the process. A wrong passphrase gives another digest,
    so it can never be answered from here. The salt is part of the digest, so a
    passphrase change (which draws a new salt) strands old entries in every
    process without any message between them.
    """

    @staticmethod
    def _message(user_id, salt, passphrase):
        return b"%d|%s|%s" % (user_id, salt.hex().encode(), passphrase.encode("utf-8"))

    def get(self, user_id, salt, passphrase):
        return self._get(self._message(user_id, salt, passphrase))

    def put(self, user_id, salt, passphrase, data_key):
        self._put(self._message(user_id, salt, passphrase), user_id, data_key)


class CollectionKeyCache(_DigestCache):
    """Maps HMAC(process secret, member | collection | key version | the member's sealed copy) to a collection key.

    Looked up only after the request read the member's row in the database
    (and its passphrase opened the data key): a removed member has no row, so
    nothing to look up with, and a rotation changes the version and the copy,
    so an old key is never answered, in any process.
    """

    @staticmethod
    def _message(user_id, collection_id, version, sealed_copy):
        return b"%d|%d|%d|%s" % (user_id, collection_id, version, bytes(sealed_copy).hex().encode())

    def get(self, user_id, collection_id, version, sealed_copy):
        return self._get(self._message(user_id, collection_id, version, sealed_copy))

    def put(self, user_id, collection_id, version, sealed_copy, collection_key):
        self._put(self._message(user_id, collection_id, version, sealed_copy), user_id, collection_key)
