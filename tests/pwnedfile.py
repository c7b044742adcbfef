"""Pwned Passwords files for tests: random SHA-1 lines, sorted, in the publisher's `HASH:COUNT` CRLF form."""

import hashlib
import secrets


def sha1_of(password):
    return hashlib.sha1(password.encode("utf-8")).hexdigest().upper()


def write_pwned_file(path, lines=2000, seen=None):
    """A sorted file of `lines` random hashes plus the SHA-1 of each password of `seen` ({password: count})."""
    entries = {secrets.token_hex(20).upper(): secrets.randbelow(1000) + 1 for _ in range(lines)}
    for password, count in (seen or {}).items():
        entries[sha1_of(password)] = count
    path.write_bytes(b"".join(f"{digest}:{entries[digest]}\r\n".encode() for digest in sorted(entries)))
    return path
