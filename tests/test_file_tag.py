"""FileTag: the GMAC of a file's sealed chunks kept in its header, which a download checks first."""

import secrets

from Crypto.Cipher import AES
from Crypto.Hash import SHA256
from Crypto.Protocol.KDF import HKDF

from oppmini.seal.files import TAG_BYTES, TAG_KEY_INFO, FileTag

KEY = secrets.token_bytes(32)
CHUNKS = [secrets.token_bytes(65536 + 33), secrets.token_bytes(65536 + 33), secrets.token_bytes(1000 + 33)]
SIZE = 2 * 65536 + 1000


def tag_of(chunks, size=SIZE, key=KEY, attachment_id=7):
    tag = FileTag(key, attachment_id)
    for chunk in chunks:
        tag.update(chunk)
    return tag.digest(size)


def matches(chunks, size=SIZE, tag=None, attachment_id=7):
    check = FileTag(KEY, attachment_id)
    for chunk in chunks:
        check.update(chunk)
    return check.matches(size, tag_of(CHUNKS) if tag is None else tag)


def test_the_same_chunks_and_size_match_and_the_tag_is_sixteen_bytes():
    assert len(tag_of(CHUNKS)) == TAG_BYTES
    assert matches(CHUNKS)


def test_any_change_to_the_chunks_or_the_size_does_not_match():
    flipped = bytearray(CHUNKS[1])
    flipped[40000] ^= 1
    assert not matches([CHUNKS[0], bytes(flipped), CHUNKS[2]])
    assert not matches([CHUNKS[1], CHUNKS[0], CHUNKS[2]])  # swapped
    assert not matches(CHUNKS[:2])  # the last one dropped
    assert not matches(CHUNKS, size=SIZE - 1)
    assert not matches(CHUNKS, attachment_id=8)  # another file's tag


def test_the_tag_is_made_under_a_key_of_its_own_not_the_file_key():
    gmac = AES.new(KEY, AES.MODE_GCM, nonce=(7).to_bytes(12, "big"), mac_len=TAG_BYTES)
    for chunk in CHUNKS:
        gmac.update(chunk)
    gmac.update(SIZE.to_bytes(8, "big"))
    assert gmac.digest() != tag_of(CHUNKS)
    assert tag_of(CHUNKS, key=secrets.token_bytes(32)) != tag_of(CHUNKS)


def test_the_tag_is_the_gmac_that_pycryptodome_makes_under_the_derived_key():
    # Files uploaded while their tags were made by pycryptodome's GCM keep matching.
    key = HKDF(KEY, 32, b"", SHA256, context=TAG_KEY_INFO)
    gmac = AES.new(key, AES.MODE_GCM, nonce=(7).to_bytes(12, "big"), mac_len=TAG_BYTES)
    for chunk in CHUNKS:
        gmac.update(chunk)
    gmac.update(SIZE.to_bytes(8, "big"))
    assert matches(CHUNKS, tag=gmac.digest())
