"""`opp totp`, `get --field totp` or a custom field's name, and `ls --favorites`, against a real serve.py."""

import time

from otp import code_at

SEED = "JBSWY3DPEHPK3PXP"


def test_codes_custom_fields_and_favourites(logged_in):
    added = logged_in.api("PUT", "items", {"items": [
        {"name": "Bank", "totp": f"otpauth://totp/Bank:alice?secret={SEED}&issuer=Bank", "favorite": True,
         "fields": [{"name": "PIN", "value": "4711", "hidden": True}, {"name": "Branch", "value": "Zürich"}]},
        {"name": "Forum"},
    ]})["items"]
    before = time.time()
    code = logged_in.ok("get", "Bank", "--field", "totp").strip()
    assert code in {code_at(SEED, before), code_at(SEED, time.time())}
    said = logged_in.ok("totp", "Bank")
    assert said.split()[0] in {code_at(SEED, before), code_at(SEED, time.time())}
    assert said.rstrip().endswith("s left)")
    answer = logged_in.json("totp", "Bank")
    assert sorted(answer) == ["code", "digits", "period", "remaining"] and answer["period"] == 30

    assert logged_in.ok("get", "Bank", "--field", "PIN") == "4711\n"
    assert logged_in.ok("get", "Bank", "--field", "Branch") == "Zürich\n"
    wrong = logged_in("get", "Bank", "--field", "Nope")
    assert wrong.returncode == 64 and "Branch" in wrong.stderr and "PIN" in wrong.stderr and "4711" not in wrong.stderr

    without = logged_in("totp", "Forum")
    assert (without.returncode, without.stderr) == (
        3, f"opp: Item has no TOTP secret!: Item {added[1]['id']} has no 'totp' value.\n")
    assert [row["name"] for row in logged_in.json("ls", "--favorites")] == ["Bank"]
