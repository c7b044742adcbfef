"""Keyed domain tags: which items share a site, told to the database without telling it the site.

An item row carries HMAC-SHA256(tag key, site), where the tag key is derived
with HKDF from the key its record is sealed under (the owner's data key, or
the collection key). Without that key a tag is 32 random-looking bytes: the
same site gives different tags for two users, or for a user and a
collection. At rest it tells only which items under one key share a site.
"""

from Crypto.Hash import HMAC, SHA256
from Crypto.Protocol.KDF import HKDF

TAG_BYTES = 32
# Binds the derived key to this one use: no other key derived from the data key can equal it.
TAG_KEY_CONTEXT = b"oppmini item domain tag v1"


def tag_key(key):
    """The key that tags the items sealed under `key` (a data key or a collection key)."""
    return HKDF(bytes(key), TAG_BYTES, b"", SHA256, context=TAG_KEY_CONTEXT)


def domain_tag(derived_key, site):
    """The tag of `site` (a registrable domain or host, "" for none) under a key from tag_key."""
    return HMAC.new(derived_key, site.encode("ascii"), SHA256).digest()
