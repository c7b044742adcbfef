"""Each account's security keys: registering one, signing in with one, listing and removing them.

Only public values are kept: the credential id, the COSE public key and the
signature counter. A counter that goes back means two authenticators hold
the same private key (a cloned key): the answer is refused and logged.
"""

import logging
import time
from dataclasses import dataclass

from . import challenges
from .relyingparty import RelyingParty

log = logging.getLogger(__name__)

NAME_CHARS = 100
CREDENTIAL_ID_BYTES = 1023  # WebAuthn Level 3's bound, and the column's


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
    """The WebAuthn ceremonies of one server (ceremonies.py) and the keys they keep; the clock is injectable.

    Without config `public_url` there is no relying party: `available` is
    false and no ceremony is offered (keys already registered stay listed).
    """

    def __init__(self, public_url, clock=time.time):
        self.party = RelyingParty.from_url(public_url) if public_url else None
        self.clock = clock
        self.ceremonies = None
        if self.party is not None:
            # Loaded by a server that offers the ceremonies only (ceremonies.py says why).
            from . import ceremonies

            self.ceremonies = ceremonies

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
        keys = conn.run("list_webauthn_keys", user_id=user["user_id"])
        return self.ceremonies.creation_options(self.party, user, challenge, keys)

    def registration(self, conn, user_id, session_id, credential):
        """The key that answered this session's challenge (the library's VerifiedRegistration, with the
        transports the browser named), or None when the answer is not one to that challenge (taken
        either way)."""
        challenge = challenges.take(conn, challenges.for_session(user_id, session_id), user_id, int(self.clock()))
        if challenge is None or not isinstance(credential, dict):
            return None
        try:
            credential_id, public_key, sign_count = self.ceremonies.registration(self.party, credential, challenge)
        except self.ceremonies.Refused as why:
            log.info("security key registration refused for user %s: %s", user_id, why)
            return None
        if len(credential_id) > CREDENTIAL_ID_BYTES:
            return None
        response = credential.get("response")
        transports = response.get("transports") if isinstance(response, dict) else None
        return Registration(credential_id, public_key, sign_count, transports)

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
            transports=",".join(self.ceremonies.known_transports(registration.transports)),
        )

    # Signing in: the login's 401 hands out request options, the next try answers them.

    def request_options(self, conn, user_id):
        """Options for navigator.credentials.get() naming the account's keys, with the attempt id
        ("attempt") the answer must carry back; its challenge bound to that attempt."""
        attempt = challenges.new_attempt()
        now = int(self.clock())
        challenge = challenges.issue(conn, challenges.for_attempt(attempt), user_id, now)
        keys = conn.run("list_webauthn_keys", user_id=user_id)
        return {**self.ceremonies.request_options(self.party, challenge, keys), "attempt": attempt}

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
            sign_count = self.ceremonies.assertion_counter(self.party, assertion, challenge, bytes(key["public_key"]))
        except self.ceremonies.Refused as why:
            log.info("security key assertion refused for user %s: %s", user_id, why)
            return None
        taken = conn.run("update_webauthn_key_used", key_id=key["key_id"], sign_count=sign_count, now=now)
        if not taken:
            log.warning(
                "security key %s of user %s signed with counter %s, not above the %s last seen: "
                "possibly a cloned key; refused",
                key["key_id"],
                user_id,
                sign_count,
                key["sign_count"],
            )
            raise ClonedKey(key["key_id"], key["name"])
        return key["name"]

    def _key(self, conn, user_id, assertion):
        credential_id = self.ceremonies.credential_id(assertion.get("rawId") or assertion.get("id"))
        if not credential_id:
            return None
        return conn.run("get_webauthn_key", user_id=user_id, credential_id=credential_id)
