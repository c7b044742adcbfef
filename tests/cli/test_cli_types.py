"""`opp add --type`, `opp edit --secret` and `opp get` on typed items: secrets from stdin, never from argv."""

import subprocess


def test_add_a_card_its_secrets_from_stdin_and_get_shows_them_masked(logged_in):
    added = logged_in.json(
        "add", "Visa", "--type", "card", "--set", "cardholder=A Person", "--set", "exp_month=3", "--secret", "number",
        "--secret", "code", input="4111 1111 1111 1111\n123\n",
    )  # fmt: skip
    (stored,) = logged_in.api("GET", "items")["items"]
    assert added["id"] == stored["id"] and stored["type"] == "card" and stored["password"] == ""
    assert stored["card"]["number"] == "4111111111111111" and stored["card"]["code"] == "123"
    assert (stored["card"]["cardholder"], stored["card"]["exp_month"], stored["card"]["brand"]) == (
        "A Person",
        "03",
        "Visa",
    )
    shown = logged_in.ok("get", "Visa")
    assert "type: card" in shown and "cardholder: A Person" in shown and "brand: Visa" in shown
    assert "4111111111111111" not in shown and "code: (hidden" in shown
    assert "number: 4111111111111111" in logged_in.ok("get", "Visa", "--show")
    assert logged_in.ok("get", "Visa", "--field", "number") == "4111111111111111\n"
    logged_in.ok("edit", "Visa", "--secret", "code", input="987\n")
    (changed,) = logged_in.api("GET", "items")["items"]
    assert (changed["card"]["code"], changed["card"]["number"]) == ("987", "4111111111111111")  # the others kept


def test_a_secret_on_the_command_line_is_refused_and_an_ssh_key_is_read_to_the_end_of_stdin(logged_in, tmp_path):
    refused = logged_in("add", "Visa", "--type", "card", "--set", "number=4111111111111111")
    assert refused.returncode == 64 and "--secret number" in refused.stderr
    assert logged_in.api("GET", "items")["items"] == []
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    logged_in.ok("add", "Server", "--type", "ssh_key", "--secret", "private_key", input=key.read_text())
    printed = subprocess.run(["ssh-keygen", "-l", "-f", f"{key}.pub"], capture_output=True, text=True, check=True)
    shown = logged_in.ok("get", "Server")
    assert f"fingerprint: {printed.stdout.split()[1]}" in shown and "PRIVATE KEY" not in shown
    assert logged_in.ok("get", "Server", "--field", "private_key") == key.read_text() + "\n"
