"""contrib/fail2ban: the filter finds every wrong guess in a log serve.py wrote, and the log holds no secret."""

import configparser
import subprocess

from conftest import CHEAP_ARGON2, PASSWORD, PHRASE
from live import ROOT, LiveServer, request, require_binary, write_config

FILTER = ROOT / "contrib" / "fail2ban" / "filter.d" / "oppmini.conf"
JAIL = ROOT / "contrib" / "fail2ban" / "jail.d" / "oppmini.local"
TYPED_NAME = "typed-name-never-logged"
WRONG_PASSWORD = "wrong-password-never-logged"
WRONG_PHRASE = "wrong-phrase-never-logged"


def banned_addresses(log_path):
    """The address of every line fail2ban's filter matches, in order."""
    regex = require_binary("fail2ban-regex", "fail2ban")
    done = subprocess.run([regex, "-o", "ip", str(log_path), str(FILTER)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.split()


def test_every_wrong_guess_is_one_matched_line_with_the_address_and_no_secret(tmp_path):
    config = write_config(
        tmp_path,
        db_connect=f"sqlite:///{tmp_path}/opp.db",
        allow_signup="true",
        max_failures=4,
        processes=1,
        **CHEAP_ARGON2,
    )
    with LiveServer(config) as server:
        base = server.url
        assert (
            request("PUT", base + "/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})[0] == 200
        )
        token = request("POST", base + "/v1/auth", {"username": "alice", "password": PASSWORD})[2]["access_token"]
        expected = [
            # wrong password, unknown name, wrong password checking a rename, wrong passphrase
            request("POST", base + "/v1/auth", {"username": "alice", "password": WRONG_PASSWORD})[0],
            request("POST", base + "/v1/auth", {"username": TYPED_NAME, "password": WRONG_PASSWORD})[0],
            request(
                "POST", base + "/v1/user", {"username": "alice", "password": WRONG_PASSWORD, "new_username": "bob"}
            )[0],
            request("GET", base + "/v1/items", headers={"x-opp-jwt": token, "x-opp-phrase": WRONG_PHRASE})[0],
        ]
        assert expected == [401, 401, 400, 400]
        for _ in range(3):
            request("POST", base + "/v1/auth", {"username": TYPED_NAME, "password": WRONG_PASSWORD})
        refused = request("POST", base + "/v1/auth", {"username": TYPED_NAME, "password": WRONG_PASSWORD})[0]
        assert refused == 429  # past max_failures for the name here: a line of its own
        # Right answers are no failures.
        request("POST", base + "/v1/auth", {"username": "alice", "password": PASSWORD})
        request("GET", base + "/v1/items", headers={"x-opp-jwt": token, "x-opp-phrase": PHRASE})
    log = server.output
    text = log.read_text()
    for secret in (TYPED_NAME, WRONG_PASSWORD, WRONG_PHRASE, PASSWORD, PHRASE, token):
        assert secret not in text
    assert text.count("INFO oppmini.throttle: failed password guess from 127.0.0.1\n") == 6
    assert text.count("INFO oppmini.throttle: failed passphrase guess from 127.0.0.1\n") == 1
    assert banned_addresses(log) == ["127.0.0.1"] * 8  # 7 wrong guesses and one 429


def test_the_jail_uses_the_filter_and_the_unit_s_journal():
    jail = configparser.ConfigParser(interpolation=None)
    jail.read(JAIL)
    section = jail["oppmini"]
    assert section["enabled"] == "true" and section["filter"] == FILTER.stem
    assert section["journalmatch"] == "_SYSTEMD_UNIT=opp.service"
    assert (ROOT / "contrib" / "opp.service").exists()
