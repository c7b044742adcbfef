"""Security keys and passkeys (WebAuthn) as a second factor: the relying party, its challenges and the keys.

The ceremonies themselves (CBOR, attestation, signatures) are the `webauthn`
package's; this package decides what is asked, binds each challenge to who
asked, and keeps each account's public keys and signature counters.
"""
