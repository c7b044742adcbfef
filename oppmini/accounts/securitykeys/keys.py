"""Each account's security keys: registering one, signing in with one, listing and removing them.

Only public values are kept: the credential id, the COSE public key and the
signature counter. A counter that goes back means two authenticators hold
the same private key (a cloned key): the answer is refused and logged.
"""

import json
import logging
import struct
import time
from dataclasses import dataclass

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
from .relyingparty import NAME, RelyingParty

log = logging.getLogger(__name__)

NAME_CHARS = 100
CREDENTIAL_ID_BYTES = 1023  # WebAuthn Level 3's bound, and the column's
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


@dataclass(frozen=True)
class Registration:
    """A new key as its verified registration gave it: public values only."""

    credential_id: bytes
    public_key: bytes
    sign_count: int
    transports: object  # as the browser sent them; only known names are kept


class ClonedKey(Exception):
    """A key's signature was right but its counter went back: another authenticator holds its private key."""

    def __init__(self, key_id, name):
        super().__init__(f"security key {key_id}: its counter went back")
        self.key_id = key_id
        self.name = name


class SecurityKeys:
    """The WebAuthn ceremonies of one server, through the `webauthn` package; the clock is injectable.

    Without config `public_url` there is no relying party: `available` is
    false and no ceremony is offered (keys already registered stay listed).
    """

    def __init__(self, public_url, clock=time.time):
        self.party = RelyingParty.from_url(public_url) if public_url else None
        self.clock = clock

    @property
    def available(self):
        return self.party is not None

    @staticmethod
    def listed(conn, user_id):
        """The account's keys as the API shows them: never the key material."""
        return [
            {
                "id": row["key_id"],
                "name": row["name"],
                "created_at": row["created_at"],
                "last_used_at": row["last_used_at"],
                "transports": [name for name in row["transports"].split(",") if name],
            }
            for row in conn.run("list_webauthn_keys", user_id=user_id)
        ]

    @staticmethod
    def count(conn, user_id):
        return conn.run("count_webauthn_keys", user_id=user_id)

    @staticmethod
    def remove(conn, user_id, key_id):
        """Forget one of the account's keys; False when it has no key of that id."""
        return bool(conn.run("delete_webauthn_key", user_id=user_id, key_id=key_id))

    # Registration: PUT asks for the options, POST answers them.

    def creation_options(self, conn, user, session_id):
        """Options for navigator.credentials.create(), their challenge bound to the caller's session."""
        now = int(self.clock())
        challenge = challenges.issue(conn, challenges.for_session(user["user_id"], session_id), user["user_id"], now)
        options = webauthn.generate_registration_options(
            rp_id=self.party.rp_id,
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
            exclude_credentials=self._descriptors(conn, user["user_id"]),
        )
        return options_to_json_dict(options)

    def registration(self, conn, user_id, session_id, credential):
        """The key that answered this session's challenge (the library's VerifiedRegistration, with the
        transports the browser named), or None when the answer is not one to that challenge (taken
        either way)."""
        challenge = challenges.take(conn, challenges.for_session(user_id, session_id), user_id, int(self.clock()))
        if challenge is None or not isinstance(credential, dict):
            return None
        try:
            verified = webauthn.verify_registration_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=self.party.rp_id,
                expected_origin=self.party.origin,
            )
        except MALFORMED as error:
            log.info("security key registration refused for user %s: %s", user_id, _reason(error))
            return None
        if len(verified.credential_id) > CREDENTIAL_ID_BYTES:
            return None
        response = credential.get("response")
        transports = response.get("transports") if isinstance(response, dict) else None
        return Registration(verified.credential_id, verified.credential_public_key, verified.sign_count, transports)

    def keep(self, conn, user_id, name, registration):
        """Store a verified key under `name`; its id (Duplicate when it is registered already)."""
        return conn.run(
            "insert_webauthn_key",
            user_id=user_id,
            credential_id=registration.credential_id,
            public_key=registration.public_key,
            sign_count=registration.sign_count,
            name=name,
            now=int(self.clock()),
            transports=",".join(_known_transports(registration.transports)),
        )

    # Signing in: the login's 401 hands out request options, the next try answers them.

    def request_options(self, conn, user_id):
        """Options for navigator.credentials.get() naming the account's keys, with the attempt id
        ("attempt") the answer must carry back; its challenge bound to that attempt."""
        attempt = challenges.new_attempt()
        now = int(self.clock())
        challenge = challenges.issue(conn, challenges.for_attempt(attempt), user_id, now)
        options = webauthn.generate_authentication_options(
            rp_id=self.party.rp_id,
            challenge=challenge,
            timeout=challenges.TIMEOUT_MS,
            allow_credentials=self._descriptors(conn, user_id),
            user_verification=UserVerificationRequirement.PREFERRED,
        )
        return {**options_to_json_dict(options), "attempt": attempt}

    def verify(self, conn, user_id, answer):
        """The name of the key that signed `answer` (an assertion with its "attempt"), its counter taken;
        None when the answer proves nothing (the attempt's challenge is used up either way). ClonedKey
        when a right signature comes with a counter that went back."""
        if not self.available or not isinstance(answer, dict) or not isinstance(answer.get("attempt"), str):
            return None
        now = int(self.clock())
        challenge = challenges.take(conn, challenges.for_attempt(answer["attempt"]), user_id, now)
        if challenge is None:
            return None
        assertion = {name: value for name, value in answer.items() if name != "attempt"}
        key = self._key(conn, user_id, assertion)
        if key is None:
            return None
        try:
            # The counter is checked below, atomically, so that a clone is told from a bad signature.
            verified = webauthn.verify_authentication_response(
                credential=assertion,
                expected_challenge=challenge,
                expected_rp_id=self.party.rp_id,
                expected_origin=self.party.origin,
                credential_public_key=bytes(key["public_key"]),
                credential_current_sign_count=0,
            )
        except MALFORMED as error:
            log.info("security key assertion refused for user %s: %s", user_id, _reason(error))
            return None
        taken = conn.run("update_webauthn_key_used", key_id=key["key_id"], sign_count=verified.new_sign_count, now=now)
        if not taken:
            log.warning(
                "security key %s of user %s signed with counter %s, not above the %s last seen: "
                "possibly a cloned key; refused",
                key["key_id"],
                user_id,
                verified.new_sign_count,
                key["sign_count"],
            )
            raise ClonedKey(key["key_id"], key["name"])
        return key["name"]

    @staticmethod
    def _key(conn, user_id, assertion):
        raw_id = assertion.get("rawId") or assertion.get("id")
        try:
            credential_id = webauthn.base64url_to_bytes(raw_id) if isinstance(raw_id, str) else None
        except MALFORMED:
            credential_id = None
        if not credential_id:
            return None
        return conn.run("get_webauthn_key", user_id=user_id, credential_id=credential_id)

    @staticmethod
    def _descriptors(conn, user_id):
        return [
            PublicKeyCredentialDescriptor(
                id=bytes(row["credential_id"]),
                transports=[TRANSPORTS[name] for name in row["transports"].split(",") if name in TRANSPORTS] or None,
            )
            for row in conn.run("list_webauthn_keys", user_id=user_id)
        ]


def _known_transports(transports):
    if not isinstance(transports, list):
        return []
    return sorted({name for name in transports if isinstance(name, str) and name in TRANSPORTS})


def _reason(error):
    # The library's messages name what failed (origin, RP id, challenge, signature), never a secret.
    return json.dumps(str(error))[:200]
