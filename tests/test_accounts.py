"""Envelope keys: the passphrase unlocks a data key; changing it re-wraps that key only."""

import pytest

from conftest import PASSWORD, PHRASE, execute_raw
from oppmini.accounts.accounts import key_binding
from oppmini.contract.errors import ApiError
from oppmini.seal import crypto
from oppmini.web.call import Call
from oppmini.web.guards import unlock


@pytest.fixture
def services(app):
    return app.services


@pytest.fixture
def derivations(monkeypatch):
    """Counts real Argon2 key derivations (the spy calls through)."""
    calls = []
    real = crypto.derive_key

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(crypto, "derive_key", counting)
    return calls


def user_row(services, username="alice"):
    with services.db.connect() as conn:
        return conn.run("get_user_by_name", username=username)


def unlocked(services, phrase, username="alice"):
    with services.db.connect() as conn:
        call = Call(services, conn, {"x-opp-phrase": phrase} if phrase is not None else {})
        call.user = conn.run("get_user_by_name", username=username)
        unlock(call)
        return call.data_key


def test_right_passphrase_unlocks_and_wrong_ones_are_refused(auth, services):
    auth.sign_up()
    assert len(unlocked(services, PHRASE)) == crypto.KEY_BYTES
    for phrase, message in [
        (None, "Passphrase header missing!"),
        ("", "Incorrect passphrase supplied!"),
        ("wrong phrase", "Incorrect passphrase supplied!"),
    ]:
        with pytest.raises(ApiError) as refused:
            unlocked(services, phrase)
        assert (refused.value.status, refused.value.error) == (400, message)


def test_the_data_key_is_stored_only_sealed(auth, services, config, backend):
    auth.sign_up()
    data_key = unlocked(services, PHRASE)
    if backend == "sqlite":
        with open(config.db_connect.removeprefix("sqlite:///"), "rb") as database:
            assert data_key not in database.read()
    row = user_row(services)
    assert not any(data_key in value for value in row.values() if isinstance(value, bytes))
    assert PHRASE.encode() not in bytes(row["sealed_key"])
    assert row["key_params"] == "argon2id$m=64,t=1,p=1"


def test_key_cache_is_hit_on_the_second_request_and_never_by_a_wrong_phrase(auth, services, derivations):
    auth.sign_up()
    derivations.clear()  # sign-up wrapped the new key once
    first = unlocked(services, PHRASE)
    assert len(derivations) == 1
    assert unlocked(services, PHRASE) == first
    assert len(derivations) == 1  # answered from the cache
    for _ in range(2):
        with pytest.raises(ApiError):
            unlocked(services, "wrong phrase")
    assert len(derivations) == 3  # every wrong guess pays the full derivation


def test_passphrase_change_rewraps_the_key_and_leaves_records_alone(client, auth, services, config):
    auth.sign_up()
    data_key = unlocked(services, PHRASE)
    user = user_row(services)
    record = crypto.seal(data_key, b"my bank password", crypto.bind("items", user["user_id"], 1))
    execute_raw(
        config.db_connect,
        "INSERT INTO items (item_id, user_id, sealed_fields) VALUES (1, ?, ?)",
        (user["user_id"], record),
    )

    body = {"username": "alice", "password": PASSWORD, "phrase": PHRASE, "new_phrase": "a brand new phrase"}
    assert client.post_json("/v1/user", body).json == {"result": "success"}

    with pytest.raises(ApiError):
        unlocked(services, PHRASE)
    new_key = unlocked(services, "a brand new phrase")
    assert new_key == data_key
    [(stored,)] = execute_raw(config.db_connect, "SELECT sealed_fields FROM items WHERE item_id = 1")
    assert stored == record  # not rewritten
    assert crypto.open_sealed(new_key, stored, crypto.bind("items", user["user_id"], 1)) == b"my bank password"
    assert bytes(user_row(services)["key_salt"]) != bytes(user["key_salt"])


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"phrase": "wrong phrase", "new_phrase": "another phrase"}, "Incorrect passphrase supplied!"),
        ({"new_phrase": "another phrase"}, "Input 'phrase' parameter is empty!"),
        ({"phrase": PHRASE, "new_phrase": "short"}, "Passphrase must be at least 6 characters long!"),
    ],
)
def test_passphrase_change_refusals_change_nothing(client, auth, services, extra, message):
    auth.sign_up()
    before = user_row(services)
    body = {"username": "alice", "password": PASSWORD, "new_password": "would change", **extra}
    answer = client.post_json("/v1/user", body, status=400)
    assert answer.json == {"status_code": 400, "error": message, "description": ""}
    # Only the failure count may move (a wrong passphrase is counted, see test_throttle).
    counters = ("failed_attempts", "last_failure_at")
    assert {k: v for k, v in user_row(services).items() if k not in counters} == {
        k: v for k, v in before.items() if k not in counters
    }


def test_the_sealed_key_is_bound_to_its_user(auth, services):
    auth.sign_up("alice")
    auth.sign_up("bob", phrase=PHRASE)
    alice, bob = user_row(services, "alice"), user_row(services, "bob")
    wrapping = crypto.derive_key(PHRASE, bytes(alice["key_salt"]), crypto.KdfParams(64, 1, 1))
    with pytest.raises(crypto.SealError):
        crypto.open_sealed(wrapping, alice["sealed_key"], key_binding(bob["user_id"]))


def test_login_rehashes_a_password_hashed_at_another_cost(client, auth, services):
    auth.sign_up()
    old_hash = crypto.PasswordCheck(crypto.KdfParams(128, 2, 1)).hash(PASSWORD)
    with services.db.connect() as conn, conn.transaction():
        conn.run("update_user_hash", user_id=user_row(services)["user_id"], password_hash=old_hash)
    auth.login()
    new_hash = user_row(services)["password_hash"]
    assert new_hash != old_hash
    assert "m=64,t=1,p=1" in new_hash
