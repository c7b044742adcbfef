"""EaxOpener.open_many, the batched opening of fetchall and GET /v1/items, held to pycryptodome's EAX."""

import os
import random

from Crypto.Cipher import AES

from conftest import execute_raw
from oppmini.eax import BLOCK, EaxOpener
from test_eax import stock_opens, stock_seal

LENGTHS = [0, 1, 15, 16, 17, 31, 32, 33, 350, 4096 + 5]


def random_message(rng, key, length=None):
    nonce = rng.randbytes(rng.choice([16, 16, 16, 1, 12, 33]))
    header = rng.randbytes(rng.choice([0, 1, 15, 16, 17, 28, 40]))
    plaintext = rng.randbytes(rng.choice(LENGTHS) if length is None else length)
    ciphertext, tag = stock_seal(key, nonce, header, plaintext)
    return (nonce, header, ciphertext, tag), plaintext


def test_batches_of_mixed_lengths_open_exactly_as_pycryptodome_seals():
    rng = random.Random(16)
    for _ in range(40):
        key = rng.randbytes(rng.choice([16, 24, 32]))
        batch = [random_message(rng, key) for _ in range(rng.randint(1, 30))]
        assert EaxOpener(key).open_many([message for message, _ in batch]) == [plain for _, plain in batch]
    key = os.urandom(32)
    every_length = [random_message(rng, key, length) for length in LENGTHS for _ in range(3)]
    assert EaxOpener(key).open_many([m for m, _ in every_length]) == [p for _, p in every_length]
    assert EaxOpener(key).open_many([]) == []


def altered(message):
    """Every single-bit flip of every part, every truncation and extension of the ciphertext and tag."""
    nonce, header, ciphertext, tag = message
    parts = list(message)
    for index, part in enumerate(parts):
        for bit in range(len(part) * 8):
            changed = bytearray(part)
            changed[bit // 8] ^= 1 << (bit % 8)
            yield tuple(bytes(changed) if i == index else p for i, p in enumerate(parts))
    for cut in range(len(ciphertext)):
        yield nonce, header, ciphertext[:cut], tag
    for cut in range(len(tag)):
        yield nonce, header, ciphertext, tag[:cut]
    for extra in (b"\x00", b"\x01" * 16):
        yield nonce, header, ciphertext + extra, tag
        yield nonce, header, ciphertext, tag + extra


def test_every_alteration_of_one_record_fails_that_record_alone():
    rng = random.Random(7)
    key = rng.randbytes(32)
    batch = [random_message(rng, key, length) for length in (0, 17, 33, 50)]
    messages = [m for m, _ in batch]
    opener = EaxOpener(key)
    for victim in range(len(messages)):
        for bad in altered(messages[victim]):
            assert not stock_opens(key, *bad)
            result = opener.open_many(messages[:victim] + [bad] + messages[victim + 1:])
            assert result[victim] is None
            assert result[:victim] + result[victim + 1:] == [p for i, (_, p) in enumerate(batch) if i != victim]


class RecordingEcb:
    """The opener's ECB cipher, keeping every input it is given."""

    def __init__(self, ecb):
        self.ecb, self.inputs = ecb, []

    def encrypt(self, data):
        self.inputs.append(bytes(data))
        return self.ecb.encrypt(data)


def test_no_keystream_for_a_record_whose_tag_failed():
    rng = random.Random(3)
    key = rng.randbytes(32)
    good, _ = random_message(rng, key, 64)
    bad, _ = random_message(rng, key, 64)
    bad = bad[:3] + (bytes(BLOCK),)
    opener = EaxOpener(key)
    opener._ecb = RecordingEcb(opener._ecb)
    assert opener.open_many([bad])[0] is None
    assert opener._ecb.inputs[-1] == b""  # the keystream call got no counter block at all
    opener._ecb.inputs.clear()
    result = opener.open_many([bad, good])
    assert result[0] is None and result[1] is not None
    assert len(opener._ecb.inputs[-1]) == 64  # counter blocks of the good record alone


def test_one_bad_record_among_2000_fails_its_row_by_name(vault, config, caplog):
    rows = [{"name": f"item {n}", "password": f"secret {n}"} for n in range(2000)]
    made = vault.add_items(*rows[:1000]) + vault.add_items(*rows[1000:])
    assert len(vault.get("fetchall")["items"]) == 2000
    victim = made[1234]["id"]
    record = bytearray(execute_raw(config.db_connect, "SELECT sealed_fields FROM items WHERE item_id = ?",
                                   (victim,))[0][0])
    record[-1] ^= 0x01
    execute_raw(config.db_connect, "UPDATE items SET sealed_fields = ? WHERE item_id = ?", (bytes(record), victim))
    for path in ("fetchall", "items"):
        answer = vault.get(path, status=500)
        assert answer == {"status_code": 500, "error": "Unable to decrypt data!",
                          "description": f"Item {victim} failed its integrity check."}
        assert "secret" not in str(answer)
    assert f"sealed record of items row {victim} (owner" in caplog.text
    assert sum("does not open" in r.getMessage() for r in caplog.records) == 2
