"""EaxOpener.open_many, the batched opening of fetchall and GET /v1/items, held to pycryptodome's EAX."""

import os
import random

from conftest import execute_raw
from oppmini.seal.eax import BLOCK, EaxOpener
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


def test_large_batches_of_few_and_many_lengths_open_as_pycryptodome_seals():
    # Many records of one block count (one group, more rows than blocks), long records in few
    # rows (more blocks than rows), every kind of header and nonce, shuffled.
    rng = random.Random(1600)
    key = rng.randbytes(32)
    batch = [random_message(rng, key, rng.choice([0, 1, 15, 16, 17, 31, 32, 33])) for _ in range(300)]
    batch += [
        random_message(rng, key, length) for length in (350, 351, 352, 4096 + 5, 4096 + 16, 5000) for _ in range(3)
    ]
    batch += [random_message(rng, key, rng.randrange(2000)) for _ in range(100)]
    rng.shuffle(batch)
    assert EaxOpener(key).open_many([m for m, _ in batch]) == [p for _, p in batch]
    in_id_order = sorted(batch, key=lambda pair: len(pair[1]))  # already sorted: the opener keeps the order as is
    assert EaxOpener(key).open_many([m for m, _ in in_id_order]) == [p for _, p in in_id_order]


def test_every_alteration_of_a_record_inside_a_large_group_fails_that_record_alone():
    rng = random.Random(5)
    key = rng.randbytes(32)
    batch = [random_message(rng, key, 40) for _ in range(120)]
    messages = [m for m, _ in batch]
    opener = EaxOpener(key)
    victim = 77
    for bad in altered(messages[victim]):
        result = opener.open_many(messages[:victim] + [bad] + messages[victim + 1 :])
        assert result[victim] is None
        assert result[:victim] + result[victim + 1 :] == [p for i, (_, p) in enumerate(batch) if i != victim]


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
            result = opener.open_many(messages[:victim] + [bad] + messages[victim + 1 :])
            assert result[victim] is None
            assert result[:victim] + result[victim + 1 :] == [p for i, (_, p) in enumerate(batch) if i != victim]


class RecordingAes:
    """The opener's AES, keeping every input its ECB is given (its other modes as they were)."""

    def __init__(self, aes):
        self.aes, self.inputs = aes, []
        self.ctr, self.cbc_last_block = aes.ctr, aes.cbc_last_block

    def ecb(self, data):
        self.inputs.append(bytes(data))
        return self.aes.ecb(data)

    def blocks(self):
        """Every 16-byte block it was asked to encrypt, in call order."""
        return [data[i : i + BLOCK] for data in self.inputs for i in range(0, len(data), BLOCK)]


def counter_blocks(opener, message):
    """The CTR counter blocks that opening `message` would encrypt: OMAC0(nonce) and on."""
    start = int.from_bytes(opener._omac(0, message[0]), "big")
    return {((start + k) % (1 << 128)).to_bytes(BLOCK, "big") for k in range(-(-len(message[2]) // BLOCK))}


def test_no_keystream_for_a_record_whose_tag_failed():
    rng = random.Random(3)
    key = rng.randbytes(32)
    goods = [random_message(rng, key, length) for length in (64, 64, 64, 100, 3)]
    bad, _ = random_message(rng, key, 64)
    bad = bad[:3] + (bytes(BLOCK),)
    opener = EaxOpener(key)
    opener._aes = RecordingAes(opener._aes)
    assert opener.open_many([bad]) == [None]
    assert not counter_blocks(opener, bad) & set(opener._aes.blocks())
    for position in range(len(goods) + 1):
        opener._aes.inputs.clear()
        batch = [m for m, _ in goods[:position]] + [bad] + [m for m, _ in goods[position:]]
        assert opener.open_many(batch) == [p for _, p in goods[:position]] + [None] + [p for _, p in goods[position:]]
        encrypted = set(opener._aes.blocks())
        assert not counter_blocks(opener, bad) & encrypted
        assert all(counter_blocks(opener, m) <= encrypted for m, _ in goods)  # the good ones did get theirs


def test_one_bad_record_among_2000_fails_its_row_by_name(vault, config, caplog):
    rows = [{"name": f"item {n}", "password": f"secret {n}"} for n in range(2000)]
    made = vault.add_items(*rows[:1000]) + vault.add_items(*rows[1000:])
    assert len(vault.get("fetchall")["items"]) == 2000
    victim = made[1234]["id"]
    record = bytearray(
        execute_raw(config.db_connect, "SELECT sealed_fields FROM items WHERE item_id = ?", (victim,))[0][0]
    )
    record[-1] ^= 0x01
    execute_raw(config.db_connect, "UPDATE items SET sealed_fields = ? WHERE item_id = ?", (bytes(record), victim))
    for path in ("fetchall", "items"):
        answer = vault.get(path, status=500)
        assert answer == {
            "status_code": 500,
            "error": "Unable to decrypt data!",
            "description": f"Item {victim} failed its integrity check.",
        }
        assert "secret" not in str(answer)
    assert f"sealed record of items row {victim} (owner" in caplog.text
    assert sum("does not open" in r.getMessage() for r in caplog.records) == 2
