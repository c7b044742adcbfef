"""What the report derives from each item, kept sealed by the first report that needs it and read by the next.

The tests count the passwords zxcvbn is asked about and the seeds parsed (the
real functions still answer): a report over what an earlier one kept derives
nothing, and a kept record that no longer belongs to its item's record is
never believed.
"""

import json

import pytest
import webtest
import zxcvbn as zxcvbn_package
from zxcvbn import zxcvbn as real_zxcvbn

from conftest import PASSWORD, Auth, Vault, execute_raw, member
from oppmini.admin import backup
from oppmini.store.db import Database
from oppmini.vault.health import kept
from oppmini.web.app import make_app

STRONG = "correct-Horse-battery-staple-91"


@pytest.fixture
def estimated(monkeypatch):
    """The passwords handed to zxcvbn, in order."""
    asked = []

    def counted(password, *args, **kwargs):
        asked.append(password)
        return real_zxcvbn(password, *args, **kwargs)

    # strength.py imports the function from its package at its first estimate, so it is swapped there.
    monkeypatch.setattr(zxcvbn_package, "zxcvbn", counted)
    return asked


def findings(report):
    return {entry["id"]: entry["findings"] for entry in report["items"]}


@pytest.fixture
def parsed(monkeypatch):
    """The seeds handed to totp.parse by the health check, in order."""
    asked = []
    real_parse = kept.parse_seed

    def counted(text):
        asked.append(text)
        return real_parse(text)

    monkeypatch.setattr(kept, "parse_seed", counted)
    return asked


def kept_rows(db_url, item_id):
    """The sealed records kept for one item."""
    return execute_raw(db_url, "SELECT sealed_health FROM item_health WHERE item_id = ?", (item_id,))


def test_a_report_estimates_no_password_an_earlier_one_kept(vault, estimated):
    weak, strong = vault.add_items(
        {"name": "Bank", "username": "alice", "password": "alice2024"}, {"name": "Shop", "password": STRONG}
    )
    assert estimated == []  # a write estimates nothing: the first report that needs it does
    first = vault.get("vault/health")
    assert sorted(estimated) == sorted(["alice2024", STRONG])
    estimated.clear()
    assert vault.get("vault/health") == first and estimated == []
    assert findings(first)[weak["id"]]["weak"]["score"] < 3 and strong["id"] not in findings(first)


def test_an_edited_password_or_item_name_gets_a_new_score(vault, estimated):
    (item,) = vault.add_items({"name": "Bank", "username": "alice", "password": STRONG})
    assert item["id"] not in findings(vault.get("vault/health"))
    vault.post("items", {"items": [{"id": item["id"], "password": "alice2024"}]})
    assert findings(vault.get("vault/health"))[item["id"]]["weak"]["score"] < 3
    # The item's own words are the estimate's inputs: a new name is a new score for the same password.
    (named,) = vault.add_items({"name": "Zorblax", "username": "qwhmpf", "password": "Zorblaxqwhmpf"})
    before = findings(vault.get("vault/health"))[named["id"]]["weak"]["score"]
    vault.post("items", {"items": [{"id": named["id"], "name": "Shop", "username": "x"}]})
    estimated.clear()
    after = findings(vault.get("vault/health")).get(named["id"], {}).get("weak", {"score": 3})["score"]
    assert after > before and estimated == ["Zorblaxqwhmpf"]  # only the item written since


def test_items_from_before_the_kept_scores_are_estimated_once_then_kept(vault, db_url, estimated):
    weak, strong = vault.add_items({"name": "A", "password": "password1"}, {"name": "B", "password": STRONG})
    first = vault.get("vault/health")
    execute_raw(db_url, "DELETE FROM item_health")  # as a database of an earlier release holds none
    estimated.clear()
    assert vault.get("vault/health") == first
    assert sorted(estimated) == sorted(["password1", STRONG])
    assert len(kept_rows(db_url, weak["id"])) == len(kept_rows(db_url, strong["id"])) == 1
    estimated.clear()
    assert vault.get("vault/health") == first and estimated == []


def test_a_score_moved_to_another_item_or_kept_from_an_older_record_is_estimated_again(vault, db_url, estimated):
    weak, strong = vault.add_items({"name": "A", "password": "password1"}, {"name": "B", "password": STRONG})
    vault.get("vault/health")
    (old_record,) = execute_raw(db_url, "SELECT sealed_fields FROM items WHERE item_id = ?", (weak["id"],))[0]
    vault.post("items", {"items": [{"id": weak["id"], "password": STRONG + "!"}]})
    vault.get("vault/health")
    (new_score,) = kept_rows(db_url, weak["id"])[0]
    # The new password's kept score copied to the other item, and the item's record put back as it was:
    # each kept record now sits beside a record it was not made from.
    execute_raw(db_url, "UPDATE item_health SET sealed_health = ? WHERE item_id = ?", (new_score, strong["id"]))
    execute_raw(db_url, "UPDATE items SET sealed_fields = ? WHERE item_id = ?", (old_record, weak["id"]))
    estimated.clear()
    found = findings(vault.get("vault/health"))
    assert sorted(estimated) == sorted(["password1", STRONG])
    assert found[weak["id"]]["weak"]["score"] < 3 and strong["id"] not in found
    assert kept_rows(db_url, weak["id"])[0][0] != new_score


def test_kept_scores_are_sealed(vault, db_url):
    (item,) = vault.add_items({"name": "Bank", "username": "alice", "password": "password1"})
    weak = findings(vault.get("vault/health"))[item["id"]]["weak"]
    assert weak["warning"] and weak["suggestions"]
    (record,) = kept_rows(db_url, item["id"])[0]
    for clear in (b"password1", b"score", weak["warning"].encode(), weak["suggestions"][0].encode()):
        assert clear not in bytes(record)


def test_a_deleted_item_leaves_no_score_behind(vault, db_url):
    kept_item, trashed = vault.add_items({"name": "A", "password": STRONG}, {"name": "B", "password": STRONG})
    vault.get("vault/health")
    vault.delete("items", {"ids": [trashed["id"]]})
    assert trashed["id"] not in findings(vault.get("vault/health"))
    vault.delete("trash", {"ids": [trashed["id"]]})
    assert kept_rows(db_url, trashed["id"]) == [] and len(kept_rows(db_url, kept_item["id"])) == 1


def test_what_a_report_derives_of_an_import_is_kept(vault, estimated):
    body = {"encrypted": False, "folders": [], "items": []}
    for name, password in (("Bank", "alice2024"), ("Shop", STRONG)):
        login = {"username": "alice", "password": password, "uris": [{"uri": "https://a.example"}]}
        body["items"].append({"type": 1, "name": name, "folderId": None, "login": login})
    headers = {**vault.headers, "Content-Type": "application/octet-stream"}
    assert vault.client.post("/v1/import", json.dumps(body).encode(), headers=headers).json["imported"] == 2
    assert vault.get("vault/health")["counts"]["weak"] == 1 and len(estimated) == 2
    estimated.clear()
    assert vault.get("vault/health")["counts"]["weak"] == 1 and estimated == []


def test_a_collection_member_reads_what_another_member_s_report_kept(client, auth, estimated):
    alice, bob = member(client, auth, "alice"), member(client, auth, "bob")
    family = alice.new_collection("Family")
    alice.add(family, bob="write")
    (shared,) = alice.add_items({"name": "TV", "username": "bob", "password": "bob12345", "collection_id": family})
    alice.get("vault/health")
    estimated.clear()
    assert findings(bob.get("vault/health"))[shared["id"]]["weak"]["score"] < 3 and estimated == []


def test_a_restored_backup_reports_as_before(vault, db_url, clock, tmp_path, estimated):
    vault.add_items({"name": "A", "username": "alice", "password": "alice2024"}, {"name": "B", "password": STRONG})
    before = vault.get("vault/health")
    restored_url = f"sqlite:///{tmp_path}/restored.db"
    backup.write_backup(Database(db_url), tmp_path / "backup.jsonl")
    backup.restore(Database(restored_url), tmp_path / "backup.jsonl")
    restored = webtest.TestApp(make_app(vault.client.app.services.config.replace(db_connect=restored_url), clock=clock))
    again = Vault(restored, Auth(restored).headers(Auth(restored).login("alice", PASSWORD)))
    assert again.get("vault/health") == before
    estimated.clear()
    assert again.get("vault/health") == before and estimated == []


def test_seeds_are_compared_in_the_form_an_earlier_report_kept(vault, db_url, parsed):
    seed = "JBSWY3DPEHPK3PXP"
    one, two, other, note = vault.add_items(
        {"name": "One", "totp": seed},
        {"name": "Two", "totp": f"otpauth://totp/x?secret={seed.lower()}", "password": STRONG},
        {"name": "Other", "totp": "GEZDGNBVGY3TQOJQ"},
        {"name": "Note"},
    )
    report = vault.get("vault/health")
    assert len(parsed) == 3 and kept_rows(db_url, note["id"]) == []
    parsed.clear()
    assert vault.get("vault/health") == report and parsed == []
    assert report["shared_totp"] == [[one["id"], two["id"]]]
    execute_raw(db_url, "DELETE FROM item_health")
    assert vault.get("vault/health")["shared_totp"] == [[one["id"], two["id"]]] and len(parsed) == 3
    # Neither a password nor a seed any more: the next report drops what was kept for it.
    vault.post("items", {"items": [{"id": two["id"], "password": "", "totp": ""}]})
    vault.get("vault/health")
    assert kept_rows(db_url, two["id"]) == [] and len(kept_rows(db_url, other["id"])) == 1


def test_a_key_rotation_and_a_deleted_collection_carry_what_was_kept(client, auth, db_url, estimated, parsed):
    alice, bob = member(client, auth, "alice"), member(client, auth, "bob")
    member(client, auth, "carol")
    family = alice.new_collection("Family")
    alice.add(family, bob="write", carol="read")
    weak, seeded = alice.add_items(
        {"name": "TV", "username": "bob", "password": "bob12345", "collection_id": family},
        {"name": "Bank", "totp": "JBSWY3DPEHPK3PXP", "password": STRONG, "collection_id": family},
    )
    alice.get("vault/health")
    before = bob.get("vault/health")
    old_records = [kept_rows(db_url, item["id"])[0][0] for item in (weak, seeded)]
    alice.remove(family, "carol")  # a new collection key: every record sealed again
    estimated.clear()
    parsed.clear()
    assert bob.get("vault/health") == before and (estimated, parsed) == ([], [])
    assert [kept_rows(db_url, item["id"])[0][0] for item in (weak, seeded)] != old_records
    # Deleted, the collection's items go to alice's trash sealed under her key, and what was kept with them.
    rotated = [kept_rows(db_url, item["id"])[0][0] for item in (weak, seeded)]
    alice.delete_collections(family)
    assert [kept_rows(db_url, item["id"])[0][0] for item in (weak, seeded)] != rotated
    alice.post("trash", {"ids": [weak["id"], seeded["id"]]})
    assert findings(alice.get("vault/health"))[weak["id"]]["weak"]["score"] < 3 and (estimated, parsed) == ([], [])
