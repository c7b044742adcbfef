"""AES-EAX opening built from pycryptodome's AES modes, without its per-record set-up.

pycryptodome's EAX object builds three CMACs and a CTR cipher for every
record: about eight AES key schedules and 130 µs, against a few µs of actual
AES work on a 350-byte record, and an item list opens one record per item.
EAX (Bellare, Rogaway and Wagner, 2004) is small enough to assemble from the
same library's ECB, CBC and CTR modes with what depends only on the key (the
key schedule, the CMAC subkeys, the three tweak blocks) prepared once per key:

    N = OMAC0(nonce), H = OMAC1(header), C = OMAC2(ciphertext)
    tag = N xor H xor C;  plaintext = AES-CTR(key, counter starting at N)(ciphertext)

where OMACt is AES-CMAC over the block [t] followed by the message. Only
opening is done here, and the tag is checked (in constant time) before
anything is decrypted; sealing stays with pycryptodome's own EAX. The tests
hold this to pycryptodome's EAX: it opens exactly what that seals and refuses
every alteration that refuses.
"""

import hmac

from Crypto.Cipher import AES

BLOCK = 16
# CMAC's doubling in GF(2^128): the reduction constant of x^128 + x^7 + x^2 + x + 1.
REDUCTION = 0x87
MASK = (1 << 128) - 1


def _double(block):
    value = int.from_bytes(block, "big") << 1
    if value >> 128:
        value = (value & MASK) ^ REDUCTION
    return value.to_bytes(BLOCK, "big")


def _xor(left, right):
    return (int.from_bytes(left, "big") ^ int.from_bytes(right, "big")).to_bytes(BLOCK, "big")


class EaxOpener:
    """Opens EAX messages (16-byte tag) under one key; make one per key and reuse it."""

    def __init__(self, key):
        self._key = bytes(key)
        self._ecb = AES.new(self._key, AES.MODE_ECB)
        self._k1 = _double(self._ecb.encrypt(bytes(BLOCK)))
        self._k2 = _double(self._k1)
        tweaks = [bytes(BLOCK - 1) + bytes([t]) for t in range(3)]
        # OMACt of an empty message, and the CBC-MAC state after [t] for any other.
        self._empty = [self._ecb.encrypt(_xor(tweak, self._k1)) for tweak in tweaks]
        self._after_tweak = [self._ecb.encrypt(tweak) for tweak in tweaks]

    def _omac(self, t, message):
        if not message:
            return self._empty[t]
        tail = len(message) % BLOCK or BLOCK
        body, last = message[:-tail], message[-tail:]
        if tail == BLOCK:
            last = _xor(last, self._k1)
        else:
            last = _xor(last + b"\x80" + bytes(BLOCK - tail - 1), self._k2)
        state = self._after_tweak[t]
        if len(body) > BLOCK:
            state = AES.new(self._key, AES.MODE_CBC, iv=state).encrypt(body)[-BLOCK:]
        elif body:
            state = self._ecb.encrypt(_xor(state, body))
        return self._ecb.encrypt(_xor(state, last))

    def decrypt_and_verify(self, nonce, header, ciphertext, tag):
        """The plaintext; ValueError when the tag does not match (nothing is decrypted then)."""
        counter = self._omac(0, nonce)
        expected = _xor(_xor(counter, self._omac(1, header)), self._omac(2, ciphertext))
        if len(tag) != BLOCK or not hmac.compare_digest(expected, tag):
            raise ValueError("MAC check failed")
        # The counter block runs over all 128 bits, as in pycryptodome's EAX.
        return AES.new(self._key, AES.MODE_CTR, initial_value=counter, nonce=b"").decrypt(ciphertext)

    def open_many(self, messages):
        """Open many (nonce, header, ciphertext, tag) at once; a plaintext, or None where the tag fails.

        The same EAX as decrypt_and_verify, with the per-record calls shared:
        every OMAC of every message advances together, one ECB call per block
        position, and every keystream comes from one ECB call over all counter
        blocks. Every tag is checked before any record is decrypted, and only
        records whose tag matched are.
        """
        count = len(messages)
        nonces, headers, ciphertexts, tags = zip(*messages) if messages else ((), (), (), ())
        macs = self._omac_many((0,) * count + (1,) * count + (2,) * count, nonces + headers + ciphertexts)
        size = BLOCK * count
        expected = _xor_bytes(_xor_bytes(macs[:size], macs[size : 2 * size]), macs[2 * size :])
        given = b"".join(tag if len(tag) == BLOCK else bytes(BLOCK) for tag in tags)
        if hmac.compare_digest(expected, given) and all(len(tag) == BLOCK for tag in tags):
            valid = range(count)  # the usual case: one comparison for the whole batch
        else:
            valid = [i for i in range(count)
                     if len(tags[i]) == BLOCK and hmac.compare_digest(expected[BLOCK * i : BLOCK * i + BLOCK], tags[i])]
        # Only now, and only for records whose tag matched: the keystreams, in one call.
        counters = [_counter_blocks(macs[BLOCK * i : BLOCK * i + BLOCK], len(ciphertexts[i])) for i in valid]
        stream_input = b"".join(counters)
        padded = b"".join(ciphertexts[i] + bytes(len(block) - len(ciphertexts[i])) for i, block in zip(valid, counters))
        opened = _xor_bytes(self._ecb.encrypt(stream_input), padded)
        plaintexts = [None] * count
        offset = 0
        for i, block in zip(valid, counters):
            plaintexts[i] = opened[offset : offset + len(ciphertexts[i])]
            offset += len(block)
        return plaintexts

    def _omac_many(self, tweaks, messages):
        """OMAC_t(message) of every pair, as _omac computes each, in one buffer in the given order.

        The CBC-MAC chains advance together: at each block position, the chains
        still running (longest first, so always a prefix) take one ECB call.
        """
        k1, k2 = self._k1, self._k2
        lasts, subkeys, bodies = [], [], []
        for t, message in zip(tweaks, messages):
            if not message:
                # OMAC_t of nothing: the block [t] alone is the last block, from a zero state.
                lasts.append(_tweak(t))
                subkeys.append(k1)
                bodies.append(b"")
                continue
            tail = len(message) % BLOCK or BLOCK
            lasts.append(message[-tail:] + _PADDING[tail])
            subkeys.append(k1 if tail == BLOCK else k2)
            bodies.append(message[:-tail])
        order = sorted(range(len(messages)), key=lambda k: len(bodies[k]), reverse=True)
        ordered_bodies = [bodies[k] for k in order]
        states = b"".join([self._after_tweak[tweaks[k]] if messages[k] else bytes(BLOCK) for k in order])
        ended = []  # states of chains whose body has ended, shortest bodies first
        active, position = len(order), 0
        while active:
            while active and len(ordered_bodies[active - 1]) <= position:
                active -= 1
            ended.append(states[BLOCK * active :])
            states = states[: BLOCK * active]
            if active:
                blocks = b"".join([body[position : position + BLOCK] for body in ordered_bodies[:active]])
                states = self._ecb.encrypt(_xor_bytes(states, blocks))
                position += BLOCK
        before_last = b"".join(reversed(ended))
        last = b"".join([lasts[k] for k in order])
        keys = b"".join([subkeys[k] for k in order])
        macs = self._ecb.encrypt(_xor_bytes(_xor_bytes(before_last, last), keys))
        rank = [0] * len(order)
        for position_in_order, k in enumerate(order):
            rank[k] = position_in_order
        return b"".join([macs[BLOCK * r : BLOCK * r + BLOCK] for r in rank])


def _tweak(t):
    return bytes(BLOCK - 1) + bytes([t])


# CMAC's padding of a last block of `tail` bytes (none for a full block).
_PADDING = {tail: (b"\x80" + bytes(BLOCK - tail - 1) if tail < BLOCK else b"") for tail in range(1, BLOCK + 1)}


def _xor_bytes(left, right):
    """left xor right, byte strings of one length, as one big-integer operation."""
    size = len(left)
    return (int.from_bytes(left, "little") ^ int.from_bytes(right, "little")).to_bytes(size, "little")


_REPEATS = {}


def _counter_blocks(first, size):
    """The CTR counter blocks for `size` bytes from the 128-bit counter `first`, wrapping as pycryptodome's does."""
    blocks = -(-size // BLOCK)
    if not blocks:
        return b""
    start = int.from_bytes(first, "big")
    if start + blocks > MASK:
        return b"".join(((start + k) & MASK).to_bytes(BLOCK, "big") for k in range(blocks))
    repeat = _REPEATS.get(blocks)
    if repeat is None:
        # start repeated in every block, plus 0, 1, 2, ... block by block: one multiplication and one addition.
        ones = sum(1 << (128 * k) for k in range(blocks))
        steps = sum(k << (128 * (blocks - 1 - k)) for k in range(blocks))
        repeat = _REPEATS[blocks] = (ones, steps)
    ones, steps = repeat
    return (start * ones + steps).to_bytes(BLOCK * blocks, "big")
