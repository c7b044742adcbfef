"""oppmini/seal/eax.py held to pycryptodome's own AES-EAX: it opens what that seals, refuses what that refuses."""

import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from Crypto.Cipher import AES

from oppmini.seal import crypto
from oppmini.seal.eax import EaxOpener

# Lengths around every block boundary the three OMACs can meet, and a realistic record.
LENGTHS = [0, 1, 2, 15, 16, 17, 31, 32, 33, 47, 48, 49, 64, 100, 350]


def stock_seal(key, nonce, header, plaintext):
    cipher = AES.new(key, AES.MODE_EAX, nonce=nonce, mac_len=16)
    cipher.update(header)
    return cipher.encrypt_and_digest(plaintext)


def stock_opens(key, nonce, header, ciphertext, tag):
    cipher = AES.new(key, AES.MODE_EAX, nonce=nonce, mac_len=16)
    cipher.update(header)
    try:
        cipher.decrypt_and_verify(ciphertext, tag)
    except ValueError:
        return False
    return True


def test_the_eax_paper_vectors():
    # Bellare, Rogaway, Wagner: "The EAX Mode of Operation", appendix test vectors (AES-128).
    vectors = [
        (
            "233952DEE4D5ED5F9B9C6D6FF80FF478",
            "62EC67F9C3A4A407FCB2A8C49031A8B3",
            "6BFB914FD07EAE6B",
            "",
            "",
            "E037830E8389F27B025A2D6527E79D01",
        ),
        (
            "91945D3F4DCBEE0BF45EF52255F095A4",
            "BECAF043B0A23D843194BA972C66DEBD",
            "FA3BFD4806EB53FA",
            "F7FB",
            "19DD",
            "5C4C9331049D0BDAB0277408F67967E5",
        ),
        (
            "01F74AD64077F2E704C0F60ADA3DD523",
            "70C3DB4F0D26368400A10ED05D2BFF5E",
            "234A3463C1264AC6",
            "1A47CB4933",
            "D851D5BAE0",
            "3A59F238A23E39199DC9266626C40F80",
        ),
    ]
    for key, nonce, header, plaintext, ciphertext, tag in vectors:
        opener = EaxOpener(bytes.fromhex(key))
        opened = opener.decrypt_and_verify(
            bytes.fromhex(nonce), bytes.fromhex(header), bytes.fromhex(ciphertext), bytes.fromhex(tag)
        )
        assert opened == bytes.fromhex(plaintext)


@pytest.mark.parametrize("key_bytes", [16, 32])
def test_opens_whatever_pycryptodome_seals(key_bytes):
    rng = random.Random(7)
    for header_length in LENGTHS:
        for plaintext_length in LENGTHS:
            key, nonce = rng.randbytes(key_bytes), rng.randbytes(16)
            header, plaintext = rng.randbytes(header_length), rng.randbytes(plaintext_length)
            ciphertext, tag = stock_seal(key, nonce, header, plaintext)
            assert EaxOpener(key).decrypt_and_verify(nonce, header, ciphertext, tag) == plaintext


def test_refuses_every_altered_bit_pycryptodome_refuses():
    rng = random.Random(11)
    key = rng.randbytes(32)
    opener = EaxOpener(key)
    for length in (0, 16, 33):
        parts = [rng.randbytes(16), rng.randbytes(length), None, None]  # nonce, header, ciphertext, tag
        parts[2], parts[3] = stock_seal(key, parts[0], parts[1], rng.randbytes(length))
        for which, part in enumerate(parts):
            for bit in range(len(part) * 8):
                altered = bytearray(part)
                altered[bit // 8] ^= 1 << (bit % 8)
                attempt = list(parts)
                attempt[which] = bytes(altered)
                assert not stock_opens(key, *attempt)
                with pytest.raises(ValueError):
                    opener.decrypt_and_verify(*attempt)


def test_refuses_a_wrong_key_a_short_tag_and_a_cut_ciphertext():
    key, nonce, header = bytes(range(32)), bytes(16), b"oppmini:items:1:1"
    ciphertext, tag = stock_seal(key, nonce, header, b"x" * 40)
    with pytest.raises(ValueError):
        EaxOpener(bytes(32)).decrypt_and_verify(nonce, header, ciphertext, tag)
    with pytest.raises(ValueError):
        EaxOpener(key).decrypt_and_verify(nonce, header, ciphertext, tag[:15])
    with pytest.raises(ValueError):
        EaxOpener(key).decrypt_and_verify(nonce, header, ciphertext[:-1], tag)


def test_a_data_key_opens_records_as_plain_bytes_do_and_keeps_one_opener():
    plain = crypto.new_data_key()
    data_key = crypto.DataKey(plain)
    binding = crypto.bind("items", 3, 9)
    record = crypto.seal(data_key, b'["a", "b"]', binding)
    assert crypto.open_sealed(data_key, record, binding) == crypto.open_sealed(plain, record, binding) == b'["a", "b"]'
    assert data_key.opener() is data_key.opener()
    assert data_key == plain
    with pytest.raises(crypto.SealError):
        crypto.open_sealed(data_key, record, crypto.bind("items", 3, 10))


@pytest.mark.parametrize("length", [0, 1, 15, 16, 17, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 5])
def test_seals_exactly_what_pycryptodome_seals_and_decrypts_a_checked_message_alone(length):
    rng = random.Random(length)
    key, nonce, header = rng.randbytes(32), rng.randbytes(16), rng.randbytes(rng.randrange(0, 60))
    plaintext = rng.randbytes(length)
    theirs = AES.new(key, AES.MODE_EAX, nonce=nonce, mac_len=16)
    theirs.update(header)
    opener = EaxOpener(key)
    ciphertext = bytearray(length)
    tag = opener.encrypt_many([nonce], [header], [plaintext], [ciphertext])
    assert (ciphertext, tag) == theirs.encrypt_and_digest(plaintext)
    assert opener.verify(nonce, header, ciphertext, tag)
    assert not opener.verify(nonce, header + b"x", ciphertext, tag)
    assert list(opener.decrypt_checked_many([nonce], [ciphertext])) == [plaintext]


def test_threads_sealing_and_checking_at_once_with_one_opener_get_what_pycryptodome_gets():
    # An attachment's chunks are sealed and checked on several threads (oppmini/seal/workers.py).
    rng = random.Random(7)
    opener = EaxOpener(rng.randbytes(32))
    key = opener._key
    messages = [
        (rng.randbytes(16), rng.randbytes(40), rng.randbytes(64 * 1024 - rng.randrange(0, 40))) for _ in range(24)
    ]

    def agrees(message):
        nonce, header, plaintext = message
        ciphertext = bytearray(len(plaintext))
        tag = opener.encrypt_many([nonce], [header], [plaintext], [ciphertext])
        sealed = (bytes(ciphertext), tag)
        return sealed == stock_seal(key, nonce, header, plaintext) and opener.verify(nonce, header, *sealed)

    with ThreadPoolExecutor(6) as pool:
        assert all(pool.map(agrees, messages * 4))


@pytest.mark.parametrize("nonce_lengths", [[16], [16, 1, 20, 32, 15]], ids=["one-block nonces", "nonces of any length"])
def test_messages_sealed_together_are_what_pycryptodome_seals_each_and_open_together_as_they_were(nonce_lengths):
    # An attachment's chunks are sealed, and opened after the file's check, a batch at a time.
    rng = random.Random(11)
    key = rng.randbytes(32)
    opener = EaxOpener(key)
    lengths = [0, 1, 15, 16, 17, 31, 64 * 1024 - 1, 64 * 1024, 350]
    nonces = [rng.randbytes(nonce_lengths[i % len(nonce_lengths)]) for i in range(len(lengths))]
    headers = [b""] + [rng.randbytes(rng.randrange(1, 60)) for _ in lengths[1:]]
    plaintexts = [rng.randbytes(length) for length in lengths]
    ciphertexts = [bytearray(length) for length in lengths]
    tags = opener.encrypt_many(nonces, headers, plaintexts, ciphertexts)
    sealed = [(bytes(ciphertext), tags[16 * i : 16 * i + 16]) for i, ciphertext in enumerate(ciphertexts)]
    assert sealed == [stock_seal(key, *message) for message in zip(nonces, headers, plaintexts, strict=True)]
    assert list(opener.decrypt_checked_many(nonces, ciphertexts)) == plaintexts


@pytest.mark.parametrize("header_length", [1, 15, 16, 17, 39, 48, 63, 64, 65])
def test_headers_of_one_length_sealed_together_are_what_pycryptodome_seals_each(header_length):
    # A batch of an attachment's chunks has headers of one length: their CMAC chains advance together.
    rng = random.Random(header_length)
    key = rng.randbytes(32)
    opener = EaxOpener(key)
    nonces = [rng.randbytes(16) for _ in range(8)]
    headers = [rng.randbytes(header_length) for _ in range(8)]
    plaintexts = [rng.randbytes(rng.randrange(0, 300)) for _ in range(8)]
    ciphertexts = [bytearray(len(plaintext)) for plaintext in plaintexts]
    tags = opener.encrypt_many(nonces, headers, plaintexts, ciphertexts)
    sealed = [(bytes(ciphertext), tags[16 * i : 16 * i + 16]) for i, ciphertext in enumerate(ciphertexts)]
    assert sealed == [stock_seal(key, *message) for message in zip(nonces, headers, plaintexts, strict=True)]
