"""Schema migrations: a first-release database upgrades with every secret readable,
concurrent starts apply each step once, and a newer database is refused."""

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import webtest

from conftest import CHEAP_ARGON2, PASSWORD, PHRASE, accept_invitations, execute_raw
from live import ROOT, write_config
from oppmini.accounts.tokens import TokenSigner
from oppmini.admin import backup
from oppmini.config import Config
from oppmini.store.db import Database
from oppmini.store.migrations import (
    MIGRATIONS_DIR,
    Migration,
    MigrationError,
    SchemaTooNew,
    available,
    latest_version,
    upgrade,
)
from oppmini.web.app import make_app

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Items of the first release answer the extensions' keys with these: their
# records (layout 1) open as they are, and their times were never kept.
FIRST_RELEASE_EXTRAS = {
    "totp": "",
    "fields": [],
    "favorite": False,
    "match": "domain",
    "type": "login",
    "collection_id": None,
    "created_at": 0,
    "updated_at": 0,
    "revision": 1,
    "attachments": [],
}


def first_release_fetchall():
    """What fetchall answers for the fixture's users after the upgrade: the first release's answers
    (schema1_expected.json, as that release gave them) with the extensions' keys after v1's."""
    expected = json.loads((FIXTURES / "schema1_expected.json").read_text(encoding="utf-8"))
    for answer in expected.values():
        answer["items"] = [{**item, **FIRST_RELEASE_EXTRAS} for item in answer["items"]]
        answer["collections"] = []
    return expected


DIALECT = {"sqlite": "sqlite", "mariadb": "mysql"}


@pytest.fixture
def fresh_url(request, backend, tmp_path):
    """A database with no tables at all (a pooled MariaDB one has the latest schema's)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/opp.db"
    mariadb = request.getfixturevalue("mariadb")
    return mariadb.url(mariadb.create_database())


def only_first(tmp_path, dialect, count=1):
    """A migrations folder holding the first `count` steps alone (1: the first release's)."""
    folder = tmp_path / f"first-{count}"
    (folder / dialect).mkdir(parents=True)
    for step in available(dialect)[:count]:
        shutil.copy(step.path, folder / dialect)
    return folder


def run_statements(database, path):
    with database.connect() as conn, conn.transaction():
        for statement in Migration(0, path.stem, path).statements():
            conn.execute(statement)


def first_release_user(conn, username):
    """(user_id, security_stamp), read with SQL the first release's schema has (the app's queries name later
    columns)."""
    cursor = conn.raw.cursor()
    try:
        cursor.execute(f"SELECT user_id, security_stamp FROM users WHERE username = '{username}'")
        row = cursor.fetchone()
        return row["user_id"], row["security_stamp"]
    finally:
        cursor.close()


def schema_version(database):
    with database.connect() as conn:
        return int(conn.run("get_setting", name="schema_version")["value"])


def test_a_fresh_database_gets_every_step_and_a_second_start_changes_nothing(fresh_url, backend):
    database = Database(fresh_url)
    latest = latest_version(DIALECT[backend])
    assert upgrade(database) == (0, latest)
    assert upgrade(database) == (latest, latest)
    assert schema_version(database) == latest


def test_a_first_release_database_upgrades_with_every_item_category_and_token_working(fresh_url, backend, tmp_path):
    database = Database(fresh_url)
    assert upgrade(database, only_first(tmp_path, DIALECT[backend])) == (0, 1)
    run_statements(database, FIXTURES / "schema1_rows.sql")
    with database.connect() as conn:
        signing_key = conn.run("get_setting", name="signing_key")["value"]
        alice_id, alice_stamp = first_release_user(conn, "alice")
    # A token that release handed out before the upgrade.
    old_token = TokenSigner(signing_key).issue(alice_id, alice_stamp, 3600)

    client = webtest.TestApp(make_app(Config(db_connect=fresh_url, **CHEAP_ARGON2)))  # upgrades on start

    assert schema_version(database) == latest_version(DIALECT[backend]) > 1
    assert client.get("/v1/health").json["migrations"] == "current"
    expected = first_release_fetchall()
    alice_headers = {"x-opp-jwt": old_token, "x-opp-phrase": PHRASE}
    assert client.get("/v1/fetchall", headers=alice_headers).json == expected["alice"]
    bob_token = client.post_json("/v1/auth", {"username": "bob", "password": "bob password"}).json["access_token"]
    bob_headers = {"x-opp-jwt": bob_token, "x-opp-phrase": "bob passphrase"}
    assert client.get("/v1/fetchall", headers=bob_headers).json == expected["bob"]
    # Writes go on from where the first release left its ids.
    new_token = client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    alice_headers["x-opp-jwt"] = new_token
    added = client.put_json("/v1/items", {"items": [{"name": "After"}]}, headers=alice_headers).json["items"][0]
    assert added["id"] > max(item["id"] for who in expected.values() for item in who["items"])
    client.delete_json("/v1/auth", headers={"x-opp-jwt": new_token})
    assert client.get("/v1/fetchall", headers=alice_headers, status=401).json["description"] == "Token has been revoked"


@pytest.mark.parametrize("schema", range(2, latest_version("sqlite")))
def test_a_database_of_every_earlier_schema_upgrades_in_place(fresh_url, backend, tmp_path, schema):
    database = Database(fresh_url)
    upgrade(database, only_first(tmp_path, DIALECT[backend]))
    run_statements(database, FIXTURES / "schema1_rows.sql")
    assert upgrade(database, only_first(tmp_path, DIALECT[backend], schema)) == (1, schema)
    client = webtest.TestApp(make_app(Config(db_connect=fresh_url, **CHEAP_ARGON2)))  # upgrades on start
    assert schema_version(database) == latest_version(DIALECT[backend])
    token = client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    headers = {"x-opp-jwt": token, "x-opp-phrase": PHRASE}
    assert client.get("/v1/fetchall", headers=headers).json == first_release_fetchall()["alice"]


def test_a_first_release_user_gets_a_key_pair_at_the_first_unlock_and_can_then_be_shared_with(
    fresh_url, backend, tmp_path
):
    database = Database(fresh_url)
    upgrade(database, only_first(tmp_path, DIALECT[backend]))
    run_statements(database, FIXTURES / "schema1_rows.sql")
    client = webtest.TestApp(make_app(Config(db_connect=fresh_url, allow_signup=True, **CHEAP_ARGON2)))
    client.put_json("/v1/user", {"username": "carol", "password": PASSWORD, "phrase": PHRASE})
    carol_token = client.post_json("/v1/auth", {"username": "carol", "password": PASSWORD}).json["access_token"]
    carol = {"x-opp-jwt": carol_token, "x-opp-phrase": PHRASE}
    family = client.put_json("/v1/collections", {"names": ["Family"]}, headers=carol).json["collections"][0]["id"]
    client.put_json("/v1/items", {"items": [{"name": "tv", "collection_id": family}]}, headers=carol)
    add_alice = {"members": [{"username": "alice", "role": "read"}]}
    members = f"/v1/collections/{family}/members"

    hinting = webtest.TestApp(make_app(Config(db_connect=fresh_url, invite_unknown_names=False, **CHEAP_ARGON2)))
    refused = hinting.put_json(members, add_alice, headers=carol, status=400).json
    assert refused["error"] == "User has not unlocked a vault since sharing was enabled!"
    # Otherwise alice is invited like anyone (a name without a key pair must not stand out), with no copy yet.
    client.put_json(members, add_alice, headers=carol)
    alice_token = client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    alice = {"x-opp-jwt": alice_token, "x-opp-phrase": PHRASE}
    # The first request with the passphrase makes the pair; the invitation made before it holds no copy.
    assert "tv" not in [item["name"] for item in client.get("/v1/items", headers=alice).json["items"]]
    (invitation,) = client.get("/v1/invitations", headers={"x-opp-jwt": alice_token}).json["invitations"]
    accept = {"accept": [invitation["id"]]}
    refused = client.post_json("/v1/invitations", accept, headers={"x-opp-jwt": alice_token}, status=400).json
    assert refused["error"] == "User has not unlocked a vault since sharing was enabled!"
    assert "invite you again" in refused["description"]
    client.put_json(members, add_alice, headers=carol)  # invited again: the copy is sealed now
    client.post_json("/v1/invitations", accept, headers={"x-opp-jwt": alice_token})
    shared = [item for item in client.get("/v1/items", headers=alice).json["items"] if item["collection_id"]]
    assert [item["name"] for item in shared] == ["tv"]


def restarted_from(db_url, backend, schema):
    """The database put back at `schema` (5 or 6: what schemas 7, 9, 12 and 13 added undone, the items'
    domain tags, their indexes and revisions, the users' file claims, the collections' write claim, while
    8, 10 and 11 make their tables only where missing; the caller undid what 6 added), then an app started
    on it, which upgrades it."""
    execute_raw(db_url, "ALTER TABLE collections DROP COLUMN write_claim")
    execute_raw(db_url, "ALTER TABLE users DROP COLUMN file_claims")
    for index in ("items_versions_by_user", "items_versions_by_collection"):
        execute_raw(db_url, f"DROP INDEX {index} ON items" if backend == "mariadb" else f"DROP INDEX {index}")
    execute_raw(db_url, "ALTER TABLE items DROP COLUMN revision")
    for index in ("items_by_user_tag", "items_by_collection_tag"):
        execute_raw(db_url, f"DROP INDEX {index} ON items" if backend == "mariadb" else f"DROP INDEX {index}")
    execute_raw(db_url, "ALTER TABLE items DROP COLUMN domain_tag")
    execute_raw(db_url, f"UPDATE settings SET value = '{schema}' WHERE name = 'schema_version'")
    database = Database(db_url)
    assert schema_version(database) == schema
    restarted = webtest.TestApp(make_app(Config(db_connect=db_url, **CHEAP_ARGON2)))  # upgrades on start
    assert schema_version(database) == latest_version(DIALECT[backend])
    return restarted


def test_members_of_a_schema_5_database_stay_members_after_the_invitations_step(fresh_url, backend):
    client = webtest.TestApp(make_app(Config(db_connect=fresh_url, allow_signup=True, **CHEAP_ARGON2)))
    vaults = {}
    for name in ("alice", "bob"):
        client.put_json("/v1/user", {"username": name, "password": PASSWORD, "phrase": PHRASE})
        token = client.post_json("/v1/auth", {"username": name, "password": PASSWORD}).json["access_token"]
        vaults[name] = {"x-opp-jwt": token, "x-opp-phrase": PHRASE}
    family = client.put_json("/v1/collections", {"names": ["Family"]}, headers=vaults["alice"]).json
    family = family["collections"][0]["id"]
    client.put_json("/v1/items", {"items": [{"name": "tv", "collection_id": family}]}, headers=vaults["alice"])
    # bob a member (a collection_members row, as schema 5 has them), then the database put back at schema 5.
    client.put_json(
        f"/v1/collections/{family}/members",
        {"members": [{"username": "bob", "role": "write"}]},
        headers=vaults["alice"],
    )
    accept_invitations(client, vaults["bob"])
    execute_raw(fresh_url, "DROP TABLE collection_invitations")
    restarted = restarted_from(fresh_url, backend, 5)
    assert restarted.get("/v1/invitations", headers={"x-opp-jwt": vaults["bob"]["x-opp-jwt"]}).json["invitations"] == []
    [listed] = restarted.get("/v1/collections", headers=vaults["alice"]).json["collections"]
    assert listed["members"] == [{"username": "alice", "role": "manage"}, {"username": "bob", "role": "write"}]
    assert [item["name"] for item in restarted.get("/v1/items", headers=vaults["bob"]).json["items"]] == ["tv"]
    # A write of the collection claims its row (schema 13's column, added with a value to flip).
    restarted.put_json("/v1/items", {"items": [{"name": "radio", "collection_id": family}]}, headers=vaults["bob"])
    assert execute_raw(fresh_url, "SELECT write_claim FROM collections") == [(1,)]


def test_a_database_newer_than_the_code_is_refused_naming_both_versions(fresh_url, backend):
    database = Database(fresh_url)
    latest = upgrade(database)[1]
    with database.connect() as conn:
        conn.run("update_setting", name="schema_version", value=str(latest + 1))
    with pytest.raises(SchemaTooNew) as refused:
        upgrade(database)
    assert f"schema version {latest + 1}" in str(refused.value)
    assert f"schema version {latest};" in str(refused.value)
    assert schema_version(database) == latest + 1  # untouched


def test_serve_and_opp_db_refuse_a_newer_database_in_one_line(tmp_path):
    url = f"sqlite:///{tmp_path}/opp.db"
    database = Database(url)
    latest = upgrade(database)[1]
    with database.connect() as conn:
        conn.run("update_setting", name="schema_version", value=str(latest + 7))
    cfg = write_config(tmp_path, db_connect=url, port=0, processes=1, **CHEAP_ARGON2)
    for command in (
        [sys.executable, "serve.py", "--config", str(cfg)],
        [sys.executable, "-m", "oppmini.admin", "--config", str(cfg), "init"],
    ):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
        # The cheap test costs add a warning line of their own before it.
        errors = [line for line in done.stderr.splitlines() if "Error" in line or "Traceback" in line]
        assert done.returncode == 1, done.stderr
        assert len(errors) == 1 and errors[0].startswith("Error: "), done.stderr
        assert f"schema version {latest + 7}" in errors[0] and f"schema version {latest};" in errors[0]


def racing_migrations(tmp_path, dialect):
    """The real steps, then two that must run once: the first fails if repeated
    (CREATE without IF NOT EXISTS) and is slow, so that a second start comes in
    while it runs; both record that they ran."""
    folder = tmp_path / "racing"
    shutil.copytree(MIGRATIONS_DIR / dialect, folder / dialect)
    latest = latest_version(dialect)
    slow = {
        "sqlite": "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000000) "
        "SELECT COUNT(*) FROM n",
        "mysql": "SELECT SLEEP(1)",
    }[dialect]
    (folder / dialect / f"{latest + 1:04d}_runs_once.sql").write_text(
        f"CREATE TABLE migration_runs (step INTEGER NOT NULL PRIMARY KEY);\n{slow};\n"
        f"INSERT INTO migration_runs (step) VALUES ({latest + 1});\n"
    )
    (folder / dialect / f"{latest + 2:04d}_runs_once_too.sql").write_text(
        f"INSERT INTO migration_runs (step) VALUES ({latest + 2});\n"
    )
    return folder, latest


STARTER = """
import sys, time
from oppmini.store.db import Database
from oppmini.store.migrations import upgrade
url, folder, start_at = sys.argv[1], sys.argv[2], float(sys.argv[3])
time.sleep(max(0, start_at - time.time()))
print(upgrade(Database(url), __import__("pathlib").Path(folder)))
"""


def test_two_processes_starting_together_apply_each_step_once(fresh_url, backend, tmp_path):
    folder, latest = racing_migrations(tmp_path, DIALECT[backend])
    start_at = str(time.time() + 2)  # both past their imports, then off together
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, fresh_url, str(folder), start_at],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [start.communicate(timeout=120) for start in starts]
    assert [start.returncode for start in starts] == [0, 0], results
    database = Database(fresh_url)
    with database.connect() as conn:
        cursor = conn.raw.cursor()
        cursor.execute("SELECT step FROM migration_runs ORDER BY step")
        steps = [list(row.values())[0] if isinstance(row, dict) else row[0] for row in cursor.fetchall()]
        cursor.close()
    assert steps == [latest + 1, latest + 2]
    assert schema_version(database) == latest + 2
    # Each saw the newest version in the end, whichever of them did the work.
    said = [out.strip() for out, _ in results]
    assert all(line.endswith(f", {latest + 2})") for line in said), said
    assert f"(0, {latest + 2})" in said


def test_migration_files_must_be_numbered_without_gaps(tmp_path):
    (tmp_path / "sqlite").mkdir()
    for name in ("0001_a.sql", "0003_c.sql"):
        (tmp_path / "sqlite" / name).write_text("SELECT 1;\n")
    with pytest.raises(MigrationError, match=r"numbered \[1, 3\], not 1 to 2"):
        available("sqlite", tmp_path)
    (tmp_path / "sqlite" / "2_b.sql").write_text("SELECT 1;\n")
    with pytest.raises(MigrationError, match="2_b.sql: a migration is named NNNN_what.sql"):
        available("sqlite", tmp_path)


def test_a_failing_step_names_its_file_and_leaves_the_version(tmp_path):
    folder = tmp_path / "broken"
    shutil.copytree(MIGRATIONS_DIR / "sqlite", folder / "sqlite")
    latest = latest_version("sqlite")
    (folder / "sqlite" / f"{latest + 1:04d}_broken.sql").write_text(
        "CREATE TABLE half_done (a INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
    )
    database = Database(f"sqlite:///{tmp_path}/opp.db")
    upgrade(database)
    with pytest.raises(MigrationError, match=f"{latest + 1:04d}_broken.sql failed"):
        upgrade(database, folder)
    assert schema_version(database) == latest
    with database.connect() as conn:
        # SQLite's DDL is transactional: nothing of the failed step remains.
        assert conn.raw.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0


def test_a_backup_made_before_the_upgrade_restores_after_it(fresh_url, backend, tmp_path):
    old = Database(fresh_url)
    upgrade(old, only_first(tmp_path, DIALECT[backend]))
    run_statements(old, FIXTURES / "schema1_rows.sql")
    backup.write_backup(old, tmp_path / "before-upgrade.backup")
    assert json.loads((tmp_path / "before-upgrade.backup").read_text().splitlines()[0])["schema_version"] == 1

    target = f"sqlite:///{tmp_path}/restored.db"
    backup.restore(Database(target), tmp_path / "before-upgrade.backup")

    restored = Database(target)
    assert schema_version(restored) == latest_version("sqlite")
    client = webtest.TestApp(make_app(Config(db_connect=target, **CHEAP_ARGON2)))
    token = client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    expected = first_release_fetchall()
    assert client.get("/v1/fetchall", headers={"x-opp-jwt": token, "x-opp-phrase": PHRASE}).json == expected["alice"]


def test_a_backup_of_a_newer_schema_is_refused(tmp_path):
    source = Database(f"sqlite:///{tmp_path}/source.db")
    upgrade(source)
    backup.write_backup(source, tmp_path / "b.backup")
    lines = (tmp_path / "b.backup").read_text().splitlines()
    header = json.loads(lines[0])
    header["schema_version"] += 1
    body = [json.dumps(header, sort_keys=True, separators=(",", ":"))] + [
        line.replace(f'"value":"{header["schema_version"] - 1}"', f'"value":"{header["schema_version"]}"')
        for line in lines[1:-1]
    ]
    text = "".join(line + "\n" for line in body)
    trailer = json.loads(lines[-1])
    trailer["sha256"] = hashlib.sha256(text.encode()).hexdigest()
    (tmp_path / "b.backup").write_text(text + json.dumps(trailer, sort_keys=True, separators=(",", ":")) + "\n")
    target = Database(f"sqlite:///{tmp_path}/target.db")
    with pytest.raises(backup.BackupError, match=r"schema version \d+, newer than the database's \d+"):
        backup.restore(target, tmp_path / "b.backup")


def test_a_backup_of_schema_4_restores_into_the_sharing_schema_and_its_users_get_key_pairs(tmp_path):
    folder = tmp_path / "before-sharing"
    (folder / "sqlite").mkdir(parents=True)
    for migration in available("sqlite"):
        if migration.number <= 4:
            shutil.copy(migration.path, folder / "sqlite")
    old = Database(f"sqlite:///{tmp_path}/old.db")
    upgrade(old, only_first(tmp_path, "sqlite"))
    run_statements(old, FIXTURES / "schema1_rows.sql")
    assert upgrade(old, folder) == (1, 4)
    backup.write_backup(old, tmp_path / "four.backup")
    header = json.loads((tmp_path / "four.backup").read_text().splitlines()[0])
    assert header["schema_version"] == 4 and header["tables"] == backup.LAYOUTS[4]
    assert "collections" not in header["tables"] and "public_key" not in header["tables"]["users"]

    target_url = f"sqlite:///{tmp_path}/restored.db"
    target = Database(target_url)
    backup.restore(target, tmp_path / "four.backup")
    with target.connect() as conn:
        assert conn.run("get_user_by_name", username="alice")["public_key"] is None
    client = webtest.TestApp(make_app(Config(db_connect=target_url, **CHEAP_ARGON2)))
    token = client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    expected = first_release_fetchall()
    assert (
        client.get("/v1/fetchall", headers={"x-opp-jwt": token, "x-opp-phrase": PHRASE}).json["items"]
        == expected["alice"]["items"]
    )
    with target.connect() as conn:  # the first unlock after the restore made alice's key pair
        assert len(conn.run("get_user_by_name", username="alice")["public_key"]) == 32


def test_items_of_a_schema_6_database_are_tagged_at_their_owners_first_match(fresh_url, backend):
    client = webtest.TestApp(make_app(Config(db_connect=fresh_url, allow_signup=True, **CHEAP_ARGON2)))
    client.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
    token = client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    alice = {"x-opp-jwt": token, "x-opp-phrase": PHRASE}
    rows = [{"name": "bank", "url": "https://bank.test"}, {"name": "shop", "url": "shop.test"}]
    client.put_json("/v1/items", {"items": rows}, headers=alice)
    restarted = restarted_from(fresh_url, backend, 6)
    assert execute_raw(fresh_url, "SELECT COUNT(*) FROM items WHERE domain_tag IS NULL") == [(2,)]
    found = restarted.get("/v1/match", {"url": "https://www.bank.test/"}, headers=alice).json["items"]
    assert [(item["name"], item["matched"], item["match"]) for item in found] == [("bank", "domain", "domain")]
    assert execute_raw(fresh_url, "SELECT COUNT(*) FROM items WHERE domain_tag IS NULL") == [(0,)]
