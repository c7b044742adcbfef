"""AES by OpenSSL (through `cryptography`): the modes seal/eax.py assembles EAX from, and GMAC.

Records and attachments' chunks are AES-EAX (seal/eax.py assembles it from
the ECB, CBC and CTR modes) and a file's tag a GMAC (seal/files.py); those
modes come from here. OpenSSL runs them on the CPU's vector AES and
carry-less multiply, and a call into it costs little. Measured here: over 10
MiB in 64 KiB pieces, AES-CTR 2.0 against pycryptodome's 4.3 ms, AES-CBC 8.1
against 12.5, GHASH 0.4 against 1.9; a 350-byte record's CTR, set-up
included, 3.7 against 9.0 µs; an ECB call on a few blocks 0.2-0.3 against
2.4-2.6 µs, of which an item list makes a few per block of its longest
record. An attachment's download is mostly the first three (docs/benchmarks.md,
W15), a list of items the last. The bytes are the same as pycryptodome's (the
tests compare them), so every stored record, chunk and tag is what it was;
pycryptodome still seals a record with its own EAX, and derives and wraps keys.

`cryptography` was installed already, for webauthn (COSE keys, signatures).
It releases the GIL in these calls as pycryptodome does, so an upload's
sealing threads still run side by side.
"""

import threading

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 16


class Aes:
    """AES under one key: ECB for the many short calls of the batched MACs and keystreams (seal/eax.py),
    and a CTR or CBC context for each message. The key's object is made once, not on every call."""

    def __init__(self, key):
        self._algorithm = algorithms.AES(key)
        self._ecb = Cipher(self._algorithm, modes.ECB())
        self._contexts = threading.local()

    def ecb(self, data):
        """AES-ECB of `data` (whole blocks). A call costs 0.2-0.3 µs of set-up here against
        pycryptodome's 2.4-2.6, and an item list makes a few per block of its longest record.
        OpenSSL's context is not for two threads at once, so each thread keeps its own, made once."""
        # A context kept across calls holds back a partial block for the next: never give it one.
        if len(data) % BLOCK:
            raise ValueError("ECB takes whole blocks")
        context = getattr(self._contexts, "ecb", None)
        if context is None:
            context = self._contexts.ecb = self._ecb.encryptor()
        return context.update(data)

    def ctr(self, counter):
        """AES-CTR from the 16-byte `counter`, counting over all 128 bits (as pycryptodome's EAX does);
        its update(data) gives the data xored with the keystream, update_into(data, out) writes it."""
        return Cipher(self._algorithm, modes.CTR(counter)).encryptor()

    def cbc_last_block(self, iv, data, scratch):
        """The last block of AES-CBC over `data` (whole blocks) from `iv`: a CBC-MAC's state. The
        blocks before it are written over `scratch`, which must hold len(data) + 15 bytes (OpenSSL's
        rule)."""
        Cipher(self._algorithm, modes.CBC(iv)).encryptor().update_into(data, scratch)
        return bytes(scratch[len(data) - BLOCK : len(data)])


class Gmac:
    """GMAC: AES-GCM with nothing to encrypt, over what update() is given, in pieces of any length."""

    def __init__(self, key, nonce):
        self._gcm = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()

    def update(self, data):
        self._gcm.authenticate_additional_data(data)

    def digest(self):
        self._gcm.finalize()
        return self._gcm.tag
