"""SSH keys: the private key (a secret), the public key, and its fingerprint as `ssh-keygen -l` prints it.

The fingerprint is the server's: computed from the public key on every
write, whatever a client sends. A private key without its public half has
the public key derived (pycryptodome reads OpenSSH and PEM keys), unless the
private key is protected by a passphrase, which the server never asks for.
"""

import base64
import binascii
import hashlib
import struct

from Crypto import PassphraseRequiredError
from Crypto.PublicKey import ECC, RSA

FIELDS = {"private_key": 16384, "public_key": 8192}
COMPUTED = ("fingerprint",)
SECRETS = ("private_key",)
_ARMOUR_START, _ARMOUR_END = "-----BEGIN ", "-----END "
ENCRYPTED_WARNING = "the private key is protected by a passphrase: its public key was not derived"


def check(values):
    """The key's fields with the fingerprint; 400 words for a key that is none or a pair that does not match."""
    private_key = values["private_key"]
    public_key = " ".join(values["public_key"].split())
    warnings = []
    if private_key.strip() and not (private_key.lstrip().startswith(_ARMOUR_START) and _ARMOUR_END in private_key):
        raise ValueError("field 'private_key' must be a key in OpenSSH or PEM armour (-----BEGIN ...)")
    derived, protected = _public_of(private_key) if private_key.strip() else ("", False)
    if protected and not public_key:
        warnings.append(ENCRYPTED_WARNING)
    if public_key:
        blob = public_blob(public_key)
        if derived and public_blob(derived) != blob:
            raise ValueError("field 'public_key' is not the public half of 'private_key'")
    elif derived:
        public_key, blob = derived, public_blob(derived)
    else:
        blob = None
    typed = {"private_key": private_key, "public_key": public_key, "fingerprint": fingerprint(blob) if blob else ""}
    return typed, warnings


def public_blob(public_key):
    """The key blob of an OpenSSH public key line ("type base64 [comment]"), checked against its type."""
    parts = public_key.split()
    if len(parts) < 2:
        raise ValueError("field 'public_key' must be a line such as 'ssh-ed25519 AAAA... comment'")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("field 'public_key' holds no valid base64 key") from None
    if len(blob) < 4:
        raise ValueError("field 'public_key' holds no valid base64 key")
    (length,) = struct.unpack(">I", blob[:4])
    if blob[4 : 4 + length] != parts[0].encode("ascii", "replace"):
        raise ValueError("field 'public_key' is not a key of the type it names")
    return blob


def fingerprint(blob):
    """SHA256:<base64 without padding> of the key blob, as `ssh-keygen -l` prints it."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")


def _public_of(private_key):
    """(the OpenSSH public key line of a private key, or "" when it cannot be read; whether it is protected)."""
    for module in (ECC, RSA):
        try:
            key = module.import_key(private_key)
        except PassphraseRequiredError:
            return "", True
        except (ValueError, IndexError, TypeError, KeyError):
            continue  # not this family's key
        public = key.public_key() if module is ECC else key.publickey()
        exported = public.export_key(format="OpenSSH")
        return (exported.decode("ascii") if isinstance(exported, bytes) else exported), False
    return "", False  # an armour pycryptodome does not read (a DSA key, say): kept as it is
