"""A file `opp` saves is whole or not there: an export or an attachment whose answer is cut short
leaves no file, and an attachment's file already at -o stays as it was.

The cut is real: `opp` talks to the real serve.py through a TCP relay that passes everything but
the answers it is told to cut, of which it passes the first bytes and then drops the connection,
as a network that fails does.
"""

import secrets
import socket
import threading

import pytest

from cli.conftest import Opp, sign_up
from oppmini.cli.errors import UNREACHABLE

PASSED_BYTES = 300 * 1024  # what gets through of a cut answer: headers and part of the body


class CuttingRelay:
    """Relays connections to `port`; the answer to a request whose first bytes hold one of `cut`
    is dropped after PASSED_BYTES."""

    def __init__(self, port, cut):
        self.port, self.cut = port, cut
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            client, _ = self.listener.accept()
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client):
        with client, socket.create_connection(("127.0.0.1", self.port)) as server:
            first = client.recv(65536)
            server.sendall(first)
            threading.Thread(target=self._pump, args=(client, server, None), daemon=True).start()
            cut = any(marker in first for marker in self.cut)
            self._pump(server, client, PASSED_BYTES if cut else None)

    @staticmethod
    def _pump(source, target, limit):
        passed = 0
        try:
            while piece := source.recv(65536):
                if limit is not None and passed + len(piece) >= limit:
                    target.sendall(piece[: limit - passed])
                    return
                target.sendall(piece)
                passed += len(piece)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def relay(server):
    return CuttingRelay(server.port, cut=[b"GET /api/v1/export?format=oppmini-json&include", b"/attachments/"])


@pytest.fixture
def alice(server, relay, tmp_path):
    (tmp_path / "opp").mkdir()
    opp = Opp(tmp_path / "opp", relay.url, sign_up(server.url))
    opp.login()
    opp.ok("add", "Passport", "--type", "note")
    scan = tmp_path / "scan.bin"
    scan.write_bytes(secrets.token_bytes(2 * 1024 * 1024))
    opp.ok("attach", "Passport", scan)
    return opp


def test_an_export_cut_short_leaves_no_file(alice, tmp_path):
    out = tmp_path / "out" / "export.json"
    out.parent.mkdir()
    done = alice("export", "--include-attachments", "-o", out)
    assert done.returncode == UNREACHABLE, done.stderr
    assert "the answer was cut short after" in done.stderr
    assert list(out.parent.iterdir()) == []
    # Without the files the answer is not cut: the same command writes the file.
    assert alice("export", "-o", out).returncode == 0 and out.stat().st_size > 0


def test_an_attachment_cut_short_leaves_the_file_at_its_path_as_it_was(alice, tmp_path):
    out = tmp_path / "out" / "scan.bin"
    out.parent.mkdir()
    out.write_bytes(b"kept")
    done = alice("get", "Passport", "--attachment", "scan.bin", "-o", out)
    assert done.returncode == UNREACHABLE and "the answer was cut short after" in done.stderr
    assert list(out.parent.iterdir()) == [out] and out.read_bytes() == b"kept"
