"""`opp health` and `opp health --json` against a real serve.py: the report, named, never a password."""

STRONG = "correct-Horse-battery-staple-91"


def test_health_text_and_json(logged_in):
    weak, first, second, note = logged_in.api(
        "PUT",
        "items",
        {
            "items": [
                {"name": "Bank", "username": "alice", "url": "http://bank.example", "password": "alice2024"},
                {"name": "Mail", "password": STRONG},
                {"name": "Forum", "password": STRONG},
                {"name": "Note"},
            ]
        },
    )["items"]
    answer = logged_in.json("health")
    assert answer == {key: value for key, value in logged_in.api("GET", "vault/health").items() if key != "result"}
    assert answer["reused"] == [[first["id"], second["id"]]] and answer["score"] == 0

    shown = logged_in.ok("health")
    lines = shown.splitlines()
    assert lines[0] == "Vault health: 0/100, 4 items checked; exposed passwords: check off (no pwned_passwords_file)"
    assert "weak 1, reused 2, old 0, exposed 0, without a password 1, http only 1, shared TOTP seed 0" in shown
    bank = next(line for line in lines if line.startswith(f"{weak['id']} "))
    assert "Bank" in bank and "weak (score" in bank and "http only" in bank
    assert "reused with Forum" in next(line for line in lines if line.startswith(f"{first['id']} "))
    assert "no password" in next(line for line in lines if line.startswith(f"{note['id']} "))
    for output in logged_in.outputs:
        assert STRONG not in output and "alice2024" not in output


def test_a_healthy_vault_says_so(logged_in):
    logged_in.api("PUT", "items", {"items": [{"name": "Mail", "password": STRONG}]})
    shown = logged_in.ok("health")
    assert shown.splitlines()[0].startswith("Vault health: 100/100, 1 item checked")
    assert shown.splitlines()[-1] == "Nothing to fix."
