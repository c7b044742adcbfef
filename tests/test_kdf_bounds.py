"""Argon2id costs: one set of bounds for the configuration and for what is stored, and no 500 past them."""

import logging

import pytest

from conftest import execute_raw
from oppmini import config as settings
from oppmini.config import ConfigError
from oppmini.seal.crypto import KdfParams


@pytest.mark.parametrize(
    "key, value, problem, stored",
    [
        ("argon2_memory_kib", "262145", "expected a number from 8 to 262144", "argon2id$m=262145,t=1,p=1"),
        ("argon2_time_cost", "17", "expected a number from 1 to 16", "argon2id$m=64,t=17,p=1"),
        ("argon2_parallelism", "256", "expected a number from 1 to 255", "argon2id$m=4096,t=1,p=256"),
    ],
)
def test_costs_the_config_refuses_are_refused_when_stored(key, value, problem, stored):
    with pytest.raises(ConfigError) as caught:
        settings.parse({key: value})
    assert str(caught.value) == f"config '{key}': {problem}"
    with pytest.raises(ValueError, match="outside the accepted"):
        KdfParams.decode(stored)


def test_the_ceilings_themselves_are_accepted_by_both():
    config = settings.parse({"argon2_memory_kib": "262144", "argon2_time_cost": "16", "argon2_parallelism": "255"})
    assert KdfParams.from_config(config) == KdfParams.decode("argon2id$m=262144,t=16,p=255")


@pytest.mark.parametrize(
    "text",
    [
        "argon2id$m=+64,t=1,p=1",
        "argon2id$m=6_4,t=1,p=1",
        "argon2id$m= 64,t=1,p=1",
        "argon2id$m=64,t=1",
        "argon2id$m=64,t=1,p=1,x=1",
        "argon2id$m=٦٤,t=1,p=1",
    ],
)
def test_stored_key_parameters_are_read_only_in_the_form_oppmini_writes(text):
    with pytest.raises(ValueError, match="is not key parameters of the form"):
        KdfParams.decode(text)


@pytest.mark.parametrize(
    "key_params", ["garbage", f"argon2id$m=64,t={2**70},p=1", "argon2id$m=64,t=1,p=9"], ids=["garbage", "2-70", "lanes"]
)
def test_unusable_stored_key_parameters_answer_as_a_wrong_passphrase_not_a_500(
    client, auth, db_url, caplog, key_params
):
    headers = auth.user("alice")
    execute_raw(db_url, "UPDATE users SET key_params = ? WHERE username = ?", (key_params, "alice"))
    [(user_id,)] = execute_raw(db_url, "SELECT user_id FROM users WHERE username = ?", ("alice",))
    with caplog.at_level(logging.ERROR, logger="oppmini"):
        answer = client.get("/v1/items", headers=headers, status=400).json
    assert answer == {"status_code": 400, "error": "Incorrect passphrase supplied!", "description": ""}
    assert any(
        message.startswith(f"user {user_id}: stored key_params ")
        and message.endswith("; no passphrase can unlock this vault")
        for message in caplog.messages
    )
