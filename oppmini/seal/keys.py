"""Key pairs and collection keys: who can open what, at rest.

Each user has an X25519 key pair; the private key is sealed under the user's
data key (AES-EAX, bound to the user row), so only their passphrase opens it.
A collection has a random 256-bit key; each member holds a copy sealed to
their public key with HPKE (RFC 9180: DHKEM(X25519, HKDF-SHA256),
HKDF-SHA256, AES-256-GCM), whose info binds collection, member and key
version, so a copy moved to another member, collection or version fails.

Collection records are sealed with `crypto.seal` under the collection key,
bound with `collection_owner(id)` where a personal record has its user id:
`c5` never equals `5`, so a collection's record and a user's never share a
binding. The server sees every key while it serves a member's request.
"""

from Crypto.Protocol import HPKE
from Crypto.PublicKey import ECC

from . import crypto
from .crypto import SealError

CURVE = "curve25519"
PUBLIC_KEY_BYTES = 32
AEAD = HPKE.AEAD.AES256_GCM
# HPKE's encapsulated key (32 bytes for X25519) comes first in a stored copy.
ENC_BYTES = 32
PRIVATE_KEYS_TABLE = "private_keys"


def collection_owner(collection_id):
    """The owner part of a collection record's binding (crypto.bind), apart from every user id."""
    return f"c{collection_id}"


def new_key_pair(data_key, user_id):
    """(public key, 32 raw bytes; private key sealed under `data_key`, bound to the user)."""
    private = ECC.generate(curve=CURVE)
    public = private.public_key().export_key(format="raw")
    return public, crypto.seal(data_key, private.seed, _private_binding(user_id))


def ensure_key_pair(conn, user, data_key):
    """Give `user` (a users row, updated in place) a key pair if it has none yet.

    Called wherever a passphrase has just opened the data key: users created
    before sharing existed get theirs at their next unlock. A concurrent
    unlock that stored a pair first wins; this one's is dropped.
    """
    if user.get("public_key") is not None:
        return
    public, sealed_private = new_key_pair(data_key, user["user_id"])
    if conn.run("update_user_key_pair", user_id=user["user_id"], public_key=public, sealed_private_key=sealed_private):
        user["public_key"], user["sealed_private_key"] = public, sealed_private
    else:
        stored = conn.run("get_user_by_name", username=user["username"])
        user["public_key"], user["sealed_private_key"] = stored["public_key"], stored["sealed_private_key"]


def open_private_key(data_key, user_id, sealed_private_key):
    """The user's private key; SealError when the record does not open under this data key and row."""
    seed = crypto.open_sealed(data_key, sealed_private_key, _private_binding(user_id))
    return ECC.construct(curve=CURVE, seed=seed)


def new_collection_key():
    return crypto.new_data_key()


def seal_to_member(public_key, collection_key, collection_id, user_id, version):
    """The member's copy of a collection key: HPKE enc || ciphertext, needing only the public key."""
    receiver = ECC.construct(curve=CURVE, point_x=int.from_bytes(bytes(public_key), "little"))
    sender = HPKE.new(receiver_key=receiver, aead_id=AEAD, info=_info(collection_id, user_id, version))
    sealed = sender.seal(bytes(collection_key))
    return sender.enc + sealed


def open_member_copy(private_key, sealed_copy, collection_id, user_id, version):
    """The collection key from a member's copy; SealError for a wrong key, member, collection or version."""
    sealed_copy = bytes(sealed_copy)
    try:
        receiver = HPKE.new(
            receiver_key=private_key,
            aead_id=AEAD,
            enc=sealed_copy[:ENC_BYTES],
            info=_info(collection_id, user_id, version),
        )
        return crypto.DataKey(receiver.unseal(sealed_copy[ENC_BYTES:]))
    except ValueError:
        raise SealError("collection key copy does not open") from None


def _info(collection_id, user_id, version):
    return f"oppmini:collection-key:{collection_id}:{user_id}:{version}".encode("ascii")


def _private_binding(user_id):
    return crypto.bind(PRIVATE_KEYS_TABLE, user_id, user_id)
