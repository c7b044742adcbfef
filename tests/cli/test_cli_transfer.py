"""`opp import` and `opp export` against a real serve.py."""

import json
import stat

from oppmini import importers

SECRET = "imported password 0x5f"
EXPORT = json.dumps({"encrypted": False, "folders": [{"id": "f", "name": "Mail"}], "items": [
    {"type": 1, "name": "Mail", "folderId": "f", "login": {"username": "al", "password": SECRET}},
    {"type": 1, "name": "Forum", "login": {"password": "other", "totp": "no seed at all"}},
    {"type": 3, "name": "Card"},
]})


def test_import_then_export_round_trip(logged_in, tmp_path):
    source = tmp_path / "bitwarden.json"
    source.write_text(EXPORT, encoding="utf-8")
    dry = logged_in.ok("import", source, "--dry-run")
    assert dry == ("Would import 2 items from bitwarden-json (1 new categories); skipped 0 duplicates and 1 entries "
                   "of other kinds.\nentry 2: the TOTP value is no valid seed: kept in the custom field TOTP\n"
                   "entry 3: a card: not imported\n")
    assert logged_in.api("GET", "fetchall")["items"] == []
    assert logged_in.json("import", source)["imported"] == 2
    again = logged_in.json("import", source, "--keep-duplicates")
    assert (again["imported"], again["skipped_duplicates"]) == (2, 0)

    target = tmp_path / "out.json"
    done = logged_in("export", "--format", "bitwarden-json", "-o", target)
    assert done.returncode == 0 and "NOT encrypted" in done.stderr and SECRET not in done.stderr + done.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    reading = importers.read(target.read_bytes())
    assert [(entry.name, entry.folder, entry.password) for entry in reading.entries] == [
        ("Mail", "Mail", SECRET), ("Forum", "", "other")] * 2
    refused = logged_in("export", "-o", target)
    assert refused.returncode == 64 and "exists" in refused.stderr
    assert json.loads(logged_in.ok("export", "-o", "-"))["format"] == "oppmini-json"


def test_a_refused_file_says_why_and_an_unreadable_path_is_a_usage_error(logged_in, tmp_path):
    source = tmp_path / "enc.json"
    source.write_text('{"encrypted": true, "items": []}', encoding="utf-8")
    refused = logged_in("import", source)
    assert refused.returncode == 3 and refused.stderr.startswith("opp: Encrypted exports are not supported!: ")
    missing = logged_in("import", tmp_path / "nope.json")
    assert missing.returncode == 64 and "cannot read" in missing.stderr
