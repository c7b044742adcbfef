"""`opp`'s exit codes and one-line errors.

No match 1, several 2, server error 3, no session 4, unreachable 5, usage 64.
"""

from live import free_port


def test_no_match_exits_1(logged_in):
    done = logged_in("get", "Nothing", "--field", "password")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "opp: no item named 'Nothing'; opp search WORDS finds items by part of a name\n"
    assert logged_in("ls", "--category", "Nope").returncode == 1
    assert logged_in("search", "nothing").returncode == 1
    assert logged_in("rm", "42").returncode == 1


def test_several_matches_exit_2_listing_them_without_secrets(logged_in):
    first = logged_in.json("add", "Mail", "--url", "https://a.example", "--generate", "16")
    second = logged_in.json("add", "mail", "--url", "https://b.example", "--generate", "16")
    for command in (("get", "Mail", "--field", "password"), ("rm", "MAIL"), ("edit", "mail", "--url", "x")):
        done = logged_in(*command)
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == (
            f"{first['id']}  Mail  https://a.example\n{second['id']}  mail  https://b.example\n"
            f"opp: 2 items are named {command[1]!r}; give one's id\n"
        )
        assert first["password"] not in done.stderr and second["password"] not in done.stderr
    # An id picks one; nothing was deleted or changed by the refused commands.
    assert logged_in.ok("get", str(second["id"]), "--field", "password") == second["password"] + "\n"
    assert len(logged_in.api("GET", "items")["items"]) == 2


def test_wrong_passphrase_is_a_server_error_exit_3(logged_in, tmp_path):
    wrong = tmp_path / "wrong-phrase"
    wrong.write_text("not the passphrase\n", encoding="utf-8")
    wrong.chmod(0o600)
    done = logged_in("ls", "--phrase-file", wrong)
    assert (done.returncode, done.stdout) == (3, "")
    assert done.stderr == "opp: Incorrect passphrase supplied!\n"
    # OPP_PHRASE_FILE names the file too; --phrase-file wins over it.
    done = logged_in("ls", env=logged_in.environ(OPP_PHRASE_FILE=str(wrong)))
    assert done.returncode == 3
    assert (
        logged_in(
            "ls", "--phrase-file", logged_in.phrase_file, env=logged_in.environ(OPP_PHRASE_FILE=str(wrong))
        ).returncode
        == 0
    )


def test_server_refusal_exits_3_with_its_error_and_description(logged_in):
    done = logged_in("add", "Short", "--generate", "4")
    assert done.returncode == 3
    assert done.stderr == (
        "opp: Invalid password generation options!: For sanity's sake, numChars must be between 8 and 100 characters.\n"
    )
    assert logged_in.api("GET", "items")["items"] == []


def test_no_passphrase_and_no_terminal_is_a_usage_error(logged_in):
    env = logged_in.environ()
    del env["OPP_PHRASE_FILE"]
    done = logged_in("ls", env=env)
    assert done.returncode == 64
    assert done.stderr == "opp: no passphrase: give --phrase-file FILE or set OPP_PHRASE_FILE (no terminal to ask on)\n"


def test_unreachable_exits_5_and_plain_http_elsewhere_than_localhost_warns(opp):
    port = free_port()  # nothing listens there
    done = opp("login", "--server", f"http://127.0.0.1:{port}", "-u", "alice", input="pw\n")
    assert done.returncode == 5
    assert done.stderr == f"opp: cannot reach http://127.0.0.1:{port}: Connection refused\n"
    # 0.0.0.0 reaches this machine but is not a loopback name: the warning comes first.
    done = opp("login", "--server", f"http://0.0.0.0:{port}", "-u", "alice", input="pw\n")
    assert done.returncode == 5
    assert done.stderr.splitlines()[0] == (
        f"opp: warning: http://0.0.0.0:{port} is plain HTTP: the password, passphrase and token cross the "
        "network unencrypted; use https://"
    )


def test_usage_errors_exit_64(opp):
    for args in (("frobnicate",), ("get",), ("add", "X", "--generate", "8", "--words", "4"), ("gen", "many")):
        done = opp(*args)
        assert done.returncode == 64, args
    done = opp("login", "--server", "ftp://example.org", "-u", "alice", input="pw\n")
    assert (done.returncode, done.stderr) == (
        64,
        "opp: the server must be an http:// or https:// URL, not 'ftp://example.org'\n",
    )
    done = opp("login", "--server", opp.server_url, input="pw\n")  # no -u, and no terminal to ask on
    assert (done.returncode, done.stderr) == (64, "opp: give the user name with -u NAME\n")
