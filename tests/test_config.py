import re

import pytest

from live import ROOT
from oppmini import config as settings
from oppmini.config import Config, ConfigError
from oppmini.store.dburl import DbUrlError, MysqlTarget, SqliteTarget, parse_db_url


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def isolated(monkeypatch, tmp_path, system_text=None):
    """No system file (or one holding `system_text`) and no user file."""
    system = write(tmp_path / "system.cfg", system_text) if system_text else tmp_path / "absent.cfg"
    monkeypatch.setattr(settings, "SYSTEM_FILE", system)
    monkeypatch.setattr(settings, "USER_FILE", tmp_path / "absent-too.cfg")


def test_defaults_need_no_file(tmp_path, monkeypatch):
    isolated(monkeypatch, tmp_path)
    config = settings.load(environ={})
    assert config.db_connect == "sqlite:///opp.db"
    assert (config.host, config.port, config.exp_delta, config.allow_signup) == ("127.0.0.1", 8080, 300, False)
    assert (config.argon2_memory_kib, config.argon2_time_cost, config.argon2_parallelism) == (65536, 3, 4)


def test_cascade_rises_from_system_to_user_to_top_to_environment(tmp_path, monkeypatch):
    system = write(tmp_path / "system.cfg", "[DEFAULT]\nexp_delta = 10\nport = 1111\nhost = 0.0.0.0\nthreads = 3\n")
    user = write(tmp_path / "user.cfg", "[DEFAULT]\nexp_delta = 20\nport = 2222\nhost = ::1\n")
    top = write(tmp_path / "top.cfg", "[DEFAULT]\nexp_delta = 30\nport = 3333\n")
    monkeypatch.setattr(settings, "SYSTEM_FILE", system)
    monkeypatch.setattr(settings, "USER_FILE", user)
    config = settings.load(str(top), environ={"OPP_EXP_DELTA": "40"})
    assert (config.threads, config.host, config.port, config.exp_delta) == (3, "::1", 3333, 40)


def test_top_file_from_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "SYSTEM_FILE", tmp_path / "absent.cfg")
    monkeypatch.setattr(settings, "USER_FILE", tmp_path / "absent.cfg")
    top = write(tmp_path / "top.cfg", "[DEFAULT]\nallow_signup = yes\n")
    assert settings.load(environ={"OPP_TOP_CONFIG": str(top)}).allow_signup is True
    # --config wins over the variable.
    other = write(tmp_path / "other.cfg", "[DEFAULT]\nallow_signup = no\n")
    assert settings.load(str(other), environ={"OPP_TOP_CONFIG": str(top)}).allow_signup is False


def test_secrets_keep_percent_and_dollar_signs(tmp_path):
    secret = "a%(b)s$c%%d and enough for 32 characters"
    top = write(tmp_path / "top.cfg", f"[DEFAULT]\nsecret_key = {secret}\n")
    assert settings.load(str(top), environ={}).secret_key == secret


def test_unknown_keys_are_reported_not_applied(tmp_path):
    top = write(tmp_path / "top.cfg", "[DEFAULT]\nexp_delta = 60\nexpdelta = 61\n")
    config = settings.load(str(top), environ={})
    assert config.exp_delta == 60
    assert config.unknown_keys == ("expdelta",)


SQL_URL = "mysql://opp:pw@db.example/vault"


@pytest.mark.parametrize(
    "text, environ",
    [
        (f"[DEFAULT]\nsql_connect = {SQL_URL}\n", {}),
        ("[DEFAULT]\n", {"OPP_SQL_CONNECT": SQL_URL}),
        # The same value under both names is no contradiction.
        (f"[DEFAULT]\nsql_connect = {SQL_URL}\ndb_connect = {SQL_URL}\n", {}),
        (f"[DEFAULT]\ndb_connect = {SQL_URL}\n", {"OPP_SQL_CONNECT": SQL_URL}),
    ],
)
def test_sql_connect_from_openpassphrase_install_guide_is_db_connect(tmp_path, monkeypatch, text, environ):
    isolated(monkeypatch, tmp_path)
    config = settings.load(str(write(tmp_path / "top.cfg", text)), environ=environ)
    assert config.db_connect == SQL_URL
    assert config.unknown_keys == ()


@pytest.mark.parametrize(
    "system_text, top_text, environ",
    [
        (None, f"[DEFAULT]\nsql_connect = {SQL_URL}\ndb_connect = sqlite:///opp.db\n", {}),
        # Set in different places: the contradiction is in the cascade's result.
        (f"[DEFAULT]\nsql_connect = {SQL_URL}\n", "[DEFAULT]\ndb_connect = sqlite:///opp.db\n", {}),
        (None, "[DEFAULT]\n", {"OPP_DB_CONNECT": "sqlite:///opp.db", "OPP_SQL_CONNECT": SQL_URL}),
    ],
)
def test_sql_connect_and_db_connect_that_differ_stop_naming_both(tmp_path, monkeypatch, system_text, top_text, environ):
    isolated(monkeypatch, tmp_path, system_text)
    with pytest.raises(ConfigError) as caught:
        settings.load(str(write(tmp_path / "top.cfg", top_text)), environ=environ)
    assert str(caught.value) == (
        "config 'sql_connect': is another name for 'db_connect', which is set to another value; set only one"
    )


def test_a_bad_sql_connect_is_named_as_written(tmp_path, monkeypatch):
    isolated(monkeypatch, tmp_path)
    with pytest.raises(ConfigError) as caught:
        settings.load(str(write(tmp_path / "top.cfg", "[DEFAULT]\nsql_connect = postgres://x/y\n")), environ={})
    assert str(caught.value) == "config 'sql_connect': unsupported database scheme 'postgres' (use sqlite or mysql)"


@pytest.mark.parametrize(
    "key, value, problem",
    [
        ("exp_delta", "soon", "expected a whole number"),
        ("port", "70000", "expected a number from 0 to 65535"),
        ("allow_signup", "maybe", "expected true or false"),
        ("log_level", "LOUD", "expected one of DEBUG, INFO, WARNING, ERROR"),
        ("db_connect", "postgres://x/y", "unsupported database scheme 'postgres' (use sqlite or mysql)"),
        ("key_cache_ttl", "-1", "expected a number of at least 0"),
        ("secret_key", "a", "expected at least 32 characters (or none: a random key is kept)"),
        ("secret_key", "x" * 31, "expected at least 32 characters (or none: a random key is kept)"),
    ],
)
def test_a_bad_value_names_its_key_and_fault(tmp_path, key, value, problem):
    top = write(tmp_path / "top.cfg", f"[DEFAULT]\n{key} = {value}\n")
    with pytest.raises(ConfigError) as caught:
        settings.load(str(top), environ={})
    assert str(caught.value) == f"config '{key}': {problem}"


def test_a_secret_key_of_32_characters_or_none_is_taken():
    assert settings.parse({"secret_key": "x" * 32}).secret_key == "x" * 32
    assert settings.parse({"secret_key": ""}).secret_key is None


@pytest.mark.parametrize(
    "memory, passes, weak",
    [
        # OWASP's equal-strength pairs, each at and just below its memory.
        (47104, 1, False),
        (47103, 1, True),
        (19456, 2, False),
        (19455, 2, True),
        (12288, 3, False),
        (12287, 3, True),
        (9216, 4, False),
        (9215, 4, True),
        (7168, 5, False),
        (7167, 9, True),
        (65536, 3, False),  # the default
        (8, 1, True),
    ],
)
def test_argon2_costs_below_owasp_minimum_are_warned_about(memory, passes, weak):
    lines = settings.warnings(Config(argon2_memory_kib=memory, argon2_time_cost=passes))
    expected = (
        f"argon2_memory_kib = {memory} with argon2_time_cost = {passes} is below OWASP's minimum for Argon2id "
        "(KiB/passes 47104/1, 19456/2, 12288/3, 9216/4, 7168/5): stolen password hashes are cheap to guess"
    )
    assert lines == ([expected] if weak else [])


def test_a_missing_top_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        settings.load(str(tmp_path / "nowhere.cfg"), environ={})


def test_settings_that_contradict_each_other(tmp_path):
    with pytest.raises(ConfigError, match="'exp_delta': must not exceed max_exp_delta"):
        settings.parse({"exp_delta": "100", "max_exp_delta": "50"})


@pytest.mark.parametrize(
    "url, target",
    [
        ("sqlite:///opp.db", SqliteTarget("opp.db")),
        ("sqlite:///data/opp.db", SqliteTarget("data/opp.db")),
        ("sqlite:////var/lib/opp/opp.db", SqliteTarget("/var/lib/opp/opp.db")),
        ("mysql://opp:pw@db.example:3307/vault", MysqlTarget("db.example", 3307, "opp", "pw", "vault")),
        (
            "mysql+pymysql://opp:p%40ss%3Aw%2Fd@localhost/vault",
            MysqlTarget("localhost", 3306, "opp", "p@ss:w/d", "vault"),
        ),
        (
            "mysql://opp:pw@localhost/vault?unix_socket=/run/mysqld/mysqld.sock",
            MysqlTarget("localhost", 3306, "opp", "pw", "vault", "/run/mysqld/mysqld.sock"),
        ),
    ],
)
def test_db_connect_forms(url, target):
    assert parse_db_url(url) == target


@pytest.mark.parametrize("url", ["opp.db", "sqlite://", "sqlite:///:memory:", "mysql://u:p@host/", "mysql://h:99999/x"])
def test_db_connect_refusals(url):
    with pytest.raises(DbUrlError):
        parse_db_url(url)


def test_config_replace_keeps_other_values():
    config = Config(exp_delta=60).replace(port=9000)
    assert (config.exp_delta, config.port) == (60, 9000)


def test_contrib_opp_cfg_shows_every_key_at_its_default():
    shown = {}
    for line in (ROOT / "contrib" / "opp.cfg").read_text(encoding="utf-8").splitlines():
        key, equals, value = line.lstrip("# ").partition(" =")
        if equals and key in settings.PARSERS:
            shown[key] = value.strip()
    assert sorted(shown) == sorted(settings.PARSERS)
    # Set on purpose: the file is the deployed one. processes defaults to the core count.
    expected = {"db_connect": "sqlite:////var/lib/opp/opp.db", "processes": "2"}
    parsed = settings.parse({key: value for key, value in shown.items() if key not in expected})
    for key in settings.PARSERS:
        if key not in expected:
            assert getattr(parsed, key) == getattr(Config(), key), key
    assert {key: shown[key] for key in expected} == expected


def test_the_readme_configuration_table_names_every_key():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n\n| key |", 1)[1].split("\n\n", 1)[0]
    named = {key for row in table.splitlines() for key in re.findall(r"`(\w+)`", row.split("|")[1])}
    assert named == set(settings.PARSERS)
