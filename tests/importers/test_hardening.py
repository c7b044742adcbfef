"""Hostile files: XML entities, zip bombs, nesting and size tricks all end as the package's clean error, quickly."""

import io
import json
import zipfile

import pytest

from oppmini import importers
from oppmini.errors import IMPORT_UNREADABLE, ApiError

SECRET = "TOP-SECRET-FILE-CONTENT"


def refused(data, within, **budgets):
    with within(10), pytest.raises(ApiError) as caught:
        importers.read(data, **budgets)
    assert (caught.value.status, caught.value.error) == (400, IMPORT_UNREADABLE)
    return caught.value.description


def keepass(body, doctype):
    return (f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}\n<KeePassFile><Root><Group><Name>db</Name>'
            f'<Entry><String><Key>Password</Key><Value>{body}</Value></String></Entry></Group></Root>'
            '</KeePassFile>').encode()


BILLION_LAUGHS = "<!DOCTYPE KeePassFile [<!ENTITY l0 \"ha\">" + "".join(
    f"<!ENTITY l{n} \"{('&l' + str(n - 1) + ';') * 10}\">" for n in range(1, 10)) + "]>"


def test_an_xml_bomb_is_refused_as_a_dtd_without_expanding(within):
    description = refused(keepass("&l9;", BILLION_LAUGHS), within)
    assert "DTD" in description


@pytest.mark.parametrize("doctype, body", [
    ('<!DOCTYPE KeePassFile [<!ENTITY leak SYSTEM "file://{path}">]>', "&leak;"),
    ('<!DOCTYPE KeePassFile [<!ENTITY % leak SYSTEM "file://{path}"> %leak;]>', "x"),
    ('<!DOCTYPE KeePassFile SYSTEM "file://{path}">', "x"),
], ids=["general entity", "parameter entity", "external DTD"])
def test_an_external_entity_is_refused_without_reading_the_file(doctype, body, tmp_path, within):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    description = refused(keepass(body, doctype.format(path=secret)), within)
    assert "DTD" in description and SECRET not in description


def test_even_a_harmless_internal_entity_is_refused(within):
    assert "DTD" in refused(keepass("&a;", '<!DOCTYPE KeePassFile [<!ENTITY a "b">]>'), within)


def test_deeply_nested_groups_read_without_recursion(within):
    depth = 20_000
    data = ("<KeePassFile><Root>" + "<Group><Name>g</Name>" * depth + "<Entry><String><Key>Title</Key><Value>deep"
            "</Value></String></Entry>" + "</Group>" * depth + "</Root></KeePassFile>").encode()
    with within(10):
        (entry,) = importers.read(data).entries
    assert entry.name == "deep" and entry.folder.count("/") == depth - 2


def one_pux(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.attributes", '{"version": 3}')
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_from_its_declared_size(within):
    bomb = one_pux([("export.data", b" " * (64 * 1024 * 1024))])  # 64 MiB of JSON white space
    assert len(bomb) < 200_000
    assert refused(bomb, within) == f"export.data: unpacks to more than {importers.DEFAULT_MAX_BYTES} bytes"


def test_a_zip_that_understates_its_size_is_still_read_no_further_than_declared(within):
    data = json.dumps({"accounts": []}).encode() + b" " * 100_000
    archive = bytearray(one_pux([("export.data", data)]))
    # Rewrite the declared size (central directory and local header) to 20 bytes: the real data is far larger.
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = archive.index(signature, archive.index(b"export.data") - 60 if signature == b"PK\x03\x04" else 0)
        while archive[at + (46 if signature == b"PK\x01\x02" else 30):][:11] != b"export.data":
            at = archive.index(signature, at + 4)
        archive[at + offset:at + offset + 4] = (20).to_bytes(4, "little")
    assert refused(bytes(archive), within, max_bytes=1000) == "the 1PUX zip is damaged or truncated"


def test_a_zip_of_too_many_members_is_refused_before_unpacking(within):
    crowd = one_pux([("export.data", b'{"accounts": []}')] + [(f"files/{n}", b"") for n in range(10_001)])
    assert refused(crowd, within, max_bytes=50 * 1024 * 1024) == "the 1PUX zip has more than 10000 members"


@pytest.mark.parametrize("data", [b"[" * 100_000 + b"]" * 100_000, b'{"items": ' * 50_000 + b"1" + b"}" * 50_000])
def test_deeply_nested_json_is_refused(data, within):
    assert refused(data, within) == "JSON nested too deeply"


def test_a_json_file_of_a_million_empty_lists_is_refused_before_parsing(within):
    data = b"[" + b"[]," * 1_000_000 + b"[]]"
    assert refused(data, within) == "the file holds more than 1000000 JSON objects and lists"


def test_a_csv_field_past_the_csv_modules_limit_is_refused_naming_its_line(within):
    data = b"name,url,username,password\na,b,c,d\nx,y,z," + b"p" * 200_000 + b"\n"
    assert refused(data, within).startswith("line 3: not valid CSV (field larger than field limit")
