"""`opp import` and `opp export` against a real serve.py."""

import json
import stat

from oppmini.transfer import importers

SECRET = "imported password 0x5f"
EXPORT = json.dumps(
    {
        "encrypted": False,
        "folders": [{"id": "f", "name": "Mail"}],
        "items": [
            {"type": 1, "name": "Mail", "folderId": "f", "login": {"username": "al", "password": SECRET}},
            {"type": 1, "name": "Forum", "login": {"password": "other", "totp": "no seed at all"}},
            {"type": 3, "name": "Card"},
        ],
    }
)


def test_import_then_export_round_trip(logged_in, tmp_path):
    source = tmp_path / "bitwarden.json"
    source.write_text(EXPORT, encoding="utf-8")
    dry = logged_in.ok("import", source, "--dry-run")
    assert dry == (
        "Would import 3 items from bitwarden-json (1 new categories); skipped 0 duplicates and 0 entries "
        "of other kinds.\nentry 2: the TOTP value is no valid seed: kept in the custom field TOTP\n"
    )
    assert logged_in.api("GET", "fetchall")["items"] == []
    assert logged_in.json("import", source)["imported"] == 3  # the card too, as a card item
    again = logged_in.json("import", source, "--keep-duplicates")
    assert (again["imported"], again["skipped_duplicates"]) == (3, 0)

    target = tmp_path / "out.json"
    done = logged_in("export", "--format", "bitwarden-json", "-o", target)
    assert done.returncode == 0 and "NOT encrypted" in done.stderr and SECRET not in done.stderr + done.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    reading = importers.read(target.read_bytes())
    assert [(entry.name, entry.folder, entry.password) for entry in reading.entries] == [
        ("Mail", "Mail", SECRET),
        ("Forum", "", "other"),
        ("Card", "", ""),
    ] * 2
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


def test_an_export_is_not_printed_to_a_terminal(logged_in, tmp_path):
    logged_in.ok("add", "Mail", "--username", "me", "--generate", "16")
    for format_name in ("bitwarden-csv", "oppmini-json"):
        refused = logged_in.on_terminal("export", "--format", format_name, "-o", "-")
        assert (refused.returncode, refused.stdout) == (64, "")
        assert refused.stderr == (
            "opp: the export is not encrypted: not printed to a terminal; give -o FILE, or "
            "redirect standard output (opp export -o - > FILE)\n"
        )
    # Into a pipe or a file it goes as it is.
    assert logged_in.ok("export", "--format", "bitwarden-csv", "-o", "-").startswith("folder,favorite,type,name")
    assert logged_in.on_terminal("export", "-o", tmp_path / "out.json").returncode == 0
    assert json.loads((tmp_path / "out.json").read_text())["items"][0]["username"] == "me"


def test_a_csv_export_names_on_stderr_the_items_it_changes(logged_in, tmp_path):
    logged_in.ok("add", "Bank", "--url", "https://bank.example/?a=1,2", "--generate", "16")
    logged_in.ok("add", "=cmd", "--field", "Codes=one", "--generate", "16")
    logged_in.ok("add", "Plain", "--generate", "16")
    bank, formula = (item["id"] for item in logged_in.api("GET", "fetchall")["items"][:2])
    done = logged_in("export", "--format", "bitwarden-csv", "-o", tmp_path / "out.csv")
    assert done.returncode == 0
    assert done.stderr.splitlines()[:3] == [
        "opp: warning: bitwarden-csv changes 2 items (--format bitwarden-json or oppmini-json keeps them as they are):",
        f"  Bank (id {bank}): its URL holds a comma: read back as several URLs",
        f'  =cmd (id {formula}): its name starts with "=": written with a \' in front, so that a spreadsheet shows '
        "it rather than running it",
    ]
    assert done.stderr.splitlines()[3].startswith("Wrote ")
    assert (tmp_path / "out.csv").read_text().count("\n") == 4
    clean = logged_in("export", "--format", "bitwarden-json", "-o", tmp_path / "out.json")
    assert clean.returncode == 0 and "warning" not in clean.stderr


def test_an_export_with_its_files_imports_them_back_and_says_so(logged_in, tmp_path):
    logged_in.ok("add", "Passport", "--type", "note")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(bytes(range(256)) * 40)
    logged_in.ok("attach", "Passport", scan)
    exported = tmp_path / "with-files.json"
    logged_in.ok("export", "--include-attachments", "-o", exported)
    assert len(json.loads(exported.read_text())["items"][0]["attachments"]) == 1
    (item,) = logged_in.api("GET", "fetchall")["items"]
    logged_in.api("DELETE", "items", {"ids": [item["id"]]})
    said = logged_in.ok("import", exported)
    assert said.startswith("Imported 1 items with 1 attached file from oppmini-json")
    back = tmp_path / "back.pdf"
    logged_in.ok("get", "Passport", "--attachment", "scan.pdf", "-o", back)
    assert back.read_bytes() == scan.read_bytes()
