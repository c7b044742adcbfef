"""Sealing: key derivation, AES-EAX records bound to their rows, batch opening, key pairs, collection keys, caches."""
