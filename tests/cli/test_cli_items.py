"""`opp` on items against a real serve.py, on each backend: what it prints against what the API stores."""

import pytest

from cli.conftest import Opp, sign_up


@pytest.fixture
def alice(any_server, tmp_path):
    opp = Opp(tmp_path, any_server.url, sign_up(any_server.url))
    opp.login()
    return opp


def test_add_with_a_generated_password_then_get_its_fields(alice):
    added = alice.json(
        "add", "Mail", "--url", "https://mail.example", "--username", "alice", "--category", "Email", "--generate", "24"
    )
    stored = alice.api("GET", "fetchall")
    [item] = stored["items"]
    assert stored["categories"] == [{"id": item["category_id"], "name": "Email", "sort_id": 0}]
    assert added["id"] == item["id"] and added["password"] == item["password"]
    assert len(item["password"]) == 24
    # The bare value and one newline, nothing else: what $(opp get ...) captures.
    assert alice.ok("get", "Mail", "--field", "password") == item["password"] + "\n"
    assert alice.ok("get", str(item["id"]), "--field", "username") == "alice\n"
    assert alice.ok("get", "mail", "--field", "category") == "Email\n"  # names match in any case
    shown = alice.ok("get", "Mail")
    assert "url: https://mail.example" in shown and "category: Email" in shown
    assert item["password"] not in shown  # hidden unless --show
    assert f"password: {item['password']}" in alice.ok("get", "Mail", "--show")


def test_add_with_words_and_from_stdin(alice):
    alice.ok("add", "Bank", "--words", "5")
    words = alice.ok("get", "Bank", "--field", "password").rstrip("\n").split(" ")
    assert len(words) == 5 and all(word.isalpha() for word in words)
    alice.ok("add", "Wifi", "--password-stdin", "--notes", "line one", input="  spaced pass  \n")
    assert [i["password"] for i in alice.api("GET", "items")["items"] if i["name"] == "Wifi"] == ["  spaced pass  "]


def test_ls_search_edit_rm(alice):
    # Forum first: its lower id must not put it before a name match.
    alice.ok("add", "Forum", "--username", "mailfan", "--notes", "recovery code 7421", "--generate", "12")
    alice.ok("add", "Mail", "--url", "https://mail.example", "--category", "Email", "--generate", "12")
    listed = alice.ok("ls")
    assert listed.splitlines()[0].split() == ["ID", "NAME", "USERNAME", "URL", "CATEGORY"]
    assert "Mail" in listed and "Forum" in listed and "Email" in listed
    assert [row["name"] for row in alice.json("ls", "--category", "email")] == ["Mail"]
    # Name matches first, then the rest by id; notes are searched, passwords never.
    assert [row["name"] for row in alice.json("search", "MAIL")] == ["Mail", "Forum"]
    assert [row["name"] for row in alice.json("search", "recovery", "7421")] == ["Forum"]
    password = alice.ok("get", "Mail", "--field", "password").strip()
    # "--": a generated password may begin with "-", which would be read as an option.
    assert alice("search", "--", password).returncode == 1
    assert alice("search", "--", "-" + password).returncode == 1

    alice.ok("edit", "Forum", "--username", "fan@example", "--category", "Email", "--name", "Board")
    edited = [i for i in alice.api("GET", "items")["items"] if i["name"] == "Board"][0]
    assert edited["username"] == "fan@example" and edited["category"]["name"] == "Email"
    assert edited["blob"] == "recovery code 7421"  # fields not named keep their value
    alice.ok("edit", "Board", "--no-category", "--password-stdin", input="new secret\n")
    edited = [i for i in alice.api("GET", "items")["items"] if i["name"] == "Board"][0]
    assert edited["category"] == {"id": None} and edited["password"] == "new secret"

    assert alice.ok("rm", "Board") == f"Deleted item {edited['id']} 'Board'.\n"
    assert [i["name"] for i in alice.api("GET", "items")["items"]] == ["Mail"]


def test_gen(alice):
    assert len(alice.ok("gen", "30").rstrip("\n")) == 30
    generated = alice.json("gen", "--words", "6", "--delimiter", "-")
    assert len(generated["password"].split("-")) == 6 and generated["entropy_bits"] > 0
