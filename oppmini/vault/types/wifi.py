"""Wi-Fi networks: the network name and its security; the password is the item's own `password`.

Keeping the key in `password` gives it everything a password has: masked,
never searched, kept in the password history, checked by the health report.
"""

FIELDS = {"ssid": 64, "security": 16}
SECRETS = ()
SECURITY = ("none", "wep", "wpa", "wpa2", "wpa3")
DEFAULT_SECURITY = "wpa2"
SSID_BYTES = 32  # IEEE 802.11: a network name is at most 32 octets


def check(values):
    """The network's fields; its name at most 32 bytes as UTF-8, its security one of SECURITY."""
    typed = dict(values)
    if len(values["ssid"].encode("utf-8")) > SSID_BYTES:
        raise ValueError(f"field 'ssid' is longer than {SSID_BYTES} bytes")
    security = values["security"].strip().lower() or DEFAULT_SECURITY
    if security not in SECURITY:
        raise ValueError(f"field 'security' must be one of {', '.join(SECURITY)}")
    typed["security"] = security
    return typed, []
