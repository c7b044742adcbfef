"""The AES modes that run the length of a message, by OpenSSL (through `cryptography`).

Records and attachments' chunks are AES-EAX (seal/eax.py assembles it from
AES modes) and a file's tag a GMAC (seal/files.py). The short work, the ECB
calls over the few blocks of nonces, headers and batched MACs, stays
pycryptodome's; the modes over a whole message, EAX's keystream (CTR), its
CMAC's chain (CBC) and GCM's GHASH, come from here. OpenSSL runs them on the
CPU's vector AES and carry-less multiply. Measured here over 10 MiB in 64 KiB
pieces: AES-CTR 2.0 against pycryptodome's 4.3 ms, AES-CBC 8.1 against 12.5,
GHASH 0.4 against 1.9; with the set-up, a 350-byte record's CTR 3.7 against
9.0 µs. An attachment's download is mostly these (docs/benchmarks.md, W15).
The bytes are the same as pycryptodome's (the tests compare them), so every
stored record, chunk and tag is what it was.

`cryptography` was installed already, for webauthn (COSE keys, signatures).
It releases the GIL in these calls as pycryptodome does, so an upload's
sealing threads still run side by side.
"""

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 16


def ctr(key, counter):
    """AES-CTR from the 16-byte `counter`, counting over all 128 bits (as pycryptodome's EAX does);
    its update(data) gives the data xored with the keystream, update_into(data, out) writes it."""
    return Cipher(algorithms.AES(key), modes.CTR(counter)).encryptor()


def cbc_last_block(key, iv, data, scratch):
    """The last block of AES-CBC over `data` (whole blocks) from `iv`: a CBC-MAC's state. The blocks
    before it are written over `scratch`, which must hold len(data) + 15 bytes (OpenSSL's rule)."""
    Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor().update_into(data, scratch)
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
