"""AES-EAX opening assembled from AES modes, without pycryptodome's per-record set-up.

pycryptodome's EAX object builds three CMACs and a CTR cipher for every
record: about eight AES key schedules and 130 µs, against a few µs of actual
AES work on a 350-byte record, and an item list opens one record per item.
EAX (Bellare, Rogaway and Wagner, 2004) is small enough to assemble from the
ECB, CBC and CTR modes with what depends only on the key (the key schedule,
the CMAC subkeys, the three tweak blocks) prepared once per key:

    N = OMAC0(nonce), H = OMAC1(header), C = OMAC2(ciphertext)
    tag = N xor H xor C;  plaintext = AES-CTR(key, counter starting at N)(ciphertext)

where OMACt is AES-CMAC over the block [t] followed by the message. The
modes are OpenSSL's (seal/bulk.py says why). Opening is done here, and the
tag is checked (in constant time) before anything is decrypted; records are
sealed with pycryptodome's own EAX, but an attachment's chunks of 64 KiB with
encrypt_many, whose one CBC call over each ciphertext is nearly twice as fast
as pycryptodome's CMAC there (10 against 19 ms over 10 MiB). The tests hold
this to pycryptodome's EAX: it opens exactly what that seals, refuses every
alteration that refuses, and seals what that opens.
"""

import hmac
import threading

from Crypto.Util.strxor import strxor

from . import bulk
from .blocks import BLOCK, Stack, position_counters, transpose

# CMAC's doubling in GF(2^128): the reduction constant of x^128 + x^7 + x^2 + x + 1.
REDUCTION = 0x87
MASK = (1 << 128) - 1
# Messages up to this long take _short_omacs's way when several of one length go together.
SHORT_BYTES = 4 * BLOCK
# Each thread's buffer for the CBC blocks a MAC does not keep: an attachment's chunk fits, with
# the block less one that OpenSSL asks to be free past the end.
SCRATCH_BYTES = 64 * 1024 + 2 * BLOCK
_scratch = threading.local()


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
        self._aes = bulk.Aes(self._key)
        self._k1 = _double(self._aes.ecb(bytes(BLOCK)))
        self._k2 = _double(self._k1)
        self._subkeys = [self._k1] + [self._k2] * (BLOCK - 1)
        tweaks = [bytes(BLOCK - 1) + bytes([t]) for t in range(3)]
        # OMACt of an empty message, and the CBC-MAC state after [t] for any other.
        self._tweaks_k1 = [_xor(tweak, self._k1) for tweak in tweaks]
        self._empty = [self._aes.ecb(tweak_k1) for tweak_k1 in self._tweaks_k1]
        self._after_tweak = [self._aes.ecb(tweak) for tweak in tweaks]

    def _omac(self, t, message):
        if not message:
            return self._empty[t]
        return self._aes.ecb(_xor(*self._omac_before_last(t, message)))

    def _omac_before_last(self, t, message):
        """(CBC-MAC state before the last block, the last block padded and masked with its subkey) of
        OMACt of `message`: OMACt is the encryption of the two xored."""
        if not message:
            return bytes(BLOCK), self._tweaks_k1[t]  # the block [t] is the whole message then
        tail = len(message) % BLOCK or BLOCK
        # A view: a chunk's 64 KiB are not copied to be cut.
        message = memoryview(message)
        body, last = message[:-tail], bytes(message[-tail:])
        if tail == BLOCK:
            last = _xor(last, self._k1)
        else:
            last = _xor(last + b"\x80" + bytes(BLOCK - tail - 1), self._k2)
        state = self._after_tweak[t]
        if len(body) > BLOCK:
            state = self._cbc_mac(state, body)
        elif body:
            state = self._aes.ecb(_xor(state, body))
        return state, last

    def _omacs(self, t, messages):
        """OMACt of each of `messages` as one buffer: their last blocks in one ECB call. Messages of one
        short length (the nonces, a batch's chunk headers) take _short_omacs's way: a one-block nonce
        is its own last block, so a batch's counter blocks are one ECB call."""
        if len(set(map(len, messages))) == 1 and 0 < len(messages[0]) <= SHORT_BYTES:
            return self._short_omacs(t, messages)
        parts = [self._omac_before_last(t, message) for message in messages]
        return self._aes.ecb(strxor(b"".join([state for state, _ in parts]), b"".join([last for _, last in parts])))

    def _short_omacs(self, t, messages):
        """_omacs of a few blocks each, all of one length (an attachment's chunk headers): the CMAC
        chains advance together, one ECB call for every block position, not a CBC cipher each."""
        length, count = len(messages[0]), len(messages)
        tail = length % BLOCK or BLOCK
        states = self._after_tweak[t] * count
        for start in range(0, length - tail, BLOCK):
            states = self._aes.ecb(strxor(states, b"".join([m[start : start + BLOCK] for m in messages])))
        lasts = b"".join([m[length - tail :] for m in messages])
        if tail < BLOCK:
            padding = b"\x80" + bytes(BLOCK - tail - 1)
            lasts = padding.join([lasts[i : i + tail] for i in range(0, len(lasts), tail)]) + padding
        subkey = self._k1 if tail == BLOCK else self._k2
        return self._aes.ecb(strxor(strxor(states, lasts), subkey * count))

    def _cbc_mac(self, state, body):
        """The last block of AES-CBC over `body` from `state`, the blocks before it written over a
        buffer of the thread's own: a new one for every chunk costs a tenth of the AES work."""
        scratch = getattr(_scratch, "buffer", None)
        if scratch is None or len(scratch) < len(body) + BLOCK:
            scratch = _scratch.buffer = bytearray(max(len(body) + BLOCK, SCRATCH_BYTES))
        return self._aes.cbc_last_block(state, body, scratch)

    def encrypt_many(self, nonces, headers, plaintexts, outputs):
        """EAX of each message, as pycryptodome's EAX gives it: the ciphertext written into the
        buffer of `outputs` given for it (as long as its plaintext), and the tags answered, one
        buffer of 16 bytes each. This key's set-up is reused, and the calls of the messages are
        shared where they can be: the OMACs of the nonces, of the headers and the last block of
        every ciphertext's, one ECB call each for all. The keystream and the one CBC call over each
        ciphertext (nearly twice as fast as pycryptodome's CMAC on 64 KiB) are each message's own.
        (An attachment's chunks, a batch at a time, each written where its sealed record holds it.)"""
        counters = self._omacs(0, nonces)
        for i, (plaintext, output) in enumerate(zip(plaintexts, outputs, strict=True)):
            self._ctr(counters[BLOCK * i : BLOCK * i + BLOCK]).update_into(plaintext, output)
        return strxor(strxor(counters, self._omacs(1, headers)), self._omacs(2, outputs))

    def decrypt_checked_many(self, nonces, ciphertexts):
        """The plaintext of each (nonce, ciphertext) whose message was checked already, the same
        bytes read from the same snapshot (an attachment's chunks, the whole file checked before its
        first byte is sent): the keystream alone, the counter blocks of all in one ECB call, each
        plaintext made when it is asked for, so that one at a time is held."""
        counters = self._omacs(0, nonces)
        for i, ciphertext in enumerate(ciphertexts):
            yield self._ctr(counters[BLOCK * i : BLOCK * i + BLOCK]).update(ciphertext)

    def _ctr(self, counter):
        # The counter block runs over all 128 bits, as in pycryptodome's EAX.
        return self._aes.ctr(counter)

    def verify(self, nonce, header, ciphertext, tag):
        """Whether the tag matches; half the work of decrypting (the OMACs, no keystream)."""
        return self._counter_if_valid(nonce, header, ciphertext, tag) is not None

    def decrypt_and_verify(self, nonce, header, ciphertext, tag):
        """The plaintext; ValueError when the tag does not match (nothing is decrypted then)."""
        counter = self._counter_if_valid(nonce, header, ciphertext, tag)
        if counter is None:
            raise ValueError("MAC check failed")
        return self._ctr(counter).update(ciphertext)

    def _counter_if_valid(self, nonce, header, ciphertext, tag):
        """The message's first counter block when its tag matches (compared in constant time), else None."""
        counter = self._omac(0, nonce)
        expected = _xor(_xor(counter, self._omac(1, header)), self._omac(2, ciphertext))
        if len(tag) != BLOCK or not hmac.compare_digest(expected, tag):
            return None
        return counter

    def open_many(self, messages):
        """Open many (nonce, header, ciphertext, tag) at once; a plaintext, or None where the tag fails.

        The same EAX as decrypt_and_verify, with the per-record calls shared:
        the OMACs of every message advance together, one ECB call per block
        position, and the keystreams of all messages of one block count come
        from one ECB call (oppmini/seal/blocks.py lays the messages out for that).
        Every tag is checked before any record is decrypted, and only records
        whose tag matched are.
        """
        if not messages:
            return []
        return self.open_columns(*zip(*messages, strict=True))

    def open_columns(self, nonces, headers, ciphertexts, tags):
        """open_many of the messages (nonces[i], headers[i], ciphertexts[i], tags[i]), given part by part."""
        texts = Stack(ciphertexts)
        counters = self._omac_many(0, Stack(nonces))
        expected = strxor(strxor(counters, self._omac_many(1, Stack(headers))), self._omac_many(2, texts))
        if set(map(len, tags)) == {BLOCK} and hmac.compare_digest(expected, b"".join(tags)):
            return self._decrypt_many(texts, counters)  # the usual case: one comparison for the whole batch
        valid = [
            i
            for i, tag in enumerate(tags)
            if len(tag) == BLOCK and hmac.compare_digest(expected[BLOCK * i : BLOCK * i + BLOCK], tag)
        ]
        plaintexts = [None] * len(tags)
        if valid:
            # Only now, and only for the records whose tag matched: their keystreams.
            opened = self._decrypt_many(
                Stack([ciphertexts[i] for i in valid]),
                b"".join([counters[BLOCK * i : BLOCK * i + BLOCK] for i in valid]),
            )
            for i, plaintext in zip(valid, opened, strict=True):
                plaintexts[i] = plaintext
        return plaintexts

    def _omac_many(self, t, stack):
        """OMAC_t of every message of `stack`, as _omac computes each, as one buffer in the messages' order.

        The CBC-MAC chains advance together: at each block position, one ECB
        call for every chain whose body (all blocks but the last) still runs;
        with groups in ascending block count, those are always the last groups.
        """
        chains = [group for group in stack.groups if group[0]]
        empty = len(stack.lengths) - sum(rows for _, rows, _ in chains)
        states = self._after_tweak[t] * (len(stack.lengths) - empty)
        ended = []  # final body states, the groups that ran shortest first
        first, position = 0, 0
        while True:
            cut = 0
            while first < len(chains) and chains[first][0] - 1 <= position:
                cut += BLOCK * chains[first][1]
                first += 1
            ended.append(states[:cut])
            states = states[cut:]
            if first == len(chains):
                break
            blocks = b"".join(
                [matrix[BLOCK * rows * position : BLOCK * rows * (position + 1)] for _, rows, matrix in chains[first:]]
            )
            states = self._aes.ecb(strxor(states, blocks))
            position += 1
        last = b"".join([matrix[BLOCK * rows * (blocks - 1) :] for blocks, rows, matrix in chains])
        # The subkey by the message's length mod 16: K1 for a full last block, K2 for a padded one.
        subkeys = b"".join(map(self._subkeys.__getitem__, map(BLOCK.__rmod__, stack.lengths[empty:])))
        macs = self._aes.ecb(strxor(strxor(b"".join(ended), last), subkeys))
        # OMAC_t of nothing: the block [t] alone is the last block, from a zero state.
        return stack.blocks_in_order(self._empty[t] * empty + macs)

    def _decrypt_many(self, stack, counters):
        """AES-CTR of every message of `stack` from its counter block (16 bytes each, in the messages' order)."""
        counters = stack.sorted_blocks(counters)
        plaintexts, index = [], 0
        for blocks, rows, matrix in stack.groups:
            keystream = self._aes.ecb(position_counters(counters[BLOCK * index : BLOCK * (index + rows)], blocks))
            # Beyond each message's end the matrix holds CMAC padding: what it opens to is cut off below.
            opened = bytes(transpose(strxor(keystream, matrix), blocks, rows))
            width = BLOCK * blocks
            plaintexts += [
                opened[width * row : width * row + length]
                for row, length in enumerate(stack.lengths[index : index + rows])
            ]
            index += rows
        return stack.in_order(plaintexts)
