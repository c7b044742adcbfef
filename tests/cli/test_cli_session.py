"""`opp login`, `logout`, `status` and the session file, against a real serve.py."""

import json
import os
import stat
import time

from conftest import PASSWORD
from live import request


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_login_with_the_password_from_stdin_keeps_a_private_session_file(opp):
    said = opp.login("--expires", "600", umask=0)  # nothing of the umask's doing
    assert said.startswith(f"Logged in to {opp.server_url} as {opp.username} until ")
    path = opp.session_file()
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved.keys() == {"server", "username", "token", "expires_at", "cacert"}
    assert saved["server"] == opp.server_url and saved["username"] == opp.username
    # The expiry is the token's own: the server granted 600 s.
    assert 590 <= saved["expires_at"] - time.time() <= 601
    assert sorted(os.listdir(path.parent)) == ["session.json"]  # no partial file left behind


def test_a_wider_state_folder_is_tightened(opp):
    folder = opp.state / "oppmini"
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    opp.login()
    assert mode(folder) == 0o700


def test_session_folder_follows_xdg_and_falls_back_to_home(opp):
    opp.login()
    assert opp.session_file().exists()
    # A relative XDG_STATE_HOME is to be ignored (XDG base directory spec).
    opp.ok(
        "login",
        "--server",
        opp.server_url,
        "-u",
        opp.username,
        input=PASSWORD + "\n",
        env=opp.environ(XDG_STATE_HOME="relative/state"),
    )
    assert (opp.home / ".local" / "state" / "oppmini" / "session.json").exists()


def test_status_and_json(logged_in):
    status = logged_in.json("status")
    assert status["server"] == logged_in.server_url and status["username"] == logged_in.username
    assert 3500 < status["seconds_left"] <= 3600  # the default lifetime: an hour
    assert f"user:     {logged_in.username}" in logged_in.ok("status")


def test_login_json_and_later_commands_use_the_session_server(opp):
    answer = opp.json("login", "--server", opp.server_url + "/", "-u", opp.username, input=PASSWORD + "\n")
    assert answer["server"] == opp.server_url and answer["username"] == opp.username
    # No --server: the session's is used (the default would be 127.0.0.1:8080).
    assert opp.ok("ls") == "No items.\n"


def test_logout_forgets_the_session_and_everywhere_revokes_the_token(opp):
    opp.login()
    token = opp.token()
    assert opp.ok("logout") == "Logged out: this session's token no longer works.\n"
    assert not opp.session_file().exists()
    assert opp.ok("logout") == "Not logged in.\n"
    opp.login()
    other = opp.token()
    assert opp.ok("logout", "--everywhere") == "Logged out everywhere: every token of the account is revoked.\n"
    assert not opp.session_file().exists()
    for revoked in (token, other):
        answer = request("GET", f"{opp.server_url}/v1/generate", headers={"x-opp-jwt": revoked})[2]
        assert answer["description"] == "Token has been revoked"


def test_a_revoked_session_says_run_opp_login(opp):
    opp.login()
    stale = opp.session_file().read_text(encoding="utf-8")
    opp.ok("logout", "--everywhere")
    opp.session_file().write_text(stale, encoding="utf-8")
    done = opp("ls")
    assert done.returncode == 4
    assert done.stderr == (
        "opp: the session is no longer valid (Invalid token: Token has been revoked); run opp login\n"
    )
    assert opp("status").returncode == 4


def test_an_expired_session_says_run_opp_login(logged_in):
    path = logged_in.session_file()
    saved = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**saved, "expires_at": saved["expires_at"] - 7200}), encoding="utf-8")
    done = logged_in("ls")
    assert done.returncode == 4 and done.stdout == ""
    assert done.stderr.startswith("opp: the session expired at ") and done.stderr.endswith("; run opp login\n")


def test_no_session_and_another_server(opp):
    done = opp("ls")
    assert (done.returncode, done.stderr) == (4, "opp: not logged in; run opp login\n")
    opp.login()
    done = opp("ls", "--server", "http://localhost:9")
    assert done.returncode == 4
    assert done.stderr == (
        f"opp: the session is for {opp.server_url}, not http://localhost:9; run opp login --server http://localhost:9\n"
    )
    # OPP_SERVER chooses the server too, and --server wins over it.
    assert opp("ls", env=opp.environ(OPP_SERVER="http://localhost:9")).returncode == 4
    assert opp("ls", "--server", opp.server_url, env=opp.environ(OPP_SERVER="http://localhost:9")).returncode == 0


def test_wrong_password_is_the_server_error(opp):
    done = opp("login", "--server", opp.server_url, "-u", opp.username, input="wrong horse\n")
    assert (done.returncode, done.stdout) == (3, "")
    assert done.stderr == "opp: Bad Request: Invalid credentials\n"
    assert not opp.session_file().exists()


def test_password_file(opp, tmp_path):
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    secret.chmod(0o640)
    done = opp("login", "--server", opp.server_url, "-u", opp.username, "--password-file", secret)
    assert done.returncode == 0
    assert done.stderr == f"opp: warning: the password file {secret} can be read by other users; chmod 600 it\n"


def test_a_damaged_session_file_asks_for_login_and_logout_removes_it(logged_in):
    logged_in.session_file().write_text("{not json", encoding="utf-8")
    done = logged_in("ls")
    assert (done.returncode, done.stderr) == (
        4,
        f"opp: cannot read the session file {logged_in.session_file()} (JSONDecodeError); run opp login\n",
    )
    assert logged_in.ok("logout") == "Logged out here.\n"
    assert not logged_in.session_file().exists()
