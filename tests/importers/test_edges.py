"""What the corpus lacks: encodings, separators, empty files, encrypted exports, a large file, the budgets."""

import json

import pytest

from oppmini.contract.errors import (
    IMPORT_ENCRYPTED,
    IMPORT_UNREADABLE,
    PAYLOAD_TOO_LARGE,
    UNKNOWN_IMPORT_FORMAT,
    ApiError,
)
from oppmini.transfer import importers

BOM = b"\xef\xbb\xbf"
ODD = "Grüße ✓ 日本語 🔑 Ωmega"  # Latin, a symbol, CJK, an astral-plane emoji, Greek


def refused(data, error, format="auto", **budgets):
    with pytest.raises(ApiError) as caught:
        importers.read(data, format, **budgets)
    assert caught.value.error == error
    assert caught.value.status == 400
    return caught.value.description


def test_a_bom_and_crlf_line_ends_read_as_the_plain_file(text_sample):
    data = text_sample.read_bytes()
    plain = importers.read(data)
    assert importers.read(BOM + data).entries == plain.entries
    crlf = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    assert importers.read(crlf).entries == plain.entries


def odd_files():
    """The same login with non-ASCII text in every field, in one file per family that has those fields."""
    values = {key: f"{key} {ODD}" for key in ("name", "url", "username", "password", "notes", "folder", "totp")}
    bitwarden = {
        "folders": [{"id": "f", "name": values["folder"]}],
        "items": [
            {
                "type": 1,
                "folderId": "f",
                "name": values["name"],
                "notes": values["notes"],
                "fields": [{"name": f"field {ODD}", "value": f"value {ODD}", "type": 1}],
                "login": {
                    "uris": [{"uri": values["url"]}],
                    "username": values["username"],
                    "password": values["password"],
                    "totp": values["totp"],
                },
            }
        ],
    }
    yield "bitwarden-json", json.dumps(bitwarden, ensure_ascii=False), values
    yield (
        "bitwarden-csv",
        (
            "folder,favorite,type,name,notes,fields,login_uri,login_username,login_password,login_totp\n"
            + ",".join(
                [
                    values["folder"],
                    "",
                    "login",
                    values["name"],
                    values["notes"],
                    f"field {ODD}: value {ODD}",
                    values["url"],
                    values["username"],
                    values["password"],
                    values["totp"],
                ]
            )
        ),
        values,
    )
    yield (
        "keepass-xml",
        (
            f"<KeePassFile><Root><Group><Name>Root</Name><Group><Name>{values['folder']}</Name><Entry>"
            + "".join(
                f"<String><Key>{key}</Key><Value>{values[field]}</Value></String>"
                for key, field in (
                    ("Title", "name"),
                    ("URL", "url"),
                    ("UserName", "username"),
                    ("Password", "password"),
                    ("Notes", "notes"),
                    ("otp", "totp"),
                )
            )
            + f"<String><Key>field {ODD}</Key><Value ProtectInMemory='True'>value {ODD}</Value>"
            "</String></Entry></Group></Group></Root></KeePassFile>"
        ),
        values,
    )


@pytest.mark.parametrize("fmt, text, values", [pytest.param(*case, id=case[0]) for case in odd_files()])
def test_non_ascii_text_arrives_in_every_field(fmt, text, values):
    reading = importers.read(text.encode("utf-8"))
    assert reading.format == fmt
    (entry,) = reading.entries
    assert {key: getattr(entry, key) for key in values} == values
    assert entry.fields[0][:2] == (f"field {ODD}", f"value {ODD}")


def test_a_latin1_file_is_refused_naming_its_line_and_the_cure():
    data = "name,url,username,password,note\nbank,https://b.example,jo,pw,\ncafé,https://c.example,jo,pw,\n"
    description = refused(data.encode("latin-1"), IMPORT_UNREADABLE)
    assert description.startswith("line 3:")
    assert "not UTF-8" in description and "save it as UTF-8" in description


def test_a_utf16_file_is_refused_saying_so():
    data = "name,url,username,password,note\nbank,https://b.example,jo,pw,\n".encode("utf-16")
    assert "UTF-16" in refused(data, IMPORT_UNREADABLE)


@pytest.mark.parametrize("mark, named", [(";", "semicolons"), ("\t", "tabs")])
@pytest.mark.parametrize("format", ["auto", "chrome-csv", "bitwarden-csv"])
def test_a_spreadsheets_semicolon_or_tab_csv_is_refused_naming_the_separator(mark, named, format):
    data = mark.join(["name", "url", "username", "password", "note"]) + "\n" + mark.join(["a", "b", "c", "d", ""])
    description = refused(data.encode(), IMPORT_UNREADABLE, format)
    assert description.startswith("line 1:") and f"separated by {named}, not commas" in description


HEADERS = {
    "bitwarden-csv": (
        "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp"
    ),
    "keepassxc-csv": '"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"',
    "chrome-csv": "name,url,username,password,note",
    "firefox-csv": '"url","username","password","httpRealm","formActionOrigin","guid","timeCreated","timeLastUsed",'
    '"timePasswordChanged"',
    "safari-csv": "Title,URL,Username,Password,Notes,OTPAuth",
    "1password-csv": "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes",
    "lastpass-csv": "url,username,password,totp,extra,name,grouping,fav",
    "dashlane-csv": "username,username2,username3,title,password,note,url,category,otpUrl",
}


@pytest.mark.parametrize("fmt", HEADERS)
@pytest.mark.parametrize("ending", ["", "\n", "\r\n"])
def test_a_header_only_file_is_that_format_with_no_entries(fmt, ending):
    reading = importers.read((HEADERS[fmt] + ending).encode())
    assert (reading.format, reading.entries, reading.skipped) == (fmt, [], 0)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"hello world\n",
        b"[1, 2]",
        b'{"a": 1}',
        b"<html></html>",
        b"just,some,columns\n1,2,3\n",
        b"PK\x05\x06" + bytes(18),
    ],
)
def test_content_of_no_known_format_is_an_unknown_format(data):
    assert "format=" in refused(data, UNKNOWN_IMPORT_FORMAT)


def test_a_format_name_that_is_none_of_the_list_is_an_unknown_format():
    description = refused(b"name,url,username,password\n", UNKNOWN_IMPORT_FORMAT, "netscape-csv")
    assert "bitwarden-json" in description and "oppmini-json" in description


def test_a_named_format_that_does_not_fit_the_file_names_the_missing_columns():
    data = f"{HEADERS['bitwarden-csv']}\n,,login,a,,,,,,u,p,\n".encode()
    assert refused(data, IMPORT_UNREADABLE, "chrome-csv") == (
        "line 1: no column url, username, password: is this a Chrome CSV export?"
    )


@pytest.mark.parametrize(
    "export",
    [
        # "Encrypted" with a password of its own, and with the account's key.
        {
            "encrypted": True,
            "passwordProtected": True,
            "salt": "c2FsdA==",
            "kdfType": 0,
            "kdfIterations": 600000,
            "encKeyValidation_DO_NOT_EDIT": "2.aGk=|aGk=|aGk=",
            "data": "2.aGk=|aGk=|aGk=",
        },
        {
            "encrypted": True,
            "encKeyValidation_DO_NOT_EDIT": "2.aGk=|aGk=|aGk=",
            "folders": [{"id": "f", "name": "2.aGk=|aGk=|aGk="}],
            "items": [{"type": 1, "name": "2.aGk=|aGk=|aGk=", "login": {"password": "2.aGk=|aGk=|aGk="}}],
        },
    ],
)
def test_an_encrypted_bitwarden_export_is_refused_saying_how_to_export_unencrypted(export):
    for format in ("auto", "bitwarden-json"):
        description = refused(json.dumps(export).encode(), IMPORT_ENCRYPTED, format)
        assert '".json" (not ".json (Encrypted)")' in description


def test_a_keepass_database_file_is_refused_as_encrypted_saying_how_to_export():
    kdbx = b"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5" + bytes(200)
    assert "KeePass XML (2.x)" in refused(kdbx, IMPORT_ENCRYPTED)


def test_a_5000_entry_file_reads_whole_and_in_order():
    items = [
        {
            "type": 1,
            "name": f"site {n}",
            "folderId": f"f{n % 7}",
            "notes": None,
            "login": {"uris": [{"uri": f"https://{n}.example"}], "username": f"user{n}", "password": f"pw{n}"},
        }
        for n in range(5000)
    ]
    export = {"encrypted": False, "folders": [{"id": f"f{n}", "name": f"Folder {n}"} for n in range(7)], "items": items}
    reading = importers.read(json.dumps(export).encode())
    assert len(reading.entries) == 5000 and reading.skipped == 0
    last = reading.entries[-1]
    assert (last.position, last.name, last.url, last.username, last.password, last.folder) == (
        5000,
        "site 4999",
        "https://4999.example",
        "user4999",
        "pw4999",
        "Folder 1",
    )
    csv = "name,url,username,password,note\n" + "".join(f"s{n},https://{n}.example,u{n},p{n},\n" for n in range(5000))
    assert [entry.password for entry in importers.read(csv.encode()).entries] == [f"p{n}" for n in range(5000)]


def test_more_entries_than_the_limit_are_refused_at_the_first_one_over():
    data = "name,url,username,password\n" + "a,b,c,d\n" * 11
    assert refused(data.encode(), IMPORT_UNREADABLE, max_entries=10).startswith("entry 11:")
    assert len(importers.read(data.encode(), max_entries=11).entries) == 11


def test_a_file_over_the_byte_budget_is_payload_too_large():
    with pytest.raises(ApiError) as caught:
        importers.read(b"name,url,username,password\n" + b"a,b,c,d\n" * 10, max_bytes=50)
    assert (caught.value.status, caught.value.error) == (413, PAYLOAD_TOO_LARGE)
