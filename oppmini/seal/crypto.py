"""Argon2id hashing and key derivation, and AES-EAX records bound to their row."""

import contextlib
import operator
import re
import secrets
import threading
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import Type, hash_secret_raw
from Crypto.Cipher import AES

from ..metrics import NO_METRICS
from .eax import EaxOpener

KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 16
TAG_BYTES = 16
# The first byte of every sealed record names the scheme, so it can change later.
RECORD_VERSION = 1
RECORD_OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES
SEALED_KEY_BYTES = RECORD_OVERHEAD + KEY_BYTES

# Argon2id costs accepted anywhere, from one place: the configuration, each
# user's stored key parameters and password hash, a backup. Argon2 itself
# needs 8 KiB per lane; the ceilings bound what one login or unlock may take
# (four times the default memory), so that a stored value can never make one
# request hold a gigabyte or run for minutes.
ARGON2_MEMORY_KIB = (8, 256 * 1024)
ARGON2_TIME_COST = (1, 16)
ARGON2_PARALLELISM = (1, 255)
ARGON2_KIB_PER_LANE = 8
# Salts of stored hashes and keys, in bytes: Argon2's minimum to four times what oppmini draws.
ARGON2_SALT_BYTES = (8, 4 * SALT_BYTES)
# Password hashes' digests, in bytes (argon2-cffi writes 32).
ARGON2_HASH_BYTES = (16, 64)


class SealError(Exception):
    """A record that does not open: wrong key, tampered, truncated or moved."""


class KdfBusy(Exception):
    """Every Argon2 slot stayed taken for the whole wait; the caller should try again."""


class KdfGate:
    """At most `slots` Argon2 computations at once in this process.

    Each one holds tens of MiB for a third of a second, so without a bound a
    flood of wrong passphrases would take the memory and every thread.
    """

    def __init__(self, slots, wait_seconds, metrics=NO_METRICS):
        self._slots = threading.BoundedSemaphore(slots)
        self.wait_seconds = wait_seconds
        self.metrics = metrics

    @contextlib.contextmanager
    def slot(self):
        if not self._slots.acquire(blocking=False):
            # Every slot taken: a wait the operator should see before it becomes 503s.
            if not self._slots.acquire(timeout=self.wait_seconds):
                self.metrics.kdf_wait("timed_out")
                raise KdfBusy()
            self.metrics.kdf_wait("acquired")
        try:
            yield
        finally:
            self._slots.release()


UNGATED = KdfGate(1 << 30, 0)


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost, stored per user so a later change of defaults keeps old keys openable."""

    memory_kib: int
    time_cost: int
    parallelism: int

    def __post_init__(self):
        problem = cost_problem(self.memory_kib, self.time_cost, self.parallelism)
        if problem:
            raise ValueError(problem)

    def encode(self):
        return f"argon2id$m={self.memory_kib},t={self.time_cost},p={self.parallelism}"

    @classmethod
    def decode(cls, text):
        """The parameters `encode` wrote; ValueError naming the fault for anything else."""
        match = _KDF_PARAMS.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError("is not key parameters of the form 'argon2id$m=<KiB>,t=<passes>,p=<lanes>'")
        return cls(*map(int, match.groups()))

    @classmethod
    def from_config(cls, config):
        return cls(config.argon2_memory_kib, config.argon2_time_cost, config.argon2_parallelism)


# Digits only, at most 10 of them: no sign, space or underscore that int() would take.
_COST = "([0-9]{1,10})"
_KDF_PARAMS = re.compile(rf"argon2id\$m={_COST},t={_COST},p={_COST}")
PASSWORD_HASH_FORM = "$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>"
_PASSWORD_HASH = re.compile(rf"\$argon2id\$v=19\$m={_COST},t={_COST},p={_COST}\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)")


def cost_problem(memory_kib, time_cost, parallelism):
    """What makes these Argon2id costs unacceptable, or None when they are within the bounds."""
    for name, value, (low, high) in (
        ("m", memory_kib, ARGON2_MEMORY_KIB),
        ("t", time_cost, ARGON2_TIME_COST),
        ("p", parallelism, ARGON2_PARALLELISM),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return f"has {name}={value}, outside the accepted {low} to {high}"
    if memory_kib < ARGON2_KIB_PER_LANE * parallelism:
        return f"has m={memory_kib}, less than {ARGON2_KIB_PER_LANE} x p={parallelism}"
    return None


def check_password_hash(encoded):
    """Raise ValueError naming the fault unless `encoded` is an Argon2id hash (version 19)
    with costs, salt and digest within the bounds above."""
    match = _PASSWORD_HASH.fullmatch(encoded) if isinstance(encoded, str) else None
    if match is None:
        raise ValueError(f"is not an Argon2id hash of the form '{PASSWORD_HASH_FORM}'")
    problem = cost_problem(*map(int, match.groups()[:3]))
    if problem:
        raise ValueError(problem)
    for name, text, (low, high) in (("salt", match[4], ARGON2_SALT_BYTES), ("hash", match[5], ARGON2_HASH_BYTES)):
        if len(text) % 4 == 1 or not low <= len(text) * 3 // 4 <= high:
            raise ValueError(f"has a {name} of {len(text) * 3 // 4} bytes, outside the accepted {low} to {high}")


class PasswordCheck:
    """Login passwords as argon2-cffi encoded hashes, with rehash-on-login."""

    def __init__(self, params, gate=UNGATED):
        self.gate = gate
        self.hasher = PasswordHasher(
            time_cost=params.time_cost,
            memory_cost=params.memory_kib,
            parallelism=params.parallelism,
        )
        # Checked against when the user does not exist, so an unknown name
        # costs the same Argon2 work as a wrong password.
        self.decoy = self.hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password):
        with self.gate.slot():
            return self.hasher.hash(password)

    def verify(self, encoded, password):
        try:
            with self.gate.slot():
                return self.hasher.verify(encoded, password)
        except (VerificationError, InvalidHashError):
            return False

    def burn(self, password):
        """Spend one verification's work for nothing; always False."""
        self.verify(self.decoy, password)
        return False

    def needs_rehash(self, encoded):
        """Whether `encoded` was made with other settings than the current ones (or is no Argon2 hash)."""
        try:
            return self.hasher.check_needs_rehash(encoded)
        except (InvalidHashError, ValueError):
            return True


def new_salt():
    return secrets.token_bytes(SALT_BYTES)


def new_data_key():
    return secrets.token_bytes(KEY_BYTES)


def derive_key(passphrase, salt, params, gate=UNGATED):
    """The key-encryption key: Argon2id over the passphrase with the user's salt."""
    with gate.slot():
        return hash_secret_raw(
            secret=passphrase.encode("utf-8"),
            salt=salt,
            time_cost=params.time_cost,
            memory_cost=params.memory_kib,
            parallelism=params.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )


def bind(table, user_id, row_id):
    """Associated data that ties a record to one row of one owner."""
    return f"oppmini:{table}:{user_id}:{row_id}".encode("ascii")


def seal(key, plaintext, binding):
    """version || nonce || tag || ciphertext, authenticated together with `binding`."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    cipher = AES.new(key, AES.MODE_EAX, nonce=nonce, mac_len=TAG_BYTES)
    header = bytes([RECORD_VERSION])
    cipher.update(header + binding)
    ciphertext, tag = cipher.encrypt_and_digest(plaintext)
    return header + nonce + tag + ciphertext


def is_sealed_record(record):
    """Whether `record` has the shape `seal` gives (version, nonce, tag); says nothing of its key."""
    return len(record) >= 1 + NONCE_BYTES + TAG_BYTES and record[0] == RECORD_VERSION


def open_sealed(key, record, binding):
    """The plaintext of a record sealed by `seal` under the same key and binding."""
    record = bytes(record)
    if not is_sealed_record(record):
        raise SealError("not a sealed record of a known version")
    nonce = record[1 : 1 + NONCE_BYTES]
    tag = record[1 + NONCE_BYTES : 1 + NONCE_BYTES + TAG_BYTES]
    opener = key.opener() if isinstance(key, DataKey) else EaxOpener(key)
    try:
        return opener.decrypt_and_verify(nonce, record[:1] + binding, record[1 + NONCE_BYTES + TAG_BYTES :], tag)
    except ValueError:
        raise SealError("authentication failed") from None


def open_sealed_many(key, sealed):
    """The plaintexts of many (record, binding) pairs under one DataKey, opened as one batch;
    None in place of any that does not open (its tag is checked before anything is decrypted)."""
    if not sealed:
        return []
    records, bindings = zip(*sealed, strict=True)
    records = list(map(bytes, records))
    tags = list(map(_TAG, records))
    # Every record of the right shape (the usual case, checked in C), or the ones that are.
    shaped = min(map(len, records)) >= RECORD_OVERHEAD and set(map(_VERSION, records)) == {RECORD_VERSION}
    if not shaped:
        shaped = list(map(is_sealed_record, records))
        # A record of the wrong shape takes part with an empty tag, which never matches.
        tags = [tag if ok else b"" for tag, ok in zip(tags, shaped, strict=True)]
    headers = [record[:1] + binding for record, binding in zip(records, bindings, strict=True)]
    opened = key.opener().open_columns(list(map(_NONCE, records)), headers, list(map(_CIPHERTEXT, records)), tags)
    return (
        opened if shaped is True else [plaintext if ok else None for plaintext, ok in zip(opened, shaped, strict=True)]
    )


# The parts of a sealed record (version || nonce || tag || ciphertext), cut from many records in C.
_VERSION = operator.itemgetter(0)
_NONCE = operator.itemgetter(slice(1, 1 + NONCE_BYTES))
_TAG = operator.itemgetter(slice(1 + NONCE_BYTES, RECORD_OVERHEAD))
_CIPHERTEXT = operator.itemgetter(slice(RECORD_OVERHEAD, None))


class DataKey(bytes):
    """A user's data key, keeping what opening records needs of it for as long as it lives.

    The prepared EAX state (key schedule, CMAC subkeys) derives from this key
    alone and dies with it: in the key cache, or with the request.
    """

    def opener(self):
        opener = self.__dict__.get("_opener")
        if opener is None:
            opener = self._opener = EaxOpener(self)
        return opener
