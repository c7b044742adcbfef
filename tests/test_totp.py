"""One-time codes: RFC 6238's vectors, seeds as real authenticator apps write them, and the two routes."""

import base64
import hashlib
import hmac
import struct

import pytest

from oppmini.vault import totp

# RFC 6238 appendix B: the seeds (ASCII "1234567890" repeated to the hash's size), 8 digits, 30 s.
RFC_SEEDS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC_VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


def b32(secret):
    return base64.b32encode(secret).decode().rstrip("=")


@pytest.mark.parametrize("when, sha1, sha256, sha512", RFC_VECTORS)
def test_rfc_6238_appendix_b_vectors(when, sha1, sha256, sha512):
    for algorithm, expected in (("SHA1", sha1), ("SHA256", sha256), ("SHA512", sha512)):
        uri = f"otpauth://totp/RFC:test?secret={b32(RFC_SEEDS[algorithm])}&digits=8&algorithm={algorithm}"
        assert totp.parse(uri).code(when) == (expected, 30 - when % 30)


def independent_code(secret, when, period=30, digits=6, digest=hashlib.sha1):
    """RFC 6238 written out from the RFC, to check the library's answers against."""
    mac = hmac.new(secret, struct.pack(">Q", when // period), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


SEED_80 = b"Hello!\xde\xad\xbe\xef"  # JBSWY3DPEHPK3PXP: 80 bits, under pyotp 2.12's default floor of 112


@pytest.mark.parametrize(
    "text",
    [
        # Google Authenticator's key URI format: issuer in the label and as a parameter.
        "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
        # Aegis: percent-encoded label with ':', explicit defaults, upper-case algorithm.
        "otpauth://totp/ACME%20Co:john.doe%40email.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co"
        "&algorithm=SHA1&digits=6&period=30",
        # Bitwarden: parameters in another order, lower-case secret.
        "otpauth://totp/Acme:alice?secret=jbswy3dpehpk3pxp&issuer=Acme&algorithm=SHA1&digits=6&period=30",
        # Padding, spaces and case in a bare secret, as sites print it.
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP%3D%3D%3D%3D",
        "jbsw y3dp ehpk 3pxp",
        "JBSWY3DPEHPK3PXP",
    ],
)
def test_seeds_as_authenticator_apps_write_them(text):
    seed = totp.parse(text)
    assert (seed.secret, seed.digits, seed.period, seed.algorithm) == (SEED_80, 6, 30, "SHA1")
    assert seed.code(1_700_000_000)[0] == independent_code(SEED_80, 1_700_000_000)


def test_digits_period_and_algorithm_from_the_uri():
    seed = totp.parse(f"otpauth://totp/a:b?secret={b32(RFC_SEEDS['SHA1'])}&digits=7&period=300&algorithm=sha512")
    assert (seed.digits, seed.period, seed.algorithm) == (7, 300, "SHA512")
    assert seed.code(1_700_000_123) == (
        independent_code(RFC_SEEDS["SHA1"], 1_700_000_123, 300, 7, hashlib.sha512),
        300 - 1_700_000_123 % 300,
    )


@pytest.mark.parametrize(
    "text, reason",
    [
        ("JBSWY3DPEHPK3PX1", "not base32"),
        ("JBSWY3DPEHPK3PXPA", "not base32"),  # 17 characters: no whole base32 text
        ("JBSWY3DPEHPK", "shorter than 80 bits"),
        ("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1", "of type totp"),
        ("otpauth://totp/x?issuer=a", "no secret"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=9", "digits must be a whole number from 6 to 8"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=5", "digits must be"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0", "period must be a whole number from 1 to 300"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=301", "period must be"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5", "algorithm must be one of"),
        ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&secret=JBSWY3DPEHPK3PXP", "more than once"),
    ],
)
def test_bad_seeds_say_why_without_the_seed(text, reason):
    with pytest.raises(ValueError) as refused:
        totp.parse(text)
    assert reason in str(refused.value)
    assert "JBSWY3DP" not in str(refused.value).upper()


def test_an_item_code_and_every_code(vault, clock):
    # The FakeClock starts at 1_700_000_000, 20 s into a 30 s step.
    uri = f"otpauth://totp/RFC:test?secret={b32(RFC_SEEDS['SHA256'])}&digits=8&algorithm=SHA256"
    coded, plain, google = vault.add_items(
        {"name": "a", "totp": uri}, {"name": "b"}, {"name": "c", "totp": "jbsw y3dp ehpk 3pxp"}
    )
    assert coded["totp"] == uri  # kept as sent
    answer = vault.get(f"items/{coded['id']}/totp")
    assert answer == {
        "result": "success",
        "period": 30,
        "remaining": 10,
        "digits": 8,
        "code": independent_code(RFC_SEEDS["SHA256"], 1_700_000_000, 30, 8, hashlib.sha256),
    }
    clock.advance(15)  # into the next step
    later = 1_700_000_015
    assert vault.get("totp") == {
        "result": "success",
        "codes": [
            {
                "id": coded["id"],
                "code": independent_code(RFC_SEEDS["SHA256"], later, 30, 8, hashlib.sha256),
                "period": 30,
                "remaining": 25,
                "digits": 8,
            },
            {"id": google["id"], "code": independent_code(SEED_80, later), "period": 30, "remaining": 25, "digits": 6},
        ],
    }
    assert vault.get("totp")["codes"][0]["code"] != answer["code"]
    refused = vault.get(f"items/{plain['id']}/totp", status=400)
    assert refused["error"] == "Item has no TOTP secret!"


@pytest.mark.parametrize("path", ["items/999/totp", "items/abc/totp", "items/0/totp"])
def test_an_unknown_item_is_not_found(vault, path):
    answer = vault.get(path, status=404)
    assert answer["error"] == "Not Found" and path.split("/")[1] in answer["description"]


def test_another_users_item_is_not_found(client, auth, vault):
    (item,) = vault.add_items({"name": "mine", "totp": "JBSWY3DPEHPK3PXP"})
    bob = auth.user("bob")
    answer = client.get(f"/v1/items/{item['id']}/totp", headers=bob, status=404).json
    assert answer["error"] == "Not Found"
    assert client.get("/v1/totp", headers=bob).json == {"result": "success", "codes": []}


def test_a_bad_seed_is_refused_naming_the_field_and_stores_nothing(vault):
    answer = vault.put("items", {"items": [{"name": "ok"}, {"name": "x", "totp": "NOT-BASE32!"}]}, status=400)
    assert answer["error"] == "Invalid item data in list!"
    assert "Row 2" in answer["description"] and "'totp'" in answer["description"]
    assert "NOT-BASE32" not in answer["description"]
    assert vault.get("items")["items"] == []
