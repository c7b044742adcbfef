"""What `opp` prints for people: stored text that could drive the terminal is shown escaped."""

import json


def test_escape_sequences_and_bidi_overrides_are_shown_escaped(logged_in):
    name = "Bank\x1b]0;owned\x07\u202eknaB"
    notes = "first line\nsecond \x1b[2J line"
    logged_in.ok("add", name, "--notes", notes, "--generate", "12")
    listed = logged_in.ok("ls")
    assert "Bank\\x1b]0;owned\\x07\\u202eknaB" in listed and "\x1b" not in listed and "\u202e" not in listed
    shown = logged_in.ok("get", "bank\x1b]0;owned\x07\u202eknab")
    assert "notes: first line\n       second \\x1b[2J line\n" in shown
    # A bare value is the stored value exactly: scripts get what was saved.
    assert logged_in.ok("get", name, "--field", "notes") == notes + "\n"


# Texts a collection member could store: OSC 52 (writes the terminal's clipboard), an 8-bit CSI, an RTL override.
CLIPBOARD = "me\x1b]52;c;ZWNobyBvd25lZA==\x07"
SPOOFS = "gate\u009b2Jway\u202ekcaB"


def test_a_bare_value_is_escaped_on_a_terminal_and_stays_raw_in_a_pipe(logged_in):
    logged_in.ok("add", "Router", "--username", CLIPBOARD, "--notes", f"one\n{SPOOFS}", "--generate", "12")
    shown = logged_in.on_terminal("get", "Router", "--field", "username")
    assert (shown.returncode, shown.stdout) == (0, "me\\x1b]52;c;ZWNobyBvd25lZA==\\x07\n")
    # Notes keep their lines on a terminal; what could drive it is shown escaped.
    assert logged_in.on_terminal("get", "Router", "--field", "notes").stdout == "one\ngate\\x9b2Jway\\u202ekcaB\n"
    assert logged_in.ok("get", "Router", "--field", "username") == CLIPBOARD + "\n"
    assert logged_in.ok("get", "Router", "--field", "notes") == f"one\n{SPOOFS}\n"


def test_json_escapes_c1_controls_and_bidi_overrides_always_and_decodes_to_the_same_value(logged_in):
    logged_in.ok("add", SPOOFS, "--username", CLIPBOARD, "--generate", "12")
    for printed in (
        logged_in.ok("ls", "--json"),
        logged_in.on_terminal("ls", "--json").stdout,
        logged_in.ok("get", "--json", SPOOFS),
        logged_in.on_terminal("get", "--json", SPOOFS).stdout,
    ):
        assert not any(char in printed for char in "\x1b\x07\u009b\u202e"), printed
        assert "gate\\u009b2Jway\\u202ekcaB" in printed and "me\\u001b]52;c;ZWNobyBvd25lZA==\\u0007" in printed
        decoded = json.loads(printed)
        item = decoded[0] if isinstance(decoded, list) else decoded
        assert (item["name"], item["username"]) == (SPOOFS, CLIPBOARD)
