"""`opp totp`, `get --field totp` or a custom field's name, and `ls --favorites`, against a real serve.py."""

import time

from otp import code_at

SEED = "JBSWY3DPEHPK3PXP"


def test_codes_custom_fields_and_favourites(logged_in):
    added = logged_in.api(
        "PUT",
        "items",
        {
            "items": [
                {
                    "name": "Bank",
                    "totp": f"otpauth://totp/Bank:alice?secret={SEED}&issuer=Bank",
                    "favorite": True,
                    "fields": [{"name": "PIN", "value": "4711", "hidden": True}, {"name": "Branch", "value": "Zürich"}],
                },
                {"name": "Forum"},
            ]
        },
    )["items"]
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
        3,
        f"opp: Item has no TOTP secret!: Item {added[1]['id']} has no 'totp' value.\n",
    )
    assert [row["name"] for row in logged_in.json("ls", "--favorites")] == ["Bank"]


def test_favourite_and_custom_fields_from_add_and_edit(logged_in):
    logged_in.ok("add", "Wi-Fi", "--generate", "20", "--favorite", "--field", "SSID=home", "--field", "Band=5 GHz")
    [item] = logged_in.api("GET", "items")["items"]
    assert item["favorite"] is True
    assert item["fields"] == [
        {"name": "SSID", "value": "home", "hidden": False},
        {"name": "Band", "value": "5 GHz", "hidden": False},
    ]
    logged_in.ok("edit", "Wi-Fi", "--no-favorite", "--field", "SSID=guest")
    [item] = logged_in.api("GET", "items")["items"]
    assert item["favorite"] is False
    assert [(field["name"], field["value"]) for field in item["fields"]] == [("SSID", "guest"), ("Band", "5 GHz")]
    wrong = logged_in("edit", "Wi-Fi", "--field", "no equals sign")
    assert (wrong.returncode, wrong.stderr) == (64, "opp: --field takes NAME=VALUE, not 'no equals sign'\n")


def test_rm_goes_to_the_trash_and_restore_brings_it_back(logged_in):
    logged_in.ok("add", "Old mail", "--generate", "16")
    password = logged_in.ok("get", "Old mail", "--field", "password")
    assert logged_in.ok("trash") == "The trash is empty.\n"
    logged_in.ok("rm", "Old mail")
    assert logged_in("get", "Old mail").returncode == 1
    [trashed] = logged_in.json("trash")
    assert trashed["name"] == "Old mail" and trashed["deleted_at"] > 0 and "password" not in trashed
    assert logged_in.ok("restore", "old mail") == f"Restored item {trashed['id']} 'Old mail'.\n"
    assert logged_in.ok("get", "Old mail", "--field", "password") == password
    assert logged_in("restore", "Old mail").returncode == 1  # no longer in the trash
