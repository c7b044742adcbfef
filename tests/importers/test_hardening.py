"""Hostile files: XML entities, zip bombs, nesting and size tricks all end as the package's clean error, quickly."""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from oppmini.contract.errors import IMPORT_UNREADABLE, ApiError
from oppmini.transfer import importers

from .hostile import HOSTILE, LIMIT

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024

SECRET = "TOP-SECRET-FILE-CONTENT"


def refused(data, within, **budgets):
    with within(10), pytest.raises(ApiError) as caught:
        importers.read(data, **budgets)
    assert (caught.value.status, caught.value.error) == (400, IMPORT_UNREADABLE)
    return caught.value.description


def keepass(body, doctype):
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}\n<KeePassFile><Root><Group><Name>db</Name>'
        f"<Entry><String><Key>Password</Key><Value>{body}</Value></String></Entry></Group></Root>"
        "</KeePassFile>"
    ).encode()


BILLION_LAUGHS = (
    '<!DOCTYPE KeePassFile [<!ENTITY l0 "ha">'
    + "".join(f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    + "]>"
)


def test_an_xml_bomb_is_refused_as_a_dtd_without_expanding(within):
    description = refused(keepass("&l9;", BILLION_LAUGHS), within)
    assert "DTD" in description


@pytest.mark.parametrize(
    "doctype, body",
    [
        ('<!DOCTYPE KeePassFile [<!ENTITY leak SYSTEM "file://{path}">]>', "&leak;"),
        ('<!DOCTYPE KeePassFile [<!ENTITY % leak SYSTEM "file://{path}"> %leak;]>', "x"),
        ('<!DOCTYPE KeePassFile SYSTEM "file://{path}">', "x"),
    ],
    ids=["general entity", "parameter entity", "external DTD"],
)
def test_an_external_entity_is_refused_without_reading_the_file(doctype, body, tmp_path, within):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    description = refused(keepass(body, doctype.format(path=secret)), within)
    assert "DTD" in description and SECRET not in description


def test_even_a_harmless_internal_entity_is_refused(within):
    assert "DTD" in refused(keepass("&a;", '<!DOCTYPE KeePassFile [<!ENTITY a "b">]>'), within)


def test_deeply_nested_groups_read_without_recursion(within):
    depth = 20_000
    data = (
        "<KeePassFile><Root>" + "<Group><Name>g</Name>" * depth + "<Entry><String><Key>Title</Key><Value>deep"
        "</Value></String></Entry>" + "</Group>" * depth + "</Root></KeePassFile>"
    ).encode()
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
        while archive[at + (46 if signature == b"PK\x01\x02" else 30) :][:11] != b"export.data":
            at = archive.index(signature, at + 4)
        archive[at + offset : at + offset + 4] = (20).to_bytes(4, "little")
    assert refused(bytes(archive), within, max_bytes=1000) == "the 1PUX zip is damaged or truncated"


def test_a_zip_of_too_many_members_is_refused_before_unpacking(within):
    crowd = one_pux([("export.data", b'{"accounts": []}')] + [(f"files/{n}", b"") for n in range(10_001)])
    assert refused(crowd, within, max_bytes=50 * 1024 * 1024) == "the 1PUX zip has more than 10000 members"


@pytest.mark.parametrize("data", [b"[" * 100_000 + b"]" * 100_000, b'{"items": ' * 50_000 + b"1" + b"}" * 50_000])
def test_deeply_nested_json_is_refused(data, within):
    assert refused(data, within) == "JSON nested too deeply"


def test_a_json_file_of_half_a_million_empty_lists_is_refused_before_parsing(within):
    data = b"[" + b"[]," * 500_000 + b"[]]"
    assert refused(data, within) == "the file holds more than 500000 JSON objects and lists"


def test_a_csv_field_past_the_csv_modules_limit_is_refused_naming_its_line(within):
    data = b"name,url,username,password\na,b,c,d\nx,y,z," + b"p" * 200_000 + b"\n"
    assert refused(data, within).startswith("line 3: not valid CSV (field larger than field limit")


@pytest.mark.parametrize(
    "builder, named", [(builder, named) for _, builder, _, named in HOSTILE], ids=[name for name, *_ in HOSTILE]
)
def test_a_file_of_one_huge_token_or_row_is_refused_naming_the_bound(builder, named, within):
    data = builder()
    assert len(data) <= LIMIT
    assert named in refused(data, within)


# The child's own peak (VmHWM, as the benchmark reads it): getrusage's ru_maxrss would carry this
# process's peak into the child across fork and exec.
CHILD = """
import re, sys
from oppmini.transfer import importers
from oppmini.contract.errors import ApiError
data = open(sys.argv[1], "rb").read()
try:
    importers.read(data)
except ApiError:
    pass
status = open("/proc/self/status").read()
print(int(re.search(r"VmHWM:\\s*(\\d+) kB", status).group(1)) * 1024)
"""


@pytest.mark.parametrize("builder", [builder for _, builder, *_ in HOSTILE], ids=[name for name, *_ in HOSTILE])
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from Linux's /proc")
def test_reading_a_hostile_file_stays_within_the_import_memory_bound(builder, tmp_path):
    """README's bound for an import (W10): peak resident memory within 4 x the file + 50 MiB, the interpreter
    included."""
    path = tmp_path / "file"
    path.write_bytes(builder())
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    peak = int(done.stdout)
    assert peak <= 4 * path.stat().st_size + 50 * MIB, f"peak {peak / MIB:.0f} MiB"


def entry_with(inner, around=""):
    return (
        f"<KeePassFile><Root><Group><Name>db</Name>{around}<Entry>{inner}<String><Key>Title</Key><Value>t</Value>"
        "</String></Entry></Group></Root></KeePassFile>"
    ).encode()


def test_a_long_value_is_text_not_one_token_and_reads_whole(within):
    note = "n" * (5 * 1024 * 1024)
    with within(10):
        (entry,) = importers.read(entry_with(f"<String><Key>Notes</Key><Value>{note}</Value></String>")).entries
    assert entry.notes == note


@pytest.mark.parametrize(
    "data, named",
    [
        (
            entry_with("", "<x " + " ".join(f'a{n}=""' for n in range(65)) + "/>"),
            "line 1: an XML element with more than 64 attributes",
        ),
        (entry_with("", "".join(f"<x{n}/>" for n in range(1001))), "line 1: more than 1000 different XML names"),
        (entry_with("<String/>" * 1001), "entry 1: more than 1000 strings"),
        (
            b"<KeePassFile><Root>" + b"<Group>" * 100_001 + b"</Group>" * 100_001 + b"</Root></KeePassFile>",
            "line 1: XML nested more than 100000 elements deep",
        ),
        (
            b"<KeePassFile><Root>" + b"<x/>" * 2_000_001 + b"</Root></KeePassFile>",
            "the file holds more than 2000000 XML tags",
        ),
        (
            b"<KeePassFile>\n<!--" + b"x" * 200_000 + b"-->",
            "line 2: an XML tag, comment or processing instruction longer than 65536 bytes",
        ),
    ],
    ids=["attributes", "names", "strings", "depth", "tags", "comment"],
)
def test_each_xml_bound_is_refused_naming_it_and_the_line(data, named, within):
    description = refused(data, within)
    assert description.startswith(named) and description.endswith("which no KeePass export has"), description


def test_an_element_within_the_bounds_reads():
    data = entry_with("<String><Key>a</Key><Value " + " ".join(f'a{n}=""' for n in range(64)) + ">v</Value></String>")
    (entry,) = importers.read(data).entries
    assert entry.fields == [("a", "v", False)]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_csv_line_of_too_many_commas_is_refused_by_its_number_before_splitting(newline, within):
    lines = ["name,url,username,password", "a,b,c,d", "a,b,c,d" + "," * 10_001, "a,b,c,d"]
    description = refused(newline.join(lines).encode(), within)
    assert description.startswith("line 3: more than 10000 commas on one line")
    lines[2] = '"' + "," * 9_990 + '",b,c,d'  # a value of many commas within the bound reads
    assert importers.read(newline.join(lines).encode()).entries[1].name == "," * 9_990
