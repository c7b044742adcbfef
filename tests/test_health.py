"""GET /v1/health as an operator's probe: database reachable, migrations current, versions for the operator only."""

import subprocess

import webtest

from conftest import CHEAP_ARGON2
from live import ROOT, LiveServer, write_config
from oppmini import __version__
from oppmini.config import Config
from oppmini.store.db import Database
from oppmini.store.migrations import latest_version
from oppmini.web.app import make_app

TOKEN = "probe-token-0123456789abcdef"


def make_client(db_url):
    return webtest.TestApp(make_app(Config(db_connect=db_url, metrics_token=TOKEN, **CHEAP_ARGON2)))


def set_schema_version(client, version):
    with client.app.services.db.connect() as conn:
        conn.run("update_setting", name="schema_version", value=str(version))


def test_the_operator_s_token_shows_the_versions(db_url, backend):
    client = make_client(db_url)
    latest = latest_version(client.app.services.db.dialect)
    answer = client.get("/v1/health", headers={"Authorization": f"Bearer {TOKEN}"}).json
    assert answer == {
        "status": "OpenPassPhrase service is running",
        "database": client.app.services.db.dialect,
        "migrations": "current",
        "max_exp_delta": 30 * 24 * 3600,
        "version": __version__,
        "schema_version": latest,
    }
    for wrong in ({}, {"Authorization": f"Bearer {TOKEN}0"}, {"Authorization": TOKEN}):
        assert set(client.get("/v1/health", headers=wrong).json) == {
            "status",
            "database",
            "migrations",
            "max_exp_delta",
        }


def test_a_schema_other_than_this_code_s_is_503_naming_versions_only_to_the_operator(db_url, caplog):
    client = make_client(db_url)
    latest = client.app.services.schema_version
    set_schema_version(client, latest + 1)  # a newer release upgraded the shared database
    answer = client.get("/v1/health", status=503).json
    assert answer == {
        "status_code": 503,
        "error": "Database not ready",
        "description": "Its schema is not the one this server expects; see the server's log",
    }
    detailed = client.get("/v1/health", headers={"Authorization": f"Bearer {TOKEN}"}, status=503).json
    assert detailed["description"].endswith(f"(database {latest + 1}, this server {latest})")
    assert f"the database has schema version {latest + 1}, this server expects {latest}" in caplog.text
    set_schema_version(client, latest)
    assert client.get("/v1/health").json["migrations"] == "current"


def readme_health_check():
    """The command of the README's HEALTHCHECK example, as the image's shell would run it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("    HEALTHCHECK ")
    block = readme[start : readme.index("\n\n", start)]
    return block.replace("\\\n", " ").split(" CMD ", 1)[1].strip()


def test_the_readme_s_health_check_passes_on_a_healthy_server_and_fails_on_503(tmp_path):
    url = f"sqlite:///{tmp_path}/opp.db"
    with LiveServer(write_config(tmp_path, db_connect=url, processes=1, **CHEAP_ARGON2)) as server:
        command = readme_health_check().replace("127.0.0.1:8080", f"127.0.0.1:{server.port}")
        assert subprocess.run(["sh", "-c", command], timeout=30).returncode == 0
        with Database(url).connect() as conn:
            conn.run("update_setting", name="schema_version", value="999")
        assert subprocess.run(["sh", "-c", command], capture_output=True, timeout=30).returncode != 0
