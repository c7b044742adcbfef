"""oppmini/seal/bulk.py, OpenSSL's AES modes, held to pycryptodome's: the same bytes, so nothing stored changes."""

import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from Crypto.Cipher import AES

from oppmini.seal import bulk

# Counters at the edges OpenSSL's 32-bit counter routines meet: the low word about to wrap into the
# word above, and all 128 bits about to wrap to zero (EAX's counter block is OMAC0(nonce), any value).
COUNTERS = {
    "anywhere": bytes.fromhex("0123456789abcdeffedcba9876543210"),
    "low word wraps": bytes.fromhex("0123456789abcdef01234567fffffff0"),
    "all 128 bits wrap": bytes.fromhex("fffffffffffffffffffffffffffffff0"),
}


@pytest.mark.parametrize("length", [0, 1, 15, 16, 17, 350, 64 * 1024, 64 * 1024 + 49])
@pytest.mark.parametrize("counter", COUNTERS.values(), ids=COUNTERS.keys())
def test_ctr_is_pycryptodomes_ctr_over_all_128_bits(counter, length):
    rng = random.Random(length)
    key, data = rng.randbytes(32), rng.randbytes(length)
    theirs = AES.new(key, AES.MODE_CTR, initial_value=counter, nonce=b"").encrypt(data)
    assert bulk.Aes(key).ctr(counter).update(data) == theirs
    into = bytearray(length)
    bulk.Aes(key).ctr(counter).update_into(data, into)
    assert into == theirs


@pytest.mark.parametrize("blocks", [1, 2, 4095, 4096])
def test_cbc_last_block_is_the_last_block_of_pycryptodomes_cbc(blocks):
    rng = random.Random(blocks)
    key, iv, data = rng.randbytes(32), rng.randbytes(16), rng.randbytes(16 * blocks)
    theirs = AES.new(key, AES.MODE_CBC, iv=iv).encrypt(data)
    scratch = bytearray(len(data) + 15)
    assert bulk.Aes(key).cbc_last_block(iv, memoryview(data), scratch) == theirs[-16:]


def test_gmac_fed_in_pieces_of_any_length_is_pycryptodomes_gcm_tag():
    rng = random.Random(3)
    key, nonce = rng.randbytes(32), rng.randbytes(12)
    pieces = [rng.randbytes(n) for n in (64 * 1024 + 33, 1, 0, 15, 64 * 1024 + 33, 1033, 8)]
    theirs = AES.new(key, AES.MODE_GCM, nonce=nonce, mac_len=16)
    ours = bulk.Gmac(key, nonce)
    for piece in pieces:
        theirs.update(piece)
        ours.update(memoryview(piece))
    assert ours.digest() == theirs.digest()
    other = bulk.Gmac(key, nonce)
    for piece in pieces[:-1]:
        other.update(piece)
    assert other.digest() != theirs.digest()


def test_ecb_is_pycryptodomes_ecb_call_after_call_and_refuses_a_partial_block():
    rng = random.Random(5)
    key = rng.randbytes(32)
    ours, theirs = bulk.Aes(key), AES.new(key, AES.MODE_ECB)
    for blocks in (1, 3, 50, 2000, 1):
        data = rng.randbytes(16 * blocks)
        assert ours.ecb(data) == theirs.encrypt(data)
    with pytest.raises(ValueError):
        ours.ecb(rng.randbytes(17))
    data = rng.randbytes(48)
    assert ours.ecb(data) == theirs.encrypt(data)  # nothing of the refused call held back


def test_ecb_shared_by_threads_gives_each_call_its_own_answer():
    # A key's opener, and so its Aes, serves every request thread of a process (the key cache).
    rng = random.Random(6)
    key = rng.randbytes(32)
    ours, theirs = bulk.Aes(key), AES.new(key, AES.MODE_ECB)
    inputs = [rng.randbytes(16 * rng.randrange(1, 4000)) for _ in range(64)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ours.ecb, inputs * 4))
    assert answers == [theirs.encrypt(data) for data in inputs * 4]
