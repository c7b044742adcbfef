"""Accounts: login hashes, security stamps and each user's sealed data key."""

import logging
import secrets
import time
import unicodedata

from ..contract import errors
from ..metrics import NO_METRICS
from ..seal import crypto, keys
from ..seal.crypto import KdfGate, KdfParams, PasswordCheck, SealError
from ..seal.keycache import CollectionKeyCache, KeyCache

log = logging.getLogger(__name__)

MIN_PHRASE_LENGTH = 6
# In characters, as the MySQL/MariaDB column holds them (VARCHAR(255)).
MAX_USERNAME_LENGTH = 255


def new_username(username):
    """(the name a new or renamed account gets for `username`, why no account may have it or None).

    The name is the NFC form, so one name typed as composed or decomposed
    characters is one account; the rule is the same on every backend.
    """
    name = unicodedata.normalize("NFC", username)
    if len(name) > MAX_USERNAME_LENGTH:
        return name, errors.USERNAME_TOO_LONG.format(limit=MAX_USERNAME_LENGTH)
    categories = {unicodedata.category(char) for char in name}
    # Cc: NUL, line breaks, escapes and the other C0/C1 controls.
    if "Cc" in categories:
        return name, errors.USERNAME_CONTROL
    # Cs: a lone surrogate, as a command line that is not UTF-8 hands over.
    if "Cs" in categories:
        return name, errors.USERNAME_NOT_TEXT
    # Cf: invisible or direction-changing (U+202E, U+200B, U+2066 ...), with
    # which a member list would show one user as another.
    if "Cf" in categories:
        invisible = next(char for char in name if unicodedata.category(char) == "Cf")
        return name, errors.USERNAME_INVISIBLE.format(code_point=f"U+{ord(invisible):04X}")
    return name, None


def user_named(conn, username):
    """The user row of `username` as typed, else of its NFC form, or None.

    As typed first: accounts named before names were normalised keep the
    name they chose, whatever characters it holds. Then the NFC form, the
    one a name typed decomposed at sign-up was stored in.
    """
    user = conn.run("get_user_by_name", username=username)
    composed = unicodedata.normalize("NFC", username)
    if user is None and composed != username:
        user = conn.run("get_user_by_name", username=composed)
    return user


def collection_keys_per_user(config):
    """The collection keys one user may hold in the cache: all of theirs, up to a quarter of the cache."""
    return max(1, min(config.max_collections_per_user, config.key_cache_size // 4))


def new_stamp():
    return secrets.token_urlsafe(16)


def key_binding(user_id):
    return crypto.bind("users", user_id, user_id)


class Accounts:
    """Everything that needs a user's secrets; handlers call these, never crypto directly."""

    def __init__(self, config, clock=time.time, metrics=NO_METRICS):
        self.metrics = metrics
        self.kdf_params = KdfParams.from_config(config)
        self.kdf_gate = KdfGate(config.argon2_concurrency, config.argon2_wait, metrics)
        self.passwords = PasswordCheck(self.kdf_params, self.kdf_gate)
        self.key_cache = KeyCache(config.key_cache_ttl, config.key_cache_size)
        # Unsealed collection keys (sharing), under the same settings as data keys; one user may hold a
        # quarter of them at most (all of theirs at the defaults: 200 collections, 1024 entries), so that a
        # member of many collections cannot push out everyone else's keys.
        self.collection_keys = CollectionKeyCache(
            config.key_cache_ttl, config.key_cache_size, per_user=collection_keys_per_user(config)
        )
        self.clock = clock

    def create(self, conn, username, password, passphrase):
        """A new user with a fresh data key; raises db.Duplicate when the name is taken."""
        # The slow Argon2 work happens before the write lock is taken.
        password_hash = self.passwords.hash(password)
        wrapping = self._wrapping_key(passphrase)
        with conn.transaction():
            user_id = conn.run(
                "insert_user",
                username=username,
                password_hash=password_hash,
                security_stamp=new_stamp(),
                key_salt=b"",
                key_params="",
                sealed_key=b"",
                created_at=int(self.clock()),
            )
            # The data key is sealed bound to the user id, known only after the insert.
            data_key = crypto.new_data_key()
            self._store_key(conn, user_id, data_key, wrapping)
            # Sharing's key pair, so others can add the new user to a collection at once.
            public, sealed_private = keys.new_key_pair(data_key, user_id)
            conn.run("update_user_key_pair", user_id=user_id, public_key=public, sealed_private_key=sealed_private)
        return user_id

    def authenticate(self, conn, username, password):
        """The user row when the password is right, else None."""
        user, right = self.check_password(conn, username, password)
        return user if right else None

    def check_password(self, conn, username, password):
        """(the named user's row or None, whether the password is right).

        Every answer costs one Argon2 computation at the current settings: an
        unknown name verifies a decoy, and a hash made with older settings is
        followed by the decoy (wrong password) or by its rehash (right one), so
        the time tells neither an unknown name nor an old account.
        """
        user = user_named(conn, username) if username and password else None
        if user is None:
            self.passwords.burn(password or "")
            return None, False
        outdated = self.passwords.needs_rehash(user["password_hash"])
        if not self.passwords.verify(user["password_hash"], password):
            if outdated:
                self.passwords.burn(password)
            return user, False
        if outdated:
            conn.run("update_user_hash", user_id=user["user_id"], password_hash=self.passwords.hash(password))
        return user, True

    def cached_key(self, user, passphrase):
        """The user's data key when this passphrase opened it lately, else None; no Argon2 work."""
        data_key = self.key_cache.get(user["user_id"], bytes(user["key_salt"]), passphrase)
        self.metrics.key_cache(hit=data_key is not None)
        return data_key

    def unlock(self, user, passphrase):
        """The user's data key, or None when the passphrase is wrong."""
        user_id, salt = user["user_id"], bytes(user["key_salt"])
        data_key = self.key_cache.get(user_id, salt, passphrase)
        if data_key is not None:
            return data_key
        try:
            params = KdfParams.decode(user["key_params"])
        except ValueError as why:
            # Only a row written outside oppmini gets here. No passphrase can
            # open that key, so the answer is the wrong-passphrase one, not a 500,
            # and no Argon2 work is spent on unchecked costs; the log says why.
            log.error("user %s: stored key_params %s; no passphrase can unlock this vault", user_id, why)
            return None
        wrapping_key = crypto.derive_key(passphrase, salt, params, self.kdf_gate)
        try:
            data_key = crypto.DataKey(crypto.open_sealed(wrapping_key, user["sealed_key"], key_binding(user_id)))
        except SealError:
            return None
        self.key_cache.put(user_id, salt, passphrase, data_key)
        return data_key

    def update(
        self, conn, user_id, new_username=None, new_password=None, new_passphrase=None, data_key=None, also=None
    ):
        """Rename, new password (revoking tokens), new passphrase (re-wrapping `data_key`):
        all in one transaction, so a taken name (db.Duplicate) applies none of them.
        `also()` runs last inside it (the activity events of the change)."""
        # Argon2 work first, outside the write lock.
        password_hash = self.passwords.hash(new_password) if new_password is not None else None
        wrapping = self._wrapping_key(new_passphrase) if new_passphrase is not None else None
        with conn.transaction():
            if new_username is not None:
                conn.run("update_user_name", user_id=user_id, username=new_username)
            if password_hash is not None:
                conn.run(
                    "update_user_password", user_id=user_id, password_hash=password_hash, security_stamp=new_stamp()
                )
                conn.run("delete_user_sessions", user_id=user_id)
            if wrapping is not None:
                # O(1): only the data key is re-sealed; no record is touched.
                self._store_key(conn, user_id, data_key, wrapping)
            if also is not None:
                also()
        if wrapping is not None:
            self.key_cache.forget_user(user_id)

    def revoke_tokens(self, conn, user_id):
        """Every token of the user: a new stamp refuses them, and their sessions go."""
        conn.run("update_user_stamp", user_id=user_id, security_stamp=new_stamp())
        conn.run("delete_user_sessions", user_id=user_id)

    def delete(self, conn, user_id):
        """The user and, through the schema's cascades, every row it owns; the items it made in
        collections with other members stay there (handed over to another member)."""
        conn.run("update_items_handed_over", user_id=user_id)
        conn.run("update_history_handed_over", user_id=user_id)
        conn.run("update_attachments_handed_over", user_id=user_id)
        conn.run("delete_user", user_id=user_id)
        self.key_cache.forget_user(user_id)
        self.collection_keys.forget_user(user_id)

    def _wrapping_key(self, passphrase):
        salt = crypto.new_salt()
        return salt, crypto.derive_key(passphrase, salt, self.kdf_params, self.kdf_gate)

    def _store_key(self, conn, user_id, data_key, wrapping):
        salt, wrapping_key = wrapping
        conn.run(
            "update_user_key",
            user_id=user_id,
            key_salt=salt,
            key_params=self.kdf_params.encode(),
            sealed_key=crypto.seal(wrapping_key, data_key, key_binding(user_id)),
        )
