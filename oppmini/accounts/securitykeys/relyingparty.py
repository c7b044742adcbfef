"""The relying party the browser checks: its id and origin, both from config `public_url`."""

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

NAME = "oppmini"


@dataclass(frozen=True)
class RelyingParty:
    rp_id: str  # the host name the page is served under; a key is bound to it
    origin: str  # scheme://host[:port], which the browser writes into every signed answer

    @classmethod
    def from_url(cls, public_url):
        """The relying party of the address people open the page at; ValueError saying what is wrong."""
        parts = urlsplit(public_url.strip())
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError("expected the address people open the page at, such as https://vault.example.org/")
        if parts.username or parts.password or parts.query or parts.fragment:
            raise ValueError("expected a plain address: no user, query or fragment")
        host = parts.hostname
        if _is_address(host):
            # A relying party id is a domain name: browsers refuse an IP address.
            raise ValueError("expected a host name, not an IP address (on this machine: localhost)")
        if parts.scheme == "http" and host != "localhost":
            # Browsers offer WebAuthn only in a secure context: https, or this machine itself.
            raise ValueError("expected https (browsers allow WebAuthn over http only on localhost)")
        netloc = host
        if parts.port is not None:
            netloc += f":{parts.port}"
        return cls(rp_id=host, origin=f"{parts.scheme}://{netloc}")


def _is_address(host):
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
