"""`opp attach` and `opp get --attachment` against a real serve.py: the file goes up and comes back whole."""

import hashlib
import secrets

import pytest

from cli.conftest import Opp, sign_up


@pytest.fixture
def alice(server, tmp_path):
    opp = Opp(tmp_path, server.url, sign_up(server.url))
    opp.login()
    opp.ok("add", "Passport", "--username", "alice", "--words", "4")
    return opp


def test_attach_then_get_the_file_to_a_path_and_to_stdout(alice, tmp_path):
    data = secrets.token_bytes(200 * 1024 + 3)
    scan = tmp_path / "passport scan.pdf"
    scan.write_bytes(data)
    [item] = alice.api("GET", "items")["items"]
    assert alice.ok("attach", "Passport", scan) == (
        f"Attached 'passport scan.pdf' ({len(data)} bytes) to item {item['id']} 'Passport'.\n"
    )
    [listed] = alice.api("GET", "items")["items"][0]["attachments"]
    assert (listed["name"], listed["size"], listed["content_type"]) == (
        "passport scan.pdf",
        len(data),
        "application/pdf",
    )

    out = tmp_path / "back.pdf"
    done = alice("get", "Passport", "--attachment", "passport scan.pdf", "-o", out)
    assert done.returncode == 0 and done.stdout == ""
    assert hashlib.sha256(out.read_bytes()).digest() == hashlib.sha256(data).digest()

    note = tmp_path / "note.txt"
    note.write_text("the PIN is in the safe\n")
    alice.ok("attach", "Passport", note)
    assert alice.ok("get", "Passport", "--attachment", "note.txt") == "the PIN is in the safe\n"


def test_get_names_the_files_an_item_has_when_the_one_asked_for_is_not_there(alice, tmp_path):
    (tmp_path / "a.txt").write_text("a")
    alice.ok("attach", "Passport", tmp_path / "a.txt")
    done = alice("get", "Passport", "--attachment", "b.txt")
    assert done.returncode != 0
    assert "has no file 'b.txt'; its files: a.txt" in done.stderr
    done = alice("attach", "Passport", tmp_path / "missing.txt")
    assert done.returncode != 0 and "cannot read" in done.stderr
