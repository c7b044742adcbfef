"""Where `opp` keeps secrets: the passphrase and password never on disk, in its environment or command line,
or in output."""

import subprocess
import time
from pathlib import Path

from cli.conftest import OPP
from conftest import PASSWORD, PHRASE
from live import request


def files_holding(folder, secret):
    return [path for path in Path(folder).rglob("*") if path.is_file() and secret.encode() in path.read_bytes()]


def test_secrets_stay_out_of_files_and_outputs(logged_in):
    opp = logged_in
    opp.ok("add", "Mail", "--generate", "20", "--category", "Email")
    opp.ok("add", "Wifi", "--password-stdin", input="wifi secret\n")
    opp.ok("ls"), opp.json("ls"), opp.ok("search", "mail"), opp.ok("get", "Mail"), opp.json("status")
    opp.ok("edit", "Mail", "--username", "alice"), opp.ok("rm", "Wifi")
    for secret in (PHRASE, PASSWORD, "wifi secret"):
        # The phrase file is the one place the test put the passphrase.
        assert files_holding(opp.state, secret) == [] and files_holding(opp.home, secret) == []
        assert not any(secret in output for output in opp.outputs), secret


def test_ls_json_holds_no_password_and_get_json_does(logged_in):
    added = logged_in.json("add", "Mail", "--generate", "20")
    [row] = logged_in.json("ls")
    assert row == {
        "id": added["id"],
        "name": "Mail",
        "url": "",
        "account": "",
        "username": "",
        "category_id": None,
        "category": "",
        "collection_id": None,
        "collection": "",
    }
    full = logged_in.json("get", "Mail")
    assert full["password"] == added["password"] and full["blob"] == ""


def test_the_passphrase_is_not_in_a_running_opp_environment_or_command_line(logged_in):
    """While `opp add --password-stdin` waits for the password, its passphrase is already read."""
    process = subprocess.Popen(
        [str(OPP), "add", "Mail", "--password-stdin"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=logged_in.environ(),
        start_new_session=True,
    )
    try:
        proc = Path(f"/proc/{process.pid}")
        deadline = time.monotonic() + 30
        # Waiting on standard input: the session loaded, the passphrase file read.
        # (The kernel names that wait pipe_read_wait, pipe_wait or anon_pipe_read, by version.)
        while "pipe" not in (proc / "wchan").read_text():
            assert time.monotonic() < deadline and process.poll() is None, "opp never waited for the password"
            time.sleep(0.02)
        for view in ("cmdline", "environ"):
            assert PHRASE.encode() not in (proc / view).read_bytes(), view
        assert str(logged_in.phrase_file).encode() in (proc / "environ").read_bytes()
        out, err = process.communicate(b"typed password\n", timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert PHRASE.encode() not in out + err
    assert [i["password"] for i in logged_in.api("GET", "items")["items"]] == ["typed password"]


def test_a_non_ascii_passphrase_works(opp):
    """The server reads x-opp-phrase as UTF-8; http.client alone would send latin-1 or refuse."""
    phrase = "bätterý stäple ☃"
    opp.username += "-ü"
    body = {"username": opp.username, "password": PASSWORD, "phrase": phrase}
    assert request("PUT", f"{opp.server_url}/v1/user", body)[0] == 200
    opp.phrase_file.write_text(phrase, encoding="utf-8")  # no final newline: all of it is the passphrase
    opp.login()
    opp.ok("add", "Mail", "--generate", "12")
    assert [row["name"] for row in opp.json("ls")] == ["Mail"]
