"""Who is really calling: the client address and scheme behind trusted reverse proxies.

A proxy in front of oppmini (nginx, Apache, a load balancer) makes every request
come from the proxy's own address over plain HTTP. It says who the client was in
X-Forwarded-For and how it connected in X-Forwarded-Proto, but anybody can send
those headers, so they are believed only from the addresses listed in config
`trusted_proxies`. With the default empty list they are never believed.
"""

import ipaddress

SCHEMES = ("http", "https")
# Response header for connections known to be HTTPS: browsers then refuse plain HTTP.
HSTS = ("Strict-Transport-Security", "max-age=31536000")


def client_address(environ, trusted_networks):
    """The calling client's IP address as text, for logs and per-address counting.

    The peer (REMOTE_ADDR) when it is not a trusted proxy. Otherwise X-Forwarded-For
    is read from the right, each entry being the address the proxy before it saw,
    and the first address that is not a trusted proxy is the client. Entries left
    of it were written by the client itself and are ignored. Should the chain hold
    only trusted addresses, or something that is no address, the last address
    that could be checked is the answer.
    """
    peer = environ.get("REMOTE_ADDR", "")
    if not _peer_trusted(environ, trusted_networks):
        return peer
    client = peer
    forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        address = _address(entry)
        if address is None:
            break
        client = str(address)
        if not _is_trusted(address, trusted_networks):
            break
    return client


def client_scheme(environ, trusted_networks):
    """ "https" or "http" as the client connected: X-Forwarded-Proto from a trusted peer."""
    scheme = environ.get("wsgi.url_scheme", "http")
    if _peer_trusted(environ, trusted_networks):
        # The last value is the one the proxy next to us set.
        claimed = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
        if claimed in SCHEMES:
            scheme = claimed
    return scheme


def honour_proxies(app, trusted_networks):
    """WSGI wrapper: set wsgi.url_scheme as the client connected; no forged header gets past.

    Bottle builds request.url from X-Forwarded-Proto and X-Forwarded-Host whoever
    sent them, so both are removed unless a trusted proxy sent them; the scheme
    then travels in wsgi.url_scheme only. HTTPS answers also carry HSTS.
    """

    def wrapped(environ, start_response):
        scheme = client_scheme(environ, trusted_networks)
        environ["wsgi.url_scheme"] = scheme
        environ.pop("HTTP_X_FORWARDED_PROTO", None)
        if not _peer_trusted(environ, trusted_networks):
            environ.pop("HTTP_X_FORWARDED_HOST", None)
        if scheme != "https":
            return app(environ, start_response)

        def start(status, headers, exc_info=None):
            if not any(name.lower() == HSTS[0].lower() for name, _ in headers):
                headers = headers + [HSTS]
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return wrapped


def _address(text):
    """An ip_address from a header entry or REMOTE_ADDR, or None when it is none."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:4711"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:4711"
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client on a dual-stack socket shows as ::ffff:192.0.2.1.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _is_trusted(address, trusted_networks):
    return address is not None and any(address in network for network in trusted_networks)


def _peer_trusted(environ, trusted_networks):
    # Without trusted proxies (the default) no address needs parsing: that is
    # three ip_address() calls saved on every request.
    return bool(trusted_networks) and _is_trusted(_address(environ.get("REMOTE_ADDR", "")), trusted_networks)
