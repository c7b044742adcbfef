"""A security key in software for the API tests: a P-256 key pair that answers WebAuthn ceremonies.

It builds what a browser would send (clientDataJSON, authenticator data, a
"none" attestation, an ES256 signature) with `cryptography` and the
`webauthn` package's CBOR encoder, so the server's checks run on real
signatures without a browser; tests/test_webauthn_page.py drives Chromium's.
"""

import base64
import hashlib
import json
import secrets
import struct

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import encode_cbor

UP, UV, AT = 0x01, 0x04, 0x40  # authenticator data flags: user present, user verified, attested credential


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftKey:
    """One credential; `counter` goes up by one per signature (set it back to play a clone)."""

    def __init__(self, verified=True):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(16)
        self.counter = 0
        self.verified = verified

    def clone(self):
        twin = SoftKey(self.verified)
        twin.private_key, twin.credential_id, twin.counter = self.private_key, self.credential_id, self.counter
        return twin

    def create(self, options, origin, rp_id=None):
        """navigator.credentials.create()'s answer, as JSON, to the server's creation options."""
        challenge = options["challenge"]
        client_data = self._client_data("webauthn.create", challenge, origin)
        numbers = self.private_key.public_key().public_numbers()
        cose_key = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        attested = bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + encode_cbor(cose_key)
        auth_data = self._auth_data(rp_id or options["rp"]["id"], AT, attested)
        attestation = encode_cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return self._credential(client_data, attestationObject=b64url(attestation), transports=["usb"])

    def get(self, options, origin, rp_id=None, challenge=None):
        """navigator.credentials.get()'s answer to request options, with the options' attempt carried back."""
        self.counter += 1
        client_data = self._client_data("webauthn.get", challenge or options["challenge"], origin)
        auth_data = self._auth_data(rp_id or options["rpId"], 0)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.private_key.sign(signed, ec.ECDSA(hashes.SHA256()))
        answer = self._credential(client_data, authenticatorData=b64url(auth_data), signature=b64url(signature))
        return {**answer, "attempt": options["attempt"]}

    def _credential(self, client_data, **response):
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {"clientDataJSON": b64url(client_data), **response},
            "clientExtensionResults": {},
        }

    def _auth_data(self, rp_id, flags, attested=b""):
        flags |= UP | (UV if self.verified else 0)
        rp_hash = hashlib.sha256(rp_id.encode()).digest()
        return rp_hash + bytes([flags]) + struct.pack(">I", self.counter) + attested

    @staticmethod
    def _client_data(kind, challenge, origin):
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()
