"""Sealing: key derivation, AES-EAX records bound to their rows, batch opening, key pairs and collection keys, key caches."""
