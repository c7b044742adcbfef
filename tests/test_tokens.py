"""Tokens: standard HS256 JWTs, checked here by an independent implementation."""

import base64
import hashlib
import hmac
import json

import pytest

from oppmini.accounts.tokens import TokenRejected, TokenSigner

SECRET = "a test signing key"


def b64decode(segment):
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def b64encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def verify_hs256(token, secret):
    """RFC 7515 HS256 by hand: the claims when the signature is genuine, else None."""
    header, payload, signature = token.split(".")
    expected = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, b64decode(signature)):
        return None
    assert json.loads(b64decode(header)) == {"alg": "HS256", "typ": "JWT"}
    return json.loads(b64decode(payload))


def forge(header, claims, secret=SECRET):
    unsigned = f"{b64encode(json.dumps(header).encode())}.{b64encode(json.dumps(claims).encode())}"
    signature = hmac.new(secret.encode(), unsigned.encode(), hashlib.sha256).digest()
    return f"{unsigned}.{b64encode(signature)}"


def test_token_is_a_standard_hs256_jwt(clock):
    token = TokenSigner(SECRET, clock).issue(5, "stamp", 3600)
    claims = verify_hs256(token, SECRET)
    assert claims == {
        "identity": 5,
        "iat": int(clock()),
        "nbf": int(clock()),
        "exp": int(clock()) + 3600,
        "stamp": "stamp",
    }
    assert verify_hs256(token, "another key") is None


def test_a_token_made_by_an_independent_implementation_is_accepted(clock):
    now = int(clock())
    token = forge(
        {"alg": "HS256", "typ": "JWT"}, {"identity": 9, "iat": now, "nbf": now, "exp": now + 60, "stamp": "s"}
    )
    assert TokenSigner(SECRET, clock).read(token)["identity"] == 9


def test_expiry_follows_the_clock(clock):
    signer = TokenSigner(SECRET, clock)
    token = signer.issue(1, "s", 1)
    assert signer.read(token)["identity"] == 1
    clock.advance(1)
    with pytest.raises(TokenRejected, match="Signature has expired"):
        signer.read(token)


def test_not_yet_valid(clock):
    signer = TokenSigner(SECRET, clock)
    token = signer.issue(1, "s", 60)
    clock.advance(-5)
    with pytest.raises(TokenRejected, match="not yet valid"):
        signer.read(token)


@pytest.mark.parametrize(
    "mangle, why",
    [
        (lambda t: t + "x", "Signature verification failed"),
        (lambda t: t.rsplit(".", 1)[0], "Not enough segments"),
        (lambda t: t + ".extra", "Too many segments"),
        (lambda t: "!!!." + t.split(".", 1)[1], "Invalid header"),
    ],
)
def test_tampered_tokens_are_refused(clock, mangle, why):
    token = TokenSigner(SECRET, clock).issue(1, "s", 60)
    with pytest.raises(TokenRejected, match=why):
        TokenSigner(SECRET, clock).read(mangle(token))


def test_changed_claims_break_the_signature(clock):
    token = TokenSigner(SECRET, clock).issue(1, "s", 60)
    header, payload, signature = token.split(".")
    claims = json.loads(b64decode(payload))
    claims["identity"] = 2
    tampered = f"{header}.{b64encode(json.dumps(claims).encode())}.{signature}"
    with pytest.raises(TokenRejected, match="Signature verification failed"):
        TokenSigner(SECRET, clock).read(tampered)


def test_alg_none_and_other_algorithms_are_refused(clock):
    now = int(clock())
    claims = {"identity": 1, "iat": now, "nbf": now, "exp": now + 60, "stamp": "s"}
    unsigned = (
        f"{b64encode(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{b64encode(json.dumps(claims).encode())}."
    )
    for token in (unsigned, forge({"alg": "HS512", "typ": "JWT"}, claims)):
        with pytest.raises(TokenRejected, match="alg value is not allowed"):
            TokenSigner(SECRET, clock).read(token)


def test_signed_but_malformed_claims_are_refused(clock):
    now = int(clock())
    token = forge(
        {"alg": "HS256", "typ": "JWT"}, {"identity": "1", "iat": now, "nbf": now, "exp": now + 60, "stamp": "s"}
    )
    with pytest.raises(TokenRejected, match="Invalid payload"):
        TokenSigner(SECRET, clock).read(token)


BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def with_signature(token, change):
    unsigned, signature = token.rsplit(".", 1)
    return f"{unsigned}.{change(signature)}"


def flip_spare_bit(signature):
    # 32 bytes are 43 characters; the last one carries 4 bits and 2 spare ones.
    last = signature[-1]
    return signature[:-1] + BASE64URL[BASE64URL.index(last) ^ 1]


def token_whose_signature_has(clock, characters):
    """A genuine token whose signature holds one of `characters`."""
    signer = TokenSigner(SECRET, clock)
    for user_id in range(1, 1000):
        token = signer.issue(user_id, "s", 60)
        if any(char in token.rsplit(".", 1)[1] for char in characters):
            return token
    raise AssertionError("no such signature in 1000 tokens")


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s + "=",
        lambda s: s + "==",
        lambda s: s.replace("-", "+").replace("_", "/"),
        flip_spare_bit,
        lambda s: s + "\xff",  # a header byte that is not UTF-8 reaches the token as latin-1
        lambda s: s[:20] + "\n" + s[20:],
    ],
    ids=["one pad", "two pads", "standard alphabet", "spare bit", "stray byte", "stray newline"],
)
def test_only_the_canonical_signature_verifies(clock, change):
    token = token_whose_signature_has(clock, "-_")
    assert TokenSigner(SECRET, clock).read(token)["identity"] >= 1
    respelled = with_signature(token, change)
    assert respelled != token
    with pytest.raises(TokenRejected, match="Signature verification failed"):
        TokenSigner(SECRET, clock).read(respelled)


def test_the_header_must_be_canonical_too(clock):
    header, rest = TokenSigner(SECRET, clock).issue(1, "s", 60).split(".", 1)
    with pytest.raises(TokenRejected, match="Invalid header"):
        TokenSigner(SECRET, clock).read(f"{header}{'=' * (-len(header) % 4 or 4)}.{rest}")


@pytest.mark.parametrize(
    "claim, value",
    [("identity", 2**70), ("identity", 2**63), ("identity", 0), ("identity", -1), ("exp", 2**70), ("iat", -1)],
)
def test_signed_claims_outside_the_databases_integers_are_refused(clock, claim, value):
    now = int(clock())
    claims = {"identity": 1, "iat": now, "nbf": now, "exp": now + 60, "stamp": "s", claim: value}
    with pytest.raises(TokenRejected, match="Invalid payload"):
        TokenSigner(SECRET, clock).read(forge({"alg": "HS256", "typ": "JWT"}, claims))


def test_a_signer_that_has_read_a_token_still_refuses_every_alteration_of_it(clock):
    # Read tokens are kept by digest: what was kept must never stand in for another spelling of it.
    signer = TokenSigner(SECRET, clock)
    token = signer.issue(1, "s", 60)
    assert signer.read(token)["identity"] == 1
    header, payload, signature = token.split(".")
    claims = json.loads(b64decode(payload))
    altered = [
        token + "x",
        f"{header}.{b64encode(json.dumps({**claims, 'identity': 2}).encode())}.{signature}",
        f"{header}.{payload}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        forge({"alg": "HS256", "typ": "JWT"}, claims, secret="another key"),
    ]
    for other in altered:
        with pytest.raises(TokenRejected):
            signer.read(other)
    assert signer.read(token)["identity"] == 1


def test_kept_claims_are_handed_out_as_copies_and_a_full_keep_starts_again(clock, monkeypatch):
    monkeypatch.setattr("oppmini.accounts.tokens.CHECKED_TOKENS", 3)
    signer = TokenSigner(SECRET, clock)
    tokens = [signer.issue(user_id, "s", 60) for user_id in range(1, 6)]
    signer.read(tokens[0])["identity"] = 99
    assert signer.read(tokens[0])["identity"] == 1
    for _ in range(2):
        assert [signer.read(token)["identity"] for token in tokens] == [1, 2, 3, 4, 5]
    assert len(signer._checked) <= 3
    clock.advance(60)
    for token in tokens:
        with pytest.raises(TokenRejected, match="Signature has expired"):
            signer.read(token)
