"""What a serving process loads at start: the libraries only some servers use wait until they are used.

`make bench` W10 bounds the server's peak memory during an import; these
three held 28 MiB of every serving process, most of which never uses them:
PyMySQL serves MySQL only, zxcvbn health reports only, webauthn a server
with a `public_url` only.
"""

from deploy import example_config
from live import load_entry

LOADED = "import sys, oppmini.wsgi; print(*sorted({name.partition('.')[0] for name in sys.modules}))"
LATER = {"pymysql", "zxcvbn", "webauthn"}


def loaded_at_start(tmp_path, **settings):
    """The top-level names of every module importing oppmini.wsgi loads, as gunicorn or mod_wsgi would."""
    config = example_config(tmp_path / "opp.cfg", db_connect=f"sqlite:///{tmp_path}/opp.db", **settings)
    done = load_entry(config, LOADED, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_a_sqlite_server_without_security_keys_loads_none_of_them(tmp_path):
    loaded = loaded_at_start(tmp_path)
    assert "oppmini" in loaded
    assert loaded & LATER == set()


def test_a_server_with_a_public_url_loads_webauthn_and_no_other(tmp_path):
    assert loaded_at_start(tmp_path, public_url="http://localhost:8080/") & LATER == {"webauthn"}
