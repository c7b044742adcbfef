"""Building the WSGI app for a host: once from the cascade, or a clear refusal."""

import logging

import pytest
import webtest

from conftest import CHEAP_ARGON2
from live import write_config
from oppmini import config as settings
from oppmini.serving.startup import StartupError, build_application


@pytest.fixture(autouse=True)
def no_system_files(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "SYSTEM_FILE", tmp_path / "absent.cfg")
    monkeypatch.setattr(settings, "USER_FILE", tmp_path / "absent-too.cfg")


def test_the_app_comes_from_the_top_file_and_the_environment(tmp_path):
    top = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", **CHEAP_ARGON2)
    app = build_application({"OPP_TOP_CONFIG": str(top), "OPP_ALLOW_SIGNUP": "true"})
    client = webtest.TestApp(app)
    assert client.get("/v1/health").json["status"] == "OpenPassPhrase service is running"
    client.put_json("/v1/user", {"username": "alice", "password": "pw", "phrase": "phrase one"})
    assert (tmp_path / "opp.db").exists()


def refusal(environ, caplog):
    with caplog.at_level(logging.INFO, logger="oppmini"), pytest.raises(StartupError) as caught:
        build_application(environ)
    critical = [r.getMessage() for r in caplog.records if r.levelno == logging.CRITICAL]
    assert critical == [str(caught.value)]
    return str(caught.value)


def test_a_bad_setting_is_refused(tmp_path, caplog):
    top = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", exp_delta="soon")
    message = refusal({"OPP_TOP_CONFIG": str(top)}, caplog)
    assert message == (
        "oppmini cannot start, bad configuration: config 'exp_delta': expected a whole number; not serving"
    )
    assert not (tmp_path / "opp.db").exists()


def test_a_missing_top_file_is_refused(tmp_path, caplog):
    message = refusal({"OPP_TOP_CONFIG": str(tmp_path / "nowhere.cfg")}, caplog)
    assert message == (
        f"oppmini cannot start, bad configuration: config 'config_file': no such file: {tmp_path}/nowhere.cfg;"
        " not serving"
    )


def test_a_database_that_cannot_be_opened_is_refused(tmp_path, caplog):
    (tmp_path / "a-file").write_text("not a folder")
    message = refusal({"OPP_DB_CONNECT": f"sqlite:///{tmp_path}/a-file/opp.db"}, caplog)
    assert message.startswith("oppmini cannot start, cannot open the database: ")
    assert message.endswith("; not serving")


def test_unknown_keys_are_warned_about(tmp_path, caplog):
    top = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", colour="blue", **CHEAP_ARGON2)
    with caplog.at_level(logging.INFO, logger="oppmini"):
        build_application({"OPP_TOP_CONFIG": str(top)})
    assert "unknown configuration key 'colour' ignored" in caplog.messages
    assert f"ready: configuration {top}, sqlite database" in caplog.messages


def test_cheap_argon2_costs_are_warned_about_once(tmp_path, caplog):
    top = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db", **CHEAP_ARGON2)
    with caplog.at_level(logging.INFO, logger="oppmini"):
        build_application({"OPP_TOP_CONFIG": str(top)})
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and warned[0].startswith("argon2_memory_kib = 64 with argon2_time_cost = 1 is below OWASP")


def test_the_default_argon2_costs_are_not_warned_about(tmp_path, caplog):
    top = write_config(tmp_path, db_connect=f"sqlite:///{tmp_path}/opp.db")
    with caplog.at_level(logging.INFO, logger="oppmini"):
        build_application({"OPP_TOP_CONFIG": str(top)})
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
