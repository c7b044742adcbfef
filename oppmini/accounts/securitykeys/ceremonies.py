"""The WebAuthn ceremonies themselves, through the `webauthn` package: options out, answers verified.

keys.py keeps and reads the keys, and imports this module only when the
server has a relying party (config `public_url`): `webauthn` brings pyOpenSSL,
cbor2 and pyasn1 with it, about 8 MiB of every serving process's memory.
"""

import json
import struct

import webauthn
from webauthn.helpers import options_to_json_dict
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from . import challenges
from .relyingparty import NAME

TRANSPORTS = {transport.value: transport for transport in AuthenticatorTransport}
# What a malformed answer from a client can make the library raise, besides its own errors.
MALFORMED = (
    WebAuthnException,
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
    struct.error,
)


class Refused(Exception):
    """An answer that proves nothing; the message says why in the library's words (never a secret)."""

    def __init__(self, error):
        super().__init__(json.dumps(str(error))[:200])


def creation_options(party, user, challenge, key_rows):
    """Options for navigator.credentials.create(), as JSON values; `key_rows`: the keys to exclude."""
    options = webauthn.generate_registration_options(
        rp_id=party.rp_id,
        rp_name=NAME,
        user_name=user["username"],
        user_id=str(user["user_id"]).encode("ascii"),
        challenge=challenge,
        timeout=challenges.TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(key_rows),
    )
    return options_to_json_dict(options)


def registration(party, credential, challenge):
    """(credential id, COSE public key, signature counter) of a registration that answered
    `challenge`; Refused otherwise."""
    verified = _verified(webauthn.verify_registration_response, party, credential, challenge)
    return verified.credential_id, verified.credential_public_key, verified.sign_count


def request_options(party, challenge, key_rows):
    """Options for navigator.credentials.get() naming the keys of `key_rows`, as JSON values."""
    options = webauthn.generate_authentication_options(
        rp_id=party.rp_id,
        challenge=challenge,
        timeout=challenges.TIMEOUT_MS,
        allow_credentials=_descriptors(key_rows),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return options_to_json_dict(options)


def assertion_counter(party, assertion, challenge, public_key):
    """The signature counter of an assertion signed by `public_key` over `challenge`; Refused
    otherwise. The counter is not compared here: the caller takes it atomically, so that a clone
    is told from a bad signature."""
    verify = webauthn.verify_authentication_response
    verified = _verified(
        verify, party, assertion, challenge, credential_public_key=public_key, credential_current_sign_count=0
    )
    return verified.new_sign_count


def credential_id(raw_id):
    """The bytes of an assertion's base64url credential id; None when it is not one."""
    try:
        return webauthn.base64url_to_bytes(raw_id) if isinstance(raw_id, str) else None
    except MALFORMED:
        return None


def known_transports(transports):
    """The names among `transports` (as a browser sent them) that WebAuthn defines, sorted."""
    if not isinstance(transports, list):
        return []
    return sorted({name for name in transports if isinstance(name, str) and name in TRANSPORTS})


def _verified(verify, party, answer, challenge, **more):
    """What the library's `verify` makes of a client's `answer` to `challenge` at `party`; Refused
    when it refuses it, or when the answer is malformed in a way the library does not check."""
    try:
        return verify(
            credential=answer,
            expected_challenge=challenge,
            expected_rp_id=party.rp_id,
            expected_origin=party.origin,
            **more,
        )
    except MALFORMED as error:
        raise Refused(error) from None


def _descriptors(key_rows):
    return [
        PublicKeyCredentialDescriptor(
            id=bytes(row["credential_id"]),
            transports=[TRANSPORTS[name] for name in row["transports"].split(",") if name in TRANSPORTS] or None,
        )
        for row in key_rows
    ]
