"""GET /v1/vault/health: weak, reused, old and exposed passwords and the other findings; never a secret."""

import logging
import re

import pytest
import webtest

from conftest import PASSWORD, Vault, execute_raw, member
from oppmini.web.app import make_app
from pwnedfile import sha1_of, write_pwned_file

DAY = 86400
STRONG = "correct-Horse-battery-staple-91"


def later(vault, clock, seconds):
    """Time passes (days, past any token's life), and the user logs in again."""
    clock.advance(seconds)
    token = vault.client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    vault.headers = {**vault.headers, "x-opp-jwt": token}


def findings(report):
    return {entry["id"]: entry["findings"] for entry in report["items"]}


def test_weak_by_score_with_the_items_own_words(vault):
    bank, mail, strong = vault.add_items(
        {"name": "Bank", "username": "alice", "url": "https://bank.example", "password": "alice2024"},
        {"name": "Mail", "username": "bob", "password": "Qx7#vLm2pT9z"},
        {"name": "Shop", "password": STRONG},
    )
    report = vault.get("vault/health")
    found = findings(report)
    weak = found[bank["id"]]["weak"]
    assert weak["score"] < 3 and isinstance(weak["warning"], str) and weak["suggestions"]
    assert "weak" not in found.get(mail["id"], {}) and strong["id"] not in found
    # The item's own words count: "zorblax" is no dictionary word, but it is this item's name.
    (named,) = vault.add_items({"name": "Zorblax", "username": "qwhmpf", "password": "Zorblaxqwhmpf"})
    (other,) = vault.add_items({"name": "Shop", "username": "x", "password": "Zorblaxqwhmpf"})
    found = findings(vault.get("vault/health"))
    assert found[named["id"]]["weak"]["score"] < found[other["id"]].get("weak", {"score": 3})["score"]
    assert report["counts"]["weak"] == 1 and report["checked"] == 3


def test_reuse_across_personal_and_shared_items_read_only_listed_not_counted(client, auth):
    alice, bob = member(client, auth, "alice"), member(client, auth, "bob")
    family, club = alice.new_collection("Family"), alice.new_collection("Club")
    alice.add(family, bob="write")
    alice.add(club, bob="read")
    (mine,) = bob.add_items({"name": "Mine", "password": STRONG})
    shared, read_only, other = alice.add_items(
        {"name": "TV", "password": STRONG, "collection_id": family},
        {"name": "Club", "password": STRONG, "collection_id": club},
        {"name": "Other", "password": STRONG + "!", "collection_id": family},
    )
    report = bob.get("vault/health")
    assert report["reused"] == [[mine["id"], shared["id"], read_only["id"]]]
    listed = {entry["id"]: entry for entry in report["items"]}
    assert listed[mine["id"]]["findings"] == {"reused": 0} and listed[shared["id"]]["counted"] is True
    assert listed[read_only["id"]] == {
        "id": read_only["id"],
        "collection_id": club,
        "counted": False,
        "findings": {"reused": 0},
    }
    assert other["id"] not in listed
    assert (report["checked"], report["counts"]["reused"]) == (3, 2)
    assert report["score"] == round(100 * 1 / 3)
    # Alice manages both: all three of hers are counted; Bob's item is not hers.
    assert alice.get("vault/health")["reused"] == [[shared["id"], read_only["id"]]]


def test_old_by_the_password_change_time(vault, clock):
    first, second = vault.add_items({"name": "A", "password": STRONG}, {"name": "B", "password": STRONG + "x"})
    later(vault, clock, 364 * DAY)
    assert vault.get("vault/health")["counts"]["old"] == 0
    vault.post("items", {"items": [{"id": second["id"], "password": STRONG + "y"}]})
    changed_at = int(clock())
    later(vault, clock, 1 * DAY)
    report = vault.get("vault/health")
    assert findings(report)[first["id"]]["old"] == {"changed_at": first["created_at"], "days": 365}
    assert second["id"] not in findings(report) and report["old_days"] == 365
    vault.post("items", {"items": [{"id": second["id"], "name": "B renamed"}]})  # not a password change
    later(vault, clock, 364 * DAY)
    assert findings(vault.get("vault/health"))[second["id"]]["old"] == {"changed_at": changed_at, "days": 365}


def test_health_old_days_is_a_setting(config, clock, auth):
    client = webtest.TestApp(make_app(config.replace(health_old_days=30), clock=clock))
    vault = Vault(client, type(auth)(client).user("alice"))
    (item,) = vault.add_items({"name": "A", "password": STRONG})
    later(vault, clock, 30 * DAY)
    report = vault.get("vault/health")
    assert report["old_days"] == 30 and findings(report)[item["id"]]["old"]["days"] == 30


def test_exposed_from_a_sorted_pwned_passwords_file(config, clock, auth, tmp_path):
    path = write_pwned_file(tmp_path / "pwned.txt", 5000, {STRONG: 42})
    client = webtest.TestApp(make_app(config.replace(pwned_passwords_file=str(path)), clock=clock))
    vault = Vault(client, type(auth)(client).user("alice"))
    exposed, fine = vault.add_items({"name": "A", "password": STRONG}, {"name": "B", "password": STRONG + "?"})
    report = vault.get("vault/health")
    assert report["exposed_check"] == "on" and findings(report) == {exposed["id"]: {"exposed": {"count": 42}}}
    assert report["counts"]["exposed"] == 1 and report["score"] == 50


def test_without_the_file_the_check_is_off_and_a_missing_one_is_said(vault, config, clock, auth, tmp_path):
    vault.add_items({"name": "A", "password": STRONG})
    assert vault.get("vault/health")["exposed_check"] == "off"
    client = webtest.TestApp(make_app(config.replace(pwned_passwords_file=str(tmp_path / "none")), clock=clock))
    other = Vault(client, type(auth)(client).user("bob"))
    other.add_items({"name": "A", "password": STRONG})
    assert other.get("vault/health")["exposed_check"] == "unreadable"


def test_no_password_http_only_and_shared_totp_seeds(vault):
    seed = "JBSWY3DPEHPK3PXP"
    note, plain, one, two = vault.add_items(
        {"name": "Note"},
        {"name": "Router", "url": "http://192.168.1.1", "password": STRONG},
        {"name": "One", "totp": seed, "password": STRONG + "1"},
        {"name": "Two", "totp": f"otpauth://totp/x?secret={seed.lower()}", "password": STRONG + "2"},
    )
    report = vault.get("vault/health")
    assert findings(report) == {
        note["id"]: {"no_password": True},
        plain["id"]: {"http_only": True},
        one["id"]: {"shared_totp": 0},
        two["id"]: {"shared_totp": 0},
    }
    assert report["shared_totp"] == [[one["id"], two["id"]]] and report["score"] == 100
    assert report["counts"] == {
        "weak": 0,
        "reused": 0,
        "old": 0,
        "exposed": 0,
        "no_password": 1,
        "http_only": 1,
        "shared_totp": 2,
    }


def test_a_note_card_identity_or_ssh_key_without_a_password_is_no_finding_a_wifi_network_is(vault):
    items = vault.add_items(
        {"name": "Memo", "type": "note", "blob": "text"},
        {"name": "Card", "type": "card", "card": {"number": "4111111111111111"}},
        {"name": "Me", "type": "identity"},
        {"name": "Key", "type": "ssh_key"},
        {"name": "Home", "type": "wifi", "wifi": {"ssid": "Home"}},
    )
    report = vault.get("vault/health")
    assert findings(report) == {items[4]["id"]: {"no_password": True}}  # the others are not listed
    assert report["counts"]["no_password"] == 1


def test_an_empty_vault_scores_100(vault):
    report = vault.get("vault/health")
    assert (report["checked"], report["score"], report["items"], report["reused"]) == (0, 100, [], [])


def test_needs_the_passphrase(client, auth):
    headers = auth.user("alice")
    answer = client.get("/v1/vault/health", headers={"x-opp-jwt": headers["x-opp-jwt"]}, status=400).json
    assert answer["error"] == "Passphrase header missing!"


HEX = re.compile(r"[0-9a-fA-F]{40,}")


def test_no_password_hash_or_hmac_in_the_answer_the_log_or_the_activity(config, clock, auth, tmp_path, caplog, db_url):
    secret = "Zebra-Quartz-" + "k9" * 6
    path = write_pwned_file(tmp_path / "pwned.txt", 100, {secret: 5})
    client = webtest.TestApp(make_app(config.replace(pwned_passwords_file=str(path)), clock=clock))
    vault = Vault(client, type(auth)(client).user("alice"))
    vault.add_items(
        {"name": "A", "password": secret}, {"name": "B", "password": secret}, {"name": "C", "password": "alice1"}
    )
    with caplog.at_level(logging.DEBUG):
        body = client.get("/v1/vault/health", headers=vault.headers).text
    assert '"exposed"' in body and '"reused"' in body
    activity = repr(execute_raw(db_url, "SELECT event, detail FROM activity"))
    for text in (body, caplog.text, activity):
        for leaked in (secret, "alice1", sha1_of(secret), sha1_of(secret).lower()):
            assert leaked not in text
        assert not HEX.search(text)


def test_without_password_history_the_last_change_of_the_item_is_the_time(config, clock, auth):
    client = webtest.TestApp(make_app(config.replace(password_history=0), clock=clock))
    vault = Vault(client, type(auth)(client).user("alice"))
    (item,) = vault.add_items({"name": "A", "password": STRONG})
    later(vault, clock, 200 * DAY)
    vault.post("items", {"items": [{"id": item["id"], "password": STRONG + "2"}]})
    later(vault, clock, 200 * DAY)
    assert item["id"] not in findings(vault.get("vault/health"))


def test_a_file_that_is_no_sorted_list_turns_the_check_unreadable(config, clock, auth, tmp_path):
    path = tmp_path / "pwned.txt"
    path.write_bytes(b"x" * 10_000)
    client = webtest.TestApp(make_app(config.replace(pwned_passwords_file=str(path)), clock=clock))
    vault = Vault(client, type(auth)(client).user("alice"))
    vault.add_items({"name": "A", "password": STRONG})
    report = vault.get("vault/health")
    assert (report["exposed_check"], report["items"], report["score"]) == ("unreadable", [], 100)


@pytest.mark.parametrize("length", [73, 100, 150])
def test_a_long_password_is_judged_by_its_first_100_characters(vault, length):
    """zxcvbn refuses more than 72 characters unless told its limit: each of these made the report a 500."""
    (item,) = vault.add_items({"name": "A", "password": "a" * length})
    assert findings(vault.get("vault/health"))[item["id"]]["weak"]["score"] < 3
