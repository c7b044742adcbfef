"""Attachments' sealing: each file's own key, and the file in chunks bound to their place in it.

An attachment has a random 256-bit file key. The key, the file's name and its
media type are one header record, sealed under the item's key (the owner's
data key or the collection key) and bound to (item, attachment): a rotation
or a move of the item re-seals the header alone. The file is cut into chunks
of CHUNK_BYTES, each sealed with AES-EAX under the file key and bound to
(attachment, chunk index, whether it is the last): a chunk moved to another
place, another file or the end of a cut file does not open.

The header also holds the file's tag: a GMAC of its sealed chunks in order and
its size, under a key of its own derived from the file key. A download checks
it, sealed and so beyond anyone's reach who cannot open the header, before its
first byte, and then only decrypts the chunks: the same certainty as checking
every chunk's EAX tag first, at about a twentieth of the work (GHASH against
AES-CBC, both OpenSSL's: seal/bulk.py). Files sealed before the tag existed
have none, and are checked chunk by chunk as they always were.
"""

import base64
import hmac
import json
import secrets
from dataclasses import dataclass

from Crypto.Hash import SHA256
from Crypto.Protocol.KDF import HKDF

from . import bulk, crypto
from .crypto import NONCE_BYTES, RECORD_OVERHEAD, SealError
from .eax import EaxOpener

CHUNK_BYTES = 64 * 1024
HEADERS_TABLE = "attachments"
CHUNKS_TABLE = "attachment_chunks"
# What a sealed chunk adds to its plaintext.
CHUNK_OVERHEAD = RECORD_OVERHEAD


# What the file tag's key is derived for: never the key of anything else.
TAG_KEY_INFO = b"oppmini:attachment_chunks:file-tag"
TAG_BYTES = 16


@dataclass(frozen=True)
class FileHeader:
    key: bytes
    name: str
    media_type: str
    tag: bytes | None = None  # FileTag's digest; None for files sealed before it existed


def new_file_key():
    return crypto.new_data_key()


def chunk_count(size):
    """How many chunks hold `size` bytes: an empty file is one empty (sealed) chunk."""
    return max(1, -(-size // CHUNK_BYTES))


def seal_header(item_key, item_id, attachment_id, header):
    values = {"key": base64.b64encode(header.key).decode("ascii"), "name": header.name, "type": header.media_type}
    if header.tag is not None:
        values["tag"] = base64.b64encode(header.tag).decode("ascii")
    plaintext = json.dumps(values, ensure_ascii=False).encode("utf-8")
    return crypto.seal(item_key, plaintext, crypto.bind(HEADERS_TABLE, item_id, attachment_id))


def open_header(item_key, item_id, attachment_id, record):
    """The FileHeader sealed by seal_header; SealError when it does not open or is not one."""
    plaintext = crypto.open_sealed(item_key, record, crypto.bind(HEADERS_TABLE, item_id, attachment_id))
    try:
        values = json.loads(plaintext.decode("utf-8"))
        key = base64.b64decode(values["key"], validate=True)
        name, media_type = values["name"], values["type"]
        tag = base64.b64decode(values["tag"], validate=True) if "tag" in values else None
    except (ValueError, KeyError, TypeError):
        raise SealError("unexpected header layout") from None
    if len(key) != crypto.KEY_BYTES or not isinstance(name, str) or not isinstance(media_type, str):
        raise SealError("unexpected header layout")
    if tag is not None and len(tag) != TAG_BYTES:
        raise SealError("unexpected header layout")
    return FileHeader(key, name, media_type, tag)


def chunk_binding(attachment_id, index, last):
    return crypto.bind(CHUNKS_TABLE, attachment_id, f"{index}.{'last' if last else 'more'}")


class FileTag:
    """The GMAC of one file's sealed chunks, given in order with update(), and of its size.

    GMAC is GCM with nothing to encrypt: its GHASH runs on the CPU's carry-less
    multiply. Its key, derived from the file key, serves this one file, whose
    id is the nonce; the sealed chunks' lengths are fixed by their places, so
    their concatenation is read one way only.
    """

    def __init__(self, file_key, attachment_id):
        key = HKDF(file_key, crypto.KEY_BYTES, b"", SHA256, context=TAG_KEY_INFO)
        self._gmac = bulk.Gmac(key, attachment_id.to_bytes(12, "big"))

    def update(self, sealed_chunk):
        self._gmac.update(sealed_chunk)

    def digest(self, size):
        """The tag, once every chunk went in; the file's `size` in bytes ends it."""
        self._gmac.update(size.to_bytes(8, "big"))
        return self._gmac.digest()

    def matches(self, size, tag):
        """Whether the chunks given, and `size`, are those `tag` was made of (compared in constant time)."""
        return hmac.compare_digest(self.digest(size), tag)


class ChunkCipher:
    """Seals, checks and opens the chunks of one file under its key (the key's AES set-up made once)."""

    def __init__(self, file_key):
        self._opener = EaxOpener(file_key)

    def seal_into(self, attachment_id, chunks, records):
        """Seal each (index, data, last) of `chunks`, bound to its place, into the buffer of `records`
        given for it: a bytearray of CHUNK_OVERHEAD + len(data) bytes, laid out as crypto.seal lays
        a record out (version, nonce, tag, ciphertext). The ciphertext is written there directly,
        never copied, and the AES calls the chunks can share are shared."""
        randomness = secrets.token_bytes(NONCE_BYTES * len(chunks))  # one system call for the batch
        nonces = [randomness[NONCE_BYTES * i : NONCE_BYTES * (i + 1)] for i in range(len(chunks))]
        version = bytes([crypto.RECORD_VERSION])
        headers = [version + chunk_binding(attachment_id, index, last) for index, _, last in chunks]
        outputs = [memoryview(record)[RECORD_OVERHEAD:] for record in records]
        tags = self._opener.encrypt_many(nonces, headers, [data for _, data, _ in chunks], outputs)
        for i, (record, nonce) in enumerate(zip(records, nonces, strict=True)):
            record[0] = crypto.RECORD_VERSION
            record[1 : 1 + NONCE_BYTES] = nonce
            record[1 + NONCE_BYTES : RECORD_OVERHEAD] = tags[crypto.TAG_BYTES * i : crypto.TAG_BYTES * (i + 1)]

    def open_checked_many(self, records):
        """The bytes of chunks whose file was checked, as read again from the same snapshot, one
        chunk at a time: the keystream alone, no MAC, the counter blocks of all in one AES call."""
        records = list(map(memoryview, records))
        nonces = [bytes(record[1 : 1 + NONCE_BYTES]) for record in records]
        return self._opener.decrypt_checked_many(nonces, [record[RECORD_OVERHEAD:] for record in records])

    def check(self, attachment_id, index, last, record):
        """Whether the chunk is this file's chunk `index` (and its last one, if `last`); decrypts nothing."""
        parts = _parts(record, attachment_id, index, last)
        return parts is not None and self._opener.verify(*parts)


def _parts(record, attachment_id, index, last):
    """(nonce, header, ciphertext, tag) of a sealed chunk, as crypto.seal lays a record out; None if misshapen."""
    record = bytes(record)
    if not crypto.is_sealed_record(record):
        return None
    header = record[:1] + chunk_binding(attachment_id, index, last)
    # A view of the ciphertext: its 64 KiB are not copied to be cut out.
    ciphertext = memoryview(record)[RECORD_OVERHEAD:]
    return record[1 : 1 + NONCE_BYTES], header, ciphertext, record[1 + NONCE_BYTES : RECORD_OVERHEAD]
