"""The admin command line, run as users run it: a subprocess."""

import subprocess
import sys

import pytest
import webtest

from conftest import CHEAP_ARGON2, execute_raw
from live import write_config
from oppmini.config import Config
from oppmini.store.migrations import latest_version
from oppmini.web.app import make_app


@pytest.fixture
def cfg(tmp_path):
    return write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", **CHEAP_ARGON2)


def opp_db(cfg, *args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "oppmini.admin", "--config", str(cfg), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def login(tmp_path, username, password):
    config = Config(db_connect=f"sqlite:///{tmp_path}/opp.db", **CHEAP_ARGON2)
    client = webtest.TestApp(make_app(config))
    return client.post_json("/v1/auth", {"username": username, "password": password}, expect_errors=True)


def test_init_twice_is_harmless(cfg, tmp_path):
    said = []
    for _ in range(2):
        done = opp_db(cfg, "init")
        assert done.returncode == 0, done.stderr
        said.append(done.stdout.strip())
    latest = latest_version("sqlite")
    assert said == [f"Database created (schema version {latest}).", f"Database ready (schema version {latest})."]
    assert (tmp_path / "opp.db").exists()


def test_add_user_with_flags(cfg, tmp_path):
    done = opp_db(cfg, "add-user", "-u", "alice", "-p", "pw one", "--phrase", "phrase one")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "User 'alice' added."
    assert login(tmp_path, "alice", "pw one").status_int == 200
    # With a key pair at once, so others can share with the new user before they ever sign in.
    ((public_key,),) = execute_raw(f"sqlite:///{tmp_path}/opp.db", "SELECT public_key FROM users")
    assert len(public_key) == 32


def test_add_user_reads_missing_secrets_from_stdin(cfg, tmp_path):
    done = opp_db(cfg, "add-user", "-u", "bob", stdin="pw two\nphrase two\n")
    assert done.returncode == 0, done.stderr
    assert "pw two" not in done.stdout + done.stderr
    assert login(tmp_path, "bob", "pw two").status_int == 200


class Terminal:
    """Standard input as a person at a terminal: `make adduser` asks there."""

    def isatty(self):
        return True


def test_add_user_at_a_terminal_says_what_the_password_and_the_passphrase_are_for(cfg, tmp_path, monkeypatch, capsys):
    from oppmini.admin import main

    answers = iter(["pw four", "pw four", "phrase four", "phrase four"])
    monkeypatch.setattr(main.getpass, "getpass", lambda prompt: next(answers))
    monkeypatch.setattr("builtins.input", lambda prompt: "dave")
    assert main.main(["--config", str(cfg), "add-user"], stdin=Terminal()) == 0
    told = capsys.readouterr()
    assert "the password signs you in" in told.err and "the passphrase unlocks your vault" in told.err
    assert "cannot be reset" in told.err and "pw four" not in told.err + told.out
    assert told.out.strip() == "User 'dave' added."
    assert login(tmp_path, "dave", "pw four").status_int == 200


def test_add_user_reads_the_name_too_when_not_given(cfg, tmp_path):
    done = opp_db(cfg, "add-user", stdin="carol\npw three\nphrase three\n")
    assert done.returncode == 0, done.stderr
    assert login(tmp_path, "carol", "pw three").status_int == 200


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (("add-user", "-u", "alice", "-p", "pw", "--phrase", "short"), "", "at least 6 characters"),
        (("add-user", "-u", "alice", "-p", "pw"), "", "passphrase expected on standard input"),
        (("add-user", "-u", " ", "-p", "pw", "--phrase", "phrase one"), "", "username must not be empty"),
        (("del-user", "-u", "ghost", "-p", "pw"), "", "user 'ghost' does not exist"),
        (("update-user", "-u", "ghost", "-p", "pw", "--new_password", "x"), "", "user 'ghost' does not exist"),
    ],
)
def test_errors_exit_non_zero_with_a_message(cfg, args, stdin, message):
    done = opp_db(cfg, *args, stdin=stdin)
    assert done.returncode != 0
    assert done.stderr.startswith("Error: ")
    assert message in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (
            ("add-user", "-u", "a" * 256, "-p", "pw", "--phrase", "phrase one"),
            "",
            "the username is longer than 255 characters",
        ),
        (("add-user",), "al\x00ice\npw\nphrase one\n", "the username contains a control character"),
        (
            ("add-user", "-u", "alice\x1b[31m", "-p", "pw", "--phrase", "phrase one"),
            "",
            "the username contains a control character",
        ),
        # A command line that is not UTF-8 arrives as lone surrogates.
        (
            ("add-user", "-u", b"al\xffice", "-p", "pw", "--phrase", "phrase one"),
            "",
            "the username is not valid Unicode text",
        ),
    ],
)
def test_add_user_takes_the_servers_rule_for_names(cfg, tmp_path, args, stdin, message):
    done = opp_db(cfg, *args, stdin=stdin)
    assert (done.returncode, done.stderr) == (1, f"Error: {message}\n")


@pytest.mark.parametrize(
    "name, code_point", [("ecila\u202e", "U+202E"), ("ali\u200bce", "U+200B"), ("\u2066alice\u2069", "U+2066")]
)
def test_add_and_update_user_refuse_invisible_characters(cfg, tmp_path, name, code_point):
    fault = f"contains {code_point}, an invisible or direction-changing character"
    done = opp_db(cfg, "add-user", "-u", name, "-p", "pw", "--phrase", "phrase one")
    assert (done.returncode, done.stderr) == (1, f"Error: the username {fault}\n")
    opp_db(cfg, "add-user", "-u", "alice", "-p", "pw", "--phrase", "phrase one")
    done = opp_db(cfg, "update-user", "-u", "alice", "-p", "pw", "--new_username", name)
    assert (done.returncode, done.stderr) == (1, f"Error: the new username {fault}\n")
    rows = execute_raw(f"sqlite:///{tmp_path}/opp.db", "SELECT username FROM users")
    assert rows == [("alice",)]


def test_add_user_stores_the_composed_form(cfg, tmp_path):
    done = opp_db(cfg, "add-user", "-u", "Jose\u0301", "-p", "pw", "--phrase", "phrase one")
    assert done.stdout == "User 'Jos\u00e9' added.\n"
    rows = execute_raw(f"sqlite:///{tmp_path}/opp.db", "SELECT username FROM users")
    assert rows == [("Jos\u00e9",)]


def test_update_user_takes_the_servers_rule_for_names(cfg, tmp_path):
    opp_db(cfg, "add-user", "-u", "alice", "-p", "pw", "--phrase", "phrase one")
    done = opp_db(cfg, "update-user", "-u", "alice", "-p", "pw", "--new_username", "\N{GRINNING FACE}" * 300)
    assert (done.returncode, done.stderr) == (1, "Error: the new username is longer than 255 characters\n")
    assert login(tmp_path, "alice", "pw").status_int == 200


def test_a_taken_name_and_a_wrong_password(cfg):
    opp_db(cfg, "add-user", "-u", "alice", "-p", "pw", "--phrase", "phrase one")
    taken = opp_db(cfg, "add-user", "-u", "alice", "-p", "pw", "--phrase", "phrase one")
    assert (taken.returncode, taken.stderr.strip()) == (1, "Error: user 'alice' already exists")
    wrong = opp_db(cfg, "del-user", "-u", "alice", "-p", "nope")
    assert (wrong.returncode, wrong.stderr.strip()) == (1, "Error: incorrect password")


def test_update_user_renames_and_changes_the_password(cfg, tmp_path):
    opp_db(cfg, "add-user", "-u", "alice", "-p", "pw", "--phrase", "phrase one")
    done = opp_db(cfg, "update-user", "-u", "alice", "-p", "pw", "--new_username", "alicia", "--new_password", "pw2")
    assert done.returncode == 0, done.stderr
    assert login(tmp_path, "alicia", "pw2").status_int == 200
    assert login(tmp_path, "alice", "pw").status_int == 401


def test_update_phrase_rewraps_the_key(cfg, tmp_path):
    opp_db(cfg, "add-user", "-u", "alice", "-p", "pw", "--phrase", "phrase one")
    wrong = opp_db(
        cfg, "update-phrase", "-u", "alice", "-p", "pw", "--old_phrase", "nope", "--new_phrase", "phrase two"
    )
    assert (wrong.returncode, wrong.stderr.strip()) == (1, "Error: incorrect passphrase")
    done = opp_db(
        cfg, "update-phrase", "-u", "alice", "-p", "pw", "--old_phrase", "phrase one", "--new_phrase", "phrase two"
    )
    assert done.returncode == 0, done.stderr
    again = opp_db(
        cfg, "update-phrase", "-u", "alice", "-p", "pw", "--old_phrase", "phrase one", "--new_phrase", "x" * 8
    )
    assert again.returncode == 1
    back = opp_db(
        cfg, "update-phrase", "-u", "alice", "-p", "pw", "--old_phrase", "phrase two", "--new_phrase", "phrase one"
    )
    assert back.returncode == 0, back.stderr


def test_del_user_keeps_data_unless_asked(cfg, tmp_path):
    import sqlite3

    opp_db(cfg, "add-user", "-u", "alice", "-p", "pw", "--phrase", "phrase one")
    with sqlite3.connect(tmp_path / "opp.db") as raw:
        raw.execute("INSERT INTO categories (user_id, sealed_name) SELECT user_id, x'00' FROM users")
    raw.close()
    kept = opp_db(cfg, "del-user", "-u", "alice", "-p", "pw")
    assert kept.returncode == 1
    assert "--remove_data" in kept.stderr
    done = opp_db(cfg, "del-user", "-u", "alice", "-p", "pw", "--remove_data")
    assert done.returncode == 0, done.stderr
    assert login(tmp_path, "alice", "pw").status_int == 401


def test_a_bad_config_value_is_one_line(tmp_path):
    cfg = write_config(tmp_path, exp_delta="soon")
    done = opp_db(cfg, "init")
    assert (done.returncode, done.stderr) == (1, "Error: config 'exp_delta': expected a whole number\n")


def test_opp_db_console_script_is_installed(cfg):
    from pathlib import Path

    script = Path(sys.executable).parent / "opp-db"
    done = subprocess.run([str(script), "--config", str(cfg), "init"], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (
        0,
        f"Database created (schema version {latest_version('sqlite')}).",
    )
