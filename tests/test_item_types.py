"""Item types (README "Attachments and item types"): login, note, card, identity, wifi, ssh_key through the API."""

import json
import logging
import subprocess

import pytest

from conftest import execute_raw
from oppmini.seal import crypto, records
from oppmini.vault.types import cards

CARD = {"cardholder": "A Person", "number": "4111 1111 1111 1111", "exp_month": 3, "exp_year": "29", "code": "123"}
IDENTITY = {
    "title": "Dr",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address1": "12 Analytical Row",
    "city": "London",
    "postcode": "W1 1AA",
    "country": "GB",
    "phone": "+44 20 7946 0000",
    "email": "ada@example.org",
    "passport_number": "P1234567",
    "license_number": "LOVEL812345",
}


def test_a_card_is_answered_with_its_fields_normalised_and_no_warning(vault):
    (item,) = vault.add_items({"name": "Visa", "type": "card", "card": CARD})
    assert item["type"] == "card"
    assert item["card"] == {
        "cardholder": "A Person",
        "brand": "Visa",  # from the number's issuer range
        "number": "4111111111111111",
        "exp_month": "03",
        "exp_year": "2029",
        "code": "123",
    }
    assert vault.get("items")["items"][0]["card"] == item["card"]
    (flat,) = vault.get("fetchall")["items"]
    assert (flat["type"], flat["card"]) == ("card", item["card"])
    assert "warnings" not in vault.put("items", {"items": [{"type": "card", "card": CARD}]})


def test_a_card_number_failing_luhn_is_kept_with_a_warning_naming_the_row(vault):
    answer = vault.put("items", {"items": [{"name": "ok"}, {"type": "card", "card": {"number": "4111111111111112"}}]})
    second = answer["items"][1]
    assert second["card"]["number"] == "4111111111111112"
    assert answer["warnings"] == [{"row": 2, "id": second["id"], "reason": cards.LUHN_WARNING}]
    assert "4111" not in json.dumps(answer["warnings"])


def test_v1_items_are_logins_and_every_type_keeps_the_v1_keys(vault):
    (login,) = vault.add_items({"name": "Mail", "password": "pw"})
    (note,) = vault.add_items({"name": "Recipe", "type": "note", "blob": "flour"})
    assert (login["type"], note["type"]) == ("login", "note")
    assert "card" not in login and "note" not in note
    for item in vault.get("items")["items"]:
        assert {"id", "name", "url", "account", "username", "password", "blob", "category", "sort_id"} <= set(item)


@pytest.mark.parametrize(
    "row, named",
    [
        ({"type": "cheque"}, "field 'type'"),
        ({"type": 5}, "field 'type'"),
        ({"type": "card", "card": "4111"}, "field 'card'"),
        ({"type": "card", "card": {"number": "4111-abcd-1111"}}, "field 'card': field 'number'"),
        ({"type": "card", "card": {"number": "41"}}, "field 'card': field 'number'"),
        ({"type": "card", "card": {"exp_month": 13}}, "field 'exp_month'"),
        ({"type": "card", "card": {"exp_year": "199"}}, "field 'exp_year'"),
        ({"type": "card", "card": {"code": "12a"}}, "field 'code'"),
        ({"type": "card", "card": {"pin": "1234"}}, "has no field 'pin'"),
        ({"type": "card", "card": {"cardholder": 7}}, "field 'cardholder'"),
        ({"type": "identity", "identity": {"email": "no at sign"}}, "field 'email'"),
        ({"type": "identity", "identity": {"phone": "call me"}}, "field 'phone'"),
        ({"type": "identity", "identity": {"passport_number": "P" * 65}}, "field 'passport_number'"),
        ({"type": "wifi", "wifi": {"ssid": "\u00e9" * 17}}, "field 'ssid'"),
        ({"type": "wifi", "wifi": {"security": "open sesame"}}, "field 'security'"),
        ({"type": "ssh_key", "ssh_key": {"private_key": "hunter2"}}, "field 'private_key'"),
        ({"type": "ssh_key", "ssh_key": {"public_key": "ssh-ed25519 !!!"}}, "field 'public_key'"),
        ({"type": "ssh_key", "ssh_key": {"public_key": "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIA=="}}, "field 'public_key'"),
        ({"type": "login", "card": CARD}, "field 'card' belongs to type card"),
    ],
)
def test_a_malformed_typed_field_is_a_clear_400_that_changes_nothing_and_quotes_no_value(vault, row, named):
    answer = vault.put("items", {"items": [{"name": "first"}, {"name": "x", **row}]}, status=400)
    assert answer["error"] == "Invalid item data in list!"
    assert answer["description"].startswith("Row 2: ") and named in answer["description"]
    for secret in ("4111", "hunter2", "P" * 10, "call me", "sesame", "12a"):
        assert secret not in answer["description"]
    assert vault.get("items")["items"] == []


def test_identity_and_wifi_round_trip_the_wifi_key_being_the_password_with_its_history(vault):
    (person,) = vault.add_items({"name": "Me", "type": "identity", "identity": IDENTITY})
    assert {key: person["identity"][key] for key in IDENTITY} == IDENTITY
    assert person["identity"]["middle_name"] == "" and person["identity"]["ssn"] == ""
    (home,) = vault.add_items({"name": "Home", "type": "wifi", "wifi": {"ssid": "Home 5G"}, "password": "old key"})
    assert home["wifi"] == {"ssid": "Home 5G", "security": "wpa2"} and home["password"] == "old key"
    vault.post("items", {"items": [{"id": home["id"], "password": "new key"}]})
    assert [entry["password"] for entry in vault.get(f"items/{home['id']}/history")["history"]] == ["old key"]


def test_post_keeps_the_typed_fields_changes_them_whole_and_changes_the_type(vault):
    (item,) = vault.add_items({"name": "Card", "type": "card", "card": CARD})
    (renamed,) = vault.post("items", {"items": [{"id": item["id"], "name": "Main card"}]})["items"]
    assert renamed["card"] == item["card"]
    (changed,) = vault.post("items", {"items": [{"id": item["id"], "card": {"number": "5555555555554444"}}]})["items"]
    assert changed["card"]["number"] == "5555555555554444" and changed["card"]["brand"] == "Mastercard"
    assert changed["card"]["code"] == ""  # the object replaces the fields whole
    (note,) = vault.post("items", {"items": [{"id": item["id"], "type": "note"}]})["items"]
    assert note["type"] == "note" and "card" not in note
    refused = vault.post("items", {"items": [{"id": item["id"], "card": CARD}]}, status=400)
    assert "field 'card' belongs to type card; this item is a note" in refused["description"]


def ssh_key_pair(folder, kind, passphrase=""):
    path = folder / kind
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", passphrase, "-C", "me@home", "-f", str(path)], check=True)
    printed = subprocess.run(["ssh-keygen", "-l", "-f", f"{path}.pub"], check=True, capture_output=True, text=True)
    return path.read_text(), (folder / f"{kind}.pub").read_text(), printed.stdout.split()[1]


@pytest.fixture(scope="module")
def ssh_keys(tmp_path_factory):
    """Key pairs made once with ssh-keygen (an RSA key takes seconds): by kind, a second ed25519 and a protected one."""
    keys = {kind: ssh_key_pair(tmp_path_factory.mktemp(kind), kind) for kind in ("ed25519", "rsa", "ecdsa")}
    keys["other"] = ssh_key_pair(tmp_path_factory.mktemp("other"), "ed25519")
    keys["protected"] = ssh_key_pair(tmp_path_factory.mktemp("protected"), "ed25519", passphrase="a passphrase")
    return keys


@pytest.mark.parametrize("kind", ["ed25519", "rsa", "ecdsa"])
def test_an_ssh_key_gets_the_fingerprint_ssh_keygen_prints_its_public_key_derived_when_missing(vault, ssh_keys, kind):
    private, public, printed = ssh_keys[kind]
    (both,) = vault.add_items(
        {"name": "k", "type": "ssh_key", "ssh_key": {"private_key": private, "public_key": public}}
    )
    assert both["ssh_key"]["fingerprint"] == printed and both["ssh_key"]["private_key"] == private
    (derived,) = vault.add_items({"name": "k", "type": "ssh_key", "ssh_key": {"private_key": private}})
    assert derived["ssh_key"]["fingerprint"] == printed
    assert derived["ssh_key"]["public_key"].split()[:2] == public.split()[:2]
    (sent,) = vault.add_items({"type": "ssh_key", "ssh_key": {"public_key": public, "fingerprint": "SHA256:made-up"}})
    assert sent["ssh_key"]["fingerprint"] == printed  # the server's, whatever the client says


def test_an_ssh_key_pair_that_does_not_match_is_refused_and_a_protected_key_is_kept_with_a_warning(vault, ssh_keys):
    private, _, _ = ssh_keys["ed25519"]
    _, other_public, _ = ssh_keys["other"]
    refused = vault.put(
        "items", {"items": [{"type": "ssh_key", "ssh_key": {"private_key": private, "public_key": other_public}}]}, 400
    )
    assert "is not the public half of 'private_key'" in refused["description"]
    protected, _, _ = ssh_keys["protected"]
    answer = vault.put("items", {"items": [{"type": "ssh_key", "ssh_key": {"private_key": protected}}]})
    assert answer["items"][0]["ssh_key"]["fingerprint"] == "" and "passphrase" in answer["warnings"][0]["reason"]


def test_search_finds_a_card_by_its_holder_never_by_number_or_code_nor_an_identity_by_its_documents(vault):
    vault.add_items(
        {"name": "Card", "type": "card", "card": CARD}, {"name": "Me", "type": "identity", "identity": IDENTITY}
    )
    assert [item["name"] for item in vault.get("search", q="person")["items"]] == ["Card"]
    assert [item["name"] for item in vault.get("search", q="lovelace london")["items"]] == ["Me"]
    for secret in ("4111111111111111", "1111", "123", "P1234567", "LOVEL812345"):
        assert vault.get("search", q=secret)["items"] == []


def test_typed_fields_are_inside_the_one_sealed_record_and_never_logged(vault, db_url, caplog):
    caplog.set_level(logging.DEBUG)
    vault.add_items({"name": "Card", "type": "card", "card": CARD}, {"type": "identity", "identity": IDENTITY})
    refused = {**CARD, "number": "4111111111111112", "code": "98x"}
    vault.put("items", {"items": [{"type": "card", "card": refused}]}, 400)
    clear = b"".join(
        bytes(v) if isinstance(v, (bytes, bytearray)) else str(v).encode()
        for row in execute_raw(db_url, "SELECT * FROM items")
        for v in row
    )
    for secret in ("4111111111111111", "P1234567", "LOVEL812345", "A Person", "Lovelace", '"card"', '"identity"'):
        assert secret.encode() not in clear
    for secret in ("4111111111111111", "4111111111111112", "98x", "P1234567", "LOVEL812345"):
        assert secret not in caplog.text


def test_records_of_layout_3_open_as_logins_and_new_ones_are_layout_4():
    key = crypto.DataKey(bytes(range(32)))
    layout_3 = json.dumps([3, "n", "u", "a", "us", "pw", "b", "", [], True, "host"]).encode()
    record = crypto.seal(key, layout_3, crypto.bind(records.ITEMS_TABLE, 7, 9))
    opened = records.open_item(key, 7, 9, record)
    assert (opened["type"], opened["typed"], opened["match"]) == ("login", {}, "host")
    card = {**opened, "type": "card", "typed": {"number": "4111111111111111"}}
    resealed = records.seal_item(key, 7, 9, card)
    assert records.open_item(key, 7, 9, resealed) == card
    assert json.loads(crypto.open_sealed(key, resealed, crypto.bind(records.ITEMS_TABLE, 7, 9)))[0] == 4
    assert records.open_items(key, 7, [(9, record), (9, resealed)]) == [opened, card]


@pytest.mark.parametrize(
    "inside",
    [
        [4, "n", "u", "a", "us", "pw", "b", "", [], False, "domain", "card"],
        [4, "n", "u", "a", "us", "pw", "b", "", [], False, "domain", 5, {}],
        [4, "n", "u", "a", "us", "pw", "b", "", [], False, "domain", "card", {"number": 4111}],
        [4, "n", "u", "a", "us", "pw", "b", "", [], False, "domain", "card", []],
    ],
)
def test_a_layout_4_record_of_the_wrong_shape_is_an_integrity_failure(inside):
    key = crypto.DataKey(bytes(range(32)))
    record = crypto.seal(key, json.dumps(inside).encode(), crypto.bind(records.ITEMS_TABLE, 7, 9))
    with pytest.raises(records.ApiError) as failed:
        records.open_item(key, 7, 9, record)
    assert failed.value.status == 500
    with pytest.raises(records.ApiError):
        records.open_items(key, 7, [(9, record)])
