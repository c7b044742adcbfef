import pytest

from oppmini.seal import crypto
from oppmini.seal.crypto import KdfParams, PasswordCheck, SealError

CHEAP = KdfParams(memory_kib=64, time_cost=1, parallelism=1)


def test_sealed_record_opens_with_its_key_and_binding():
    key = crypto.new_data_key()
    binding = crypto.bind("items", 7, 42)
    record = crypto.seal(key, "ünïcødé 🔑".encode(), binding)
    assert record[0] == crypto.RECORD_VERSION
    assert "ünïcødé".encode() not in record
    assert crypto.open_sealed(key, record, binding) == "ünïcødé 🔑".encode()


def test_each_seal_draws_a_fresh_nonce():
    key = crypto.new_data_key()
    binding = crypto.bind("items", 1, 1)
    assert crypto.seal(key, b"same", binding) != crypto.seal(key, b"same", binding)


@pytest.mark.parametrize(
    "other",
    [crypto.bind("items", 7, 43), crypto.bind("items", 8, 42), crypto.bind("categories", 7, 42)],
    ids=["another row", "another owner", "another table"],
)
def test_a_record_moved_elsewhere_does_not_open(other):
    key = crypto.new_data_key()
    record = crypto.seal(key, b"secret", crypto.bind("items", 7, 42))
    with pytest.raises(SealError):
        crypto.open_sealed(key, record, other)


def test_wrong_key_tampering_truncation_and_unknown_version_fail():
    key = crypto.new_data_key()
    binding = crypto.bind("items", 1, 2)
    record = crypto.seal(key, b"secret", binding)
    flipped = record[:-1] + bytes([record[-1] ^ 1])
    for bad_key, bad_record in [
        (crypto.new_data_key(), record),
        (key, flipped),
        (key, record[:20]),
        (key, bytes([crypto.RECORD_VERSION + 1]) + record[1:]),
    ]:
        with pytest.raises(SealError):
            crypto.open_sealed(bad_key, bad_record, binding)


def record_alterations(record):
    """Every single-bit flip of a sealed record, every truncation, and extensions by one and by 16 bytes."""
    for bit in range(len(record) * 8):
        yield record[: bit // 8] + bytes([record[bit // 8] ^ (1 << (bit % 8))]) + record[bit // 8 + 1 :]
    for cut in range(len(record)):
        yield record[:cut]
    yield record + b"\x00"
    yield record + bytes(range(16))


def test_every_alteration_of_one_sealed_record_in_a_batch_fails_that_record_alone():
    key = crypto.DataKey(crypto.new_data_key())
    plaintexts = [b"", b"x", b"y" * 15, b"z" * 16, b"w" * 17, b"v" * 31, b"u" * 32, b"t" * 33, bytes(range(256)) * 3]
    sealed = [
        (crypto.seal(key, plain, crypto.bind("items", 4, n)), crypto.bind("items", 4, n))
        for n, plain in enumerate(plaintexts)
    ]
    assert crypto.open_sealed_many(key, sealed) == plaintexts
    for victim in (0, 4, 8):
        record, binding = sealed[victim]
        for bad in record_alterations(record):
            opened = crypto.open_sealed_many(key, sealed[:victim] + [(bad, binding)] + sealed[victim + 1 :])
            assert opened == plaintexts[:victim] + [None] + plaintexts[victim + 1 :]
    assert crypto.open_sealed_many(key, [(bytearray(sealed[2][0]), sealed[2][1])]) == [plaintexts[2]]
    assert crypto.open_sealed_many(key, []) == []


def test_derived_key_depends_on_passphrase_salt_and_cost():
    salt = crypto.new_salt()
    base = crypto.derive_key("phrase one", salt, CHEAP)
    assert len(base) == crypto.KEY_BYTES
    assert crypto.derive_key("phrase one", salt, CHEAP) == base
    assert crypto.derive_key("phrase two", salt, CHEAP) != base
    assert crypto.derive_key("phrase one", crypto.new_salt(), CHEAP) != base
    assert crypto.derive_key("phrase one", salt, KdfParams(64, 2, 1)) != base


def test_kdf_params_round_trip_through_their_stored_form():
    params = KdfParams(65536, 3, 4)
    assert params.encode() == "argon2id$m=65536,t=3,p=4"
    assert KdfParams.decode(params.encode()) == params
    with pytest.raises(ValueError):
        KdfParams.decode("scrypt$n=1")


def test_password_hash_is_argon2id_and_verifies():
    check = PasswordCheck(CHEAP)
    encoded = check.hash("hunter2")
    assert encoded.startswith("$argon2id$")
    assert check.verify(encoded, "hunter2")
    assert not check.verify(encoded, "hunter3")
    assert not check.verify("not a hash", "hunter2")
    assert check.burn("anything") is False


def test_rehash_is_wanted_when_the_cost_changes():
    old = PasswordCheck(CHEAP).hash("pw")
    assert not PasswordCheck(CHEAP).needs_rehash(old)
    assert PasswordCheck(KdfParams(128, 2, 1)).needs_rehash(old)
