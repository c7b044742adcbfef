"""The §2 mapping rules per source, where the corpus's expected logins do not pin them down."""

import base64
import gzip
import json

import pytest

from oppmini.contract.errors import ImportRefused
from oppmini.transfer import importers
from oppmini.transfer.importers.entry import File


def read(text, format="auto"):
    return importers.read(text.encode() if isinstance(text, str) else text, format)


def test_bitwarden_json_keeps_hidden_fields_hidden_favourites_and_extra_urls_as_fields():
    export = {
        "items": [
            {"type": 9, "name": "a kind to come"},
            {
                "type": 1,
                "name": "mail",
                "favorite": True,
                "collectionIds": ["c"],
                "fields": [
                    {"name": "shown", "value": "a", "type": 0},
                    {"name": "secret", "value": "b", "type": 1},
                    {"name": "flag", "value": "true", "type": 2},
                    {"name": "linked", "value": None, "type": 3, "linkedId": 100},
                ],
                "login": {"uris": [{"uri": "https://a.example"}, {"uri": None}, {"uri": "https://b.example"}]},
            },
            {"type": "5", "name": "a type that is no number"},
        ],
        "collections": [{"id": "c", "name": "Family"}],
    }
    reading = read(json.dumps(export))
    (entry,) = reading.entries
    assert (entry.position, entry.favorite, entry.folder, entry.url) == (2, True, "Family", "https://a.example")
    assert entry.fields == [
        ("URL 2", "https://b.example", False),
        ("shown", "a", False),
        ("secret", "b", True),
        ("flag", "true", False),
    ]
    assert reading.skipped == 2
    assert reading.warnings == [
        (1, "an unknown kind of item: not imported"),
        (3, "an unknown kind of item: not imported"),
    ]


def test_bitwarden_json_cards_identities_ssh_keys_and_notes_become_items_of_those_types():
    export = {
        "items": [
            {"type": 2, "name": "memo", "notes": "n", "secureNote": {"type": 0}},
            {"type": 3, "name": "card", "card": {"cardholderName": "J", "number": "4111", "expMonth": "1", "code": 7}},
            {"type": 4, "name": "me", "identity": {"firstName": "Jo", "passportNumber": "P1", "username": "jo"}},
            {
                "type": 5,
                "name": "ssh",
                "sshKey": {"privateKey": "K", "publicKey": "ssh-ed25519 AAAA", "keyFingerprint": "x"},
            },
        ]
    }
    note, card, identity, ssh = read(json.dumps(export)).entries
    assert (note.type, note.notes, note.typed) == ("note", "n", {})
    assert card.type == "card"
    assert card.typed == {
        "cardholder": "J",
        "brand": "",
        "number": "4111",
        "exp_month": "1",
        "exp_year": "",
        "code": "7",
    }
    assert identity.type == "identity" and identity.username == "jo"
    assert (identity.typed["first_name"], identity.typed["passport_number"], identity.typed["city"]) == ("Jo", "P1", "")
    assert (ssh.type, ssh.typed) == ("ssh_key", {"private_key": "K", "public_key": "ssh-ed25519 AAAA"})


def test_bitwarden_csv_reads_favourites_notes_and_name_value_fields():
    text = (
        "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n"
        'Home,1,note,memo,"a\r\nb",,0,,,,\n'
        ',,login,site,,"pin: 1: 2\nflag",0,"https://a.example,https://b.example",u,p,otpauth://totp/x?secret=A\n'
    )
    note, login = read(text).entries
    assert (note.folder, note.favorite, note.notes, note.password) == ("Home", True, "a\nb", "")
    assert login.fields == [("URL 2", "https://b.example", False), ("pin", "1: 2", False), ("flag", "", False)]
    assert (login.favorite, login.totp) == (False, "otpauth://totp/x?secret=A")


def test_lastpass_plain_notes_arrive_form_notes_are_skipped_and_placeholders_dropped():
    text = (
        "url,username,password,totp,extra,name,grouping,fav\n"
        "http://sn,,,,just words,memo,Home\\Keys,1\n"
        'http://sn,,,,"NoteType:Address\nCity:X",addr,,0\n'
        "http://,u,p,,,nourl,,0\n"
    )
    reading = read(text)
    memo, nourl = reading.entries
    assert (memo.name, memo.notes, memo.url, memo.folder, memo.favorite) == (
        "memo",
        "just words",
        "",
        "Home/Keys",
        True,
    )
    assert (nourl.url, nourl.position) == ("", 3)
    assert reading.warnings == [(2, "a LastPass form note (card, address...): not imported")]


KEEPASS = """<?xml version="1.0" encoding="utf-8"?>
<KeePassFile><Meta><RecycleBinUUID>QklO</RecycleBinUUID></Meta><Root><Group><UUID>Uk9PVA==</UUID><Name>db</Name>
<Entry><String><Key>Title</Key><Value>top</Value></String>
<String><Key>TimeOtp-Secret-Base32</Key><Value>JBSWY3DP</Value></String>
<String><Key>pin</Key><Value ProtectInMemory="True">1234</Value></String>
<History><Entry><String><Key>Title</Key><Value>old top</Value></String></Entry></History></Entry>
<Group><UUID>QklO</UUID><Name>Recycle Bin</Name><Group><Name>Deeper</Name>
<Entry><String><Key>Title</Key><Value>binned</Value></String></Entry></Group></Group>
<Group><Name>Mail</Name><Entry><String><Key>Title</Key><Value>mail</Value></String>
<String><Key>otp</Key><Value>otpauth://totp/m?secret=A</Value></String></Entry></Group>
</Group></Root></KeePassFile>"""


def test_keepass_drops_the_root_group_skips_the_recycle_bin_and_history_and_hides_protected_strings():
    reading = read(KEEPASS)
    top, mail = reading.entries
    assert (top.name, top.folder, top.totp, top.fields) == ("top", "", "JBSWY3DP", [("pin", "1234", True)])
    assert (mail.name, mail.folder, mail.totp, mail.position) == ("mail", "Mail", "otpauth://totp/m?secret=A", 3)
    assert (reading.skipped, reading.warnings) == (1, [(2, "in the Recycle Bin: not imported")])


def test_keepassxc_csv_drops_the_root_group():
    text = "Group,Title,Username,Password,URL,Notes\nRoot,a,,,,\nRoot/Mail/Work,b,,,,\n"
    assert [entry.folder for entry in read(text).entries] == ["", "Mail/Work"]


def test_firefox_names_entries_by_host_without_www_and_skips_its_own_account_rows():
    text = (
        "url,username,password,httpRealm,formActionOrigin,guid,timeCreated,timeLastUsed,timePasswordChanged\n"
        "https://www.Example.com:8443/login,u,p,,,,,,\n"
        "chrome://FirefoxAccounts,u,p,,,,,,\n"
        "not a url,u,p,,,,,,\n"
    )
    reading = read(text)
    assert [entry.name for entry in reading.entries] == ["example.com", "not a url"]
    assert reading.warnings == [(2, "Firefox's own account credentials: not imported")]


def test_dashlane_keeps_alternative_usernames_as_fields_and_reads_the_headerless_layout():
    text = (
        "username,username2,username3,title,password,note,url,category,otpSecret\n"
        "a,b,c,site,p,n,https://s.example,Work,JBSWY3DP\n"
    )
    (entry,) = read(text).entries
    assert (entry.folder, entry.totp, entry.fields) == (
        "Work",
        "JBSWY3DP",
        [("username2", "b", False), ("username3", "c", False)],
    )
    legacy = '"only a title"\n"site","https://s.example","u","p","note","extra"\n'
    first, second = read(legacy).entries
    assert (first.name, first.url, second.password, second.notes) == ("only a title", "", "p", "note")


def test_1pux_keeps_further_one_time_passwords_hidden_and_reads_favourites(corpus):
    reading = read((corpus / "1password8_keepassxc.1pux").read_bytes())
    login = reading.entries[0]
    assert (login.totp, login.favorite) == ("DFDFDEF", True)
    assert ("one-time password", "DFDFDEFDEF", True) in login.fields
    assert [entry.favorite for entry in reading.entries[1:]] == [False] * 7
    assert reading.warnings == [
        (9, "not a login, password, note, card, identity, router or document: not imported")  # a bank account
    ]


def test_1pux_cards_identities_routers_notes_and_documents_become_items_of_those_types(corpus):
    reading = read((corpus / "1password8_keepassxc.1pux").read_bytes())
    by_name = {entry.name: entry for entry in reading.entries}
    card = by_name["Credit Card"]
    assert (card.type, card.typed) == (
        "card",
        {
            "cardholder": "KeePassXC",
            "brand": "Mastercard",
            "number": "1234567890",
            "code": "123",
            "exp_year": "2022",
            "exp_month": "06",
        },
    )
    assert ("valid from", "202206", False) in card.fields  # what a card has no field for stays a custom field
    identity = by_name["Identity"]
    assert identity.type == "identity"
    assert {key: identity.typed[key] for key in ("first_name", "last_name", "address1", "city", "postcode")} == {
        "first_name": "KeePass",
        "last_name": "XC",
        "address1": "123 Avenue Rd",
        "city": "Boston",
        "postcode": "12345",
    }
    wifi = by_name["Home Wifi"]
    assert (wifi.type, wifi.typed["ssid"], wifi.password) == ("wifi", "wifi1", "12345678")
    assert by_name["Secure Note"].type == "note"
    document = by_name["KeePassXC Logo"]
    (file,) = document.files
    assert document.type == "note" and file.name == "keepassxc.png" and file.data.startswith(b"\x89PNG")
    assert len(file.data) == 18422


def test_1password_csv_reads_favourites():
    text = "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\na,,u,p,,true,false,,\nb,,u,p,,false,,,\n"
    assert [entry.favorite for entry in read(text).entries] == [True, False]


KEEPASSXC_CSV = '"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"\n'


def keepassxc_row(group, title, url=""):
    return f'"{group}","{title}","u","p","{url}","","","0","2025-03-29T18:29:16Z","2025-03-29T18:29:16Z"\n'


def test_keepassxc_csv_skips_the_recycle_bin_below_the_root_group_and_counts_it():
    text = KEEPASSXC_CSV + "".join(
        keepassxc_row(group, title)
        for group, title in (
            ("Root/Recycle Bin", "binned"),
            ("Root/Mail", "mail"),
            ("Root/Recycle Bin/Old", "deeper binned"),
            ("Root/Mail/Recycle Bin", "a group of that name elsewhere"),
            ("Recycle Bin", "the root group's own name"),
        )
    )
    reading = read(text)
    assert [(entry.position, entry.folder) for entry in reading.entries] == [
        (2, "Mail"),
        (4, "Mail/Recycle Bin"),
        (5, ""),
    ]
    assert (reading.skipped, reading.warnings) == (
        2,
        [(1, "in the Recycle Bin: not imported"), (3, "in the Recycle Bin: not imported")],
    )


def keepass_entry(title, extra=""):
    return f"<Entry><String><Key>Title</Key><Value>{title}</Value></String>{extra}</Entry>"


def keepass_file(body):
    return f"<KeePassFile><Root><Group><Name>db</Name>{body}</Group></Root></KeePassFile>"


def test_keepass_attachments_are_read_with_their_bytes_and_tags_and_expiry_warned_of_by_entry_position():
    pooled = base64.b64encode(gzip.compress(b"pooled bytes")).decode()
    text = keepass_file(
        keepass_entry("plain", "<Tags/><Times><Expires>False</Expires></Times>")
        + keepass_entry(
            "everything",
            "<Tags>bank;work</Tags><Times><Expires>True</Expires></Times>"
            "<Binary><Key>a.txt</Key><Value Ref='0'/></Binary>"
            "<Binary><Key>b.png</Key><Value Ref='1'/></Binary>"
            "<History>" + keepass_entry("old", "<Binary><Key>old.txt</Key><Value Ref='0'/></Binary>") + "</History>",
        )
        + keepass_entry("attached", "<Binary><Key>key.pem</Key><Value>aGk=</Value></Binary>")
    ).replace("<Root>", f"<Meta><Binaries><Binary ID='0' Compressed='True'>{pooled}</Binary></Binaries></Meta><Root>")
    reading = read(text)
    assert [entry.name for entry in reading.entries] == ["plain", "everything", "attached"]
    assert [entry.files for entry in reading.entries] == [
        [],
        [File("a.txt", b"pooled bytes")],
        [File("key.pem", b"hi")],
    ]
    assert reading.warnings == [
        (2, "an attachment refers to a file the export does not hold: not imported"),
        (2, "its tags are not imported: oppmini items have no tags"),
        (2, "its expiry date is not imported: oppmini items do not expire"),
    ]
    assert not any(secret in reason for _, reason in reading.warnings for secret in ("a.txt", "bank", "key.pem"))


def test_a_keepass_attachment_unpacking_past_the_byte_budget_is_refused_naming_the_entry():
    bomb = base64.b64encode(gzip.compress(b"\0" * 200_000)).decode()
    text = keepass_file(keepass_entry("bomb", f"<Binary><Key>z</Key><Value Compressed='True'>{bomb}</Value></Binary>"))
    with pytest.raises(ImportRefused) as refused:
        importers.read(text.encode(), max_bytes=100_000)
    assert "entry 1" in refused.value.description and "size limit" in refused.value.description


def test_a_keepass_group_named_with_a_slash_stays_apart_from_nested_groups():
    text = keepass_file(
        "<Group><Name>Internet/Shopping</Name>" + keepass_entry("flat") + "</Group>"
        "<Group><Name>Internet</Name><Group><Name>Shopping</Name>" + keepass_entry("nested") + "</Group></Group>"
    )
    flat, nested = read(text).entries
    assert (flat.folder, nested.folder) == ("Internet\u2215Shopping", "Internet/Shopping")


def test_an_untitled_entry_is_named_after_its_urls_host_else_untitled_with_a_warning():
    text = KEEPASSXC_CSV + "".join(
        keepassxc_row("Root", title, url)
        for title, url in (
            ("", "https://www.shop.example:8443/login"),
            (" ", ""),
            ("", "not a url"),
            ("titled", "https://t.example"),
        )
    )
    reading = read(text)
    assert [entry.name for entry in reading.entries] == ["shop.example", "Untitled", "Untitled", "titled"]
    assert reading.warnings == [
        (1, "no title: named after its URL's host"),
        (2, 'no title: named "Untitled"'),
        (3, 'no title: named "Untitled"'),
    ]
    xml = read(keepass_file("<Entry><String><Key>URL</Key><Value>https://x.example/</Value></String></Entry>"))
    assert [entry.name for entry in xml.entries] == ["x.example"]
