"""Test web sites for the extension: pages served by name (https://bank.test, http://bank.test, ...) from
one loopback port that speaks HTTPS and plain HTTP alike, and the Chromium flags that reach them."""

import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from live import require_binary

HOSTS = ("bank.test", "login.bank.test", "bank.test.evil.test", "evil.test")

LOGIN_FORM = """<form method="post" action="/done">
<label>User name <input name="user" id="user" autocomplete="username"></label>
<label>Password <input type="password" name="pass" id="pass" autocomplete="current-password"></label>
<button type="submit" id="submit">Sign in</button></form>"""

# A bank's sign-in page as a person sees one (for the fill's screenshot): the same fields as LOGIN_FORM.
BANK_SIGN_IN = (
    """<style>
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: #eef2f6; color: #1c2733; }
header { background: #0b3d6e; color: #fff; padding: 14px 32px; display: flex; align-items: center; gap: 12px; }
.logo { width: 34px; height: 34px; border-radius: 8px; background: #f2b632; color: #0b3d6e; font-weight: 800;
  display: grid; place-items: center; }
.brand { font-size: 22px; font-weight: 700; letter-spacing: .5px; }
main { max-width: 380px; margin: 48px auto; background: #fff; border-radius: 10px; padding: 28px 32px;
  box-shadow: 0 4px 18px rgba(11, 61, 110, .15); }
h1 { font-size: 22px; margin: 0 0 4px; }
p { margin: 0 0 20px; color: #4a5866; font-size: 14px; }
label { display: block; font-weight: 600; font-size: 14px; margin-bottom: 16px; }
input { display: block; box-sizing: border-box; width: 100%; margin-top: 6px; padding: 10px 12px;
  font-size: 16px; border: 1px solid #9aa8b6; border-radius: 6px; }
button { width: 100%; padding: 12px; font-size: 16px; font-weight: 700; color: #fff; background: #0b3d6e;
  border: 0; border-radius: 6px; }
</style>
<header><div class="logo" aria-hidden="true">B</div><div class="brand">Bank of Testland</div></header>
<main><h1>Sign in to online banking</h1><p>Welcome back. Enter your details to continue.</p>
"""
    + LOGIN_FORM
    + "</main>"
)

# Fields no person can see: none of them may receive a secret.
TRAPS = """<form method="post" action="/done">
<input name="user" id="user-hidden" type="hidden"><input type="password" id="pass-hidden" hidden>
<div style="display:none"><input id="user-none"><input type="password" id="pass-none"></div>
<input id="user-zero" style="width:0;height:0;border:0;padding:0"><input type="password" id="pass-zero"
 style="width:0;height:0;border:0;padding:0">
<input id="user-clear" style="opacity:0"><input type="password" id="pass-clear" style="opacity:0">
<input id="user-away" style="position:absolute;left:-9999px"><input type="password" id="pass-away"
 style="position:absolute;left:-9999px"></form>"""

TWO_STEP = """<form id="step" onsubmit="return false">
<label>E-mail <input name="email" id="user" type="email" autocomplete="username"></label>
<button type="button" id="next">Next</button></form>
<script>
document.getElementById("next").onclick = () => {
  document.getElementById("step").insertAdjacentHTML("beforeend",
    '<label>Password <input type="password" id="pass" autocomplete="current-password"></label>');
};
</script>"""

FRAME_OF_ANOTHER_SITE = '<iframe title="other site" src="https://evil.test/login" width="600" height="200"></iframe>'

OTP_FORM = """<form><label>Code <input id="code" inputmode="numeric" autocomplete="one-time-code"></label></form>"""

PAGES = {
    "/login": LOGIN_FORM,
    "/sign-in": BANK_SIGN_IN,
    "/traps": TRAPS,
    "/two-step": TWO_STEP,
    "/otp": OTP_FORM,
    "/framed": LOGIN_FORM
    + '<iframe title="other site" src="https://evil.test/login" width="600" height="200"></iframe>',
    "/done": "<p id='done'>Signed in.</p>",
}


def page(body):
    return f"<!doctype html><html lang='en'><head><title>test site</title></head><body>{body}</body></html>"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = PAGES.get(self.path.split("?")[0])
        if body is None:
            self.send_error(404)
            return
        raw = page(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.path = "/done"
        self.do_GET()

    def log_message(self, *args):
        pass


class Sites(ThreadingHTTPServer):
    """Every test host on one port: a connection that opens with a TLS handshake gets HTTPS."""

    daemon_threads = True

    def __init__(self, folder):
        super().__init__(("127.0.0.1", 0), Handler)
        cert, key = certificate(folder)
        self.tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.tls.load_cert_chain(cert, key)

    def get_request(self):
        connection, address = self.socket.accept()
        connection.settimeout(10)
        try:
            first = connection.recv(1, socket.MSG_PEEK)
            if first == b"\x16":
                connection = self.tls.wrap_socket(connection, server_side=True)
        except (OSError, ssl.SSLError):
            pass
        return connection, address

    @property
    def port(self):
        return self.server_address[1]

    def flags(self):
        """Chromium's flags: every test host (and its port 80 and 443) on this server."""
        rules = ", ".join(f"MAP {host} 127.0.0.1:{self.port}" for host in HOSTS)
        return (f"--host-resolver-rules={rules}", "--ignore-certificate-errors")

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


def certificate(folder):
    """A certificate for every test host, made by openssl for this run."""
    openssl = require_binary("openssl", "openssl")
    cert, key = Path(folder) / "sites.pem", Path(folder) / "sites.key"
    names = ",".join(f"DNS:{host}" for host in HOSTS)
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        + ["-days", "1", "-subj", "/CN=bank.test", "-addext", f"subjectAltName={names}"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key
