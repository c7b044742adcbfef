"""`opp health`: the vault health report of GET /v1/vault/health, items named, never a password."""

from . import output

COUNTED = (
    ("weak", "weak"),
    ("reused", "reused"),
    ("old", "old"),
    ("exposed", "exposed"),
    ("no_password", "without a password"),
    ("http_only", "http only"),
    ("shared_totp", "shared TOTP seed"),
)
EXPOSED_CHECK = {
    "on": "checked against the local Pwned Passwords file",
    "off": "check off (no pwned_passwords_file)",
    "unreadable": "check failed (the server's pwned_passwords_file does not read; see its log)",
}


def health(ctx):
    client, phrase = ctx.client(), ctx.phrase()
    answer = client.call("GET", "vault/health", phrase=phrase)
    if ctx.args.json:
        output.as_json({key: value for key, value in answer.items() if key != "result"})
        return
    # The report holds ids only; the names come from the vault itself.
    names = {item["id"]: item["name"] for item in client.call("GET", "fetchall", phrase=phrase)["items"]}
    checked = answer["checked"]
    print(
        f"Vault health: {answer['score']}/100, {checked} item{'' if checked == 1 else 's'} checked; "
        f"exposed passwords: {EXPOSED_CHECK[answer['exposed_check']]}"
    )
    print(", ".join(f"{label} {answer['counts'][key]}" for key, label in COUNTED))
    print(f"(old: a password not changed in {answer['old_days']} days)")
    if not answer["items"]:
        print("Nothing to fix.")
        return
    print()
    for entry in answer["items"]:
        marker = "" if entry["counted"] else " [read-only collection: not counted]"
        name = output.printable(names.get(entry["id"], ""))
        print(f"{entry['id']}  {name}{marker}: {'; '.join(_said(entry, answer, names))}")


def _said(entry, answer, names):
    found = entry["findings"]
    said = []
    if "weak" in found:
        weak = found["weak"]
        reason = weak["warning"] or " ".join(weak["suggestions"])
        said.append(f"weak (score {weak['score']} of 4{': ' + output.printable(reason) if reason else ''})")
    if "reused" in found:
        said.append(f"reused with {_others(entry['id'], answer['reused'][found['reused']], names)}")
    if "old" in found:
        said.append(f"old (not changed in {found['old']['days']} days)")
    if "exposed" in found:
        said.append(f"exposed (seen {found['exposed']['count']} times in breaches)")
    if "no_password" in found:
        said.append("no password")
    if "http_only" in found:
        said.append("http only (sent unencrypted)")
    if "shared_totp" in found:
        said.append(f"TOTP seed shared with {_others(entry['id'], answer['shared_totp'][found['shared_totp']], names)}")
    return said


def _others(item_id, group, names):
    return ", ".join(output.printable(names.get(other, f"#{other}")) for other in group if other != item_id)
