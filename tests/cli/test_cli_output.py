"""What `opp` prints for people: stored text that could drive the terminal is shown escaped."""


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
