"""Backups: one snapshot, checked end to end, restored into either backend with ids and vaults intact."""

import base64
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import webtest

from conftest import CHEAP_ARGON2, PASSWORD, PHRASE, FakeClock, accept_invitations, claims_of, execute_raw
from live import write_config
from oppmini.admin import backup
from oppmini.admin.backup import BackupError
from oppmini.config import Config
from oppmini.seal import crypto
from oppmini.store.db import Database
from oppmini.store.migrations import latest_version, upgrade
from oppmini.web.app import make_app
from otp import code_at, enrol

USERS = ("alice", "bob")
# A file of two chunks (the second of a few bytes), each user's name after it.
FILE_BYTES = bytes(range(256)) * 256


def app_for(url):
    return webtest.TestApp(make_app(Config(db_connect=url, allow_signup=True, **CHEAP_ARGON2)))


def fill(url):
    """Two users with categories and items made through the API, plus one deleted user.

    Each user's first item had its password changed once (one history entry)
    and holds two files (of two chunks and of none), and its third, with a
    file, is in the trash.
    """
    client = app_for(url)
    for name in ("gone", *USERS):
        client.put_json("/v1/user", {"username": name, "password": PASSWORD, "phrase": PHRASE})
    client.delete_json("/v1/user", {"username": "gone", "password": PASSWORD})
    for name in USERS:
        headers = vault_headers(client, name)
        names = [f"{name} category {n} ✓" for n in range(3)]
        created = client.put_json("/v1/categories", {"category_names": names}, headers=headers).json["categories"]
        items = [
            {
                "name": f"{name} item {n}",
                "password": f"{name}-{n}",
                "blob": "🔐" * n,
                "category_id": created[n]["id"] if n else None,
            }
            for n in range(3)
        ]
        made = client.put_json("/v1/items", {"items": items}, headers=headers).json["items"]
        client.post_json("/v1/items", {"items": [{"id": made[0]["id"], "password": "new"}]}, headers=headers)
        for item, data in ((made[0], FILE_BYTES + name.encode()), (made[0], b""), (made[2], b"in the trash")):
            client.post(f"/v1/items/{item['id']}/attachments?name={name}.bin", data, headers=headers)
        client.delete_json("/v1/items", {"ids": [made[2]["id"]]}, headers=headers)
    return client


def vault_headers(client, name):
    token = client.post_json("/v1/auth", {"username": name, "password": PASSWORD}).json["access_token"]
    return {"x-opp-jwt": token, "x-opp-phrase": PHRASE}


def vault_view(url):
    """Every user's GET /v1/fetchall with their passphrase, with their user id."""
    client = app_for(url)
    services = client.app.services
    view = {}
    with services.db.connect() as conn:
        users = conn.run("list_backup_users", after_id=0, page_size=100)
    for user in users:
        headers = vault_headers(client, user["username"])
        answer = client.get("/v1/fetchall", headers=headers).json
        for item in answer["items"]:
            item["history"] = client.get(f"/v1/items/{item['id']}/history", headers=headers).json["history"]
            for file in item["attachments"]:
                data = client.get(f"/v1/items/{item['id']}/attachments/{file['id']}", headers=headers).body
                file["sha256"] = hashlib.sha256(data).hexdigest()
        trashed = client.get("/v1/trash", headers=headers).json["items"]
        view[user["username"]] = (user["user_id"], answer["categories"], answer["items"] + trashed)
    return view


def without_stamps(path):
    """The rows of a backup, which must not depend on the backend it was taken from, but for the users'
    security stamps (a restore gives new ones)."""
    rows = [json.loads(line) for line in path.read_bytes().splitlines()[1:-1]]
    for record in rows:
        record["row"].pop("security_stamp", None)
    return rows


@pytest.fixture
def sqlite_url(tmp_path):
    return lambda name: f"sqlite:///{tmp_path}/{name}.db"


def test_sqlite_to_mariadb_to_sqlite_keeps_every_vault_and_id(tmp_path, sqlite_url, mariadb, mariadb_database):
    first, middle, last = sqlite_url("first"), mariadb.url(mariadb_database), sqlite_url("last")
    client = fill(first)
    token = client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    expected = vault_view(first)
    assert sorted(expected) == ["alice", "bob"] and len(expected["alice"][2]) == 3

    backup.write_backup(Database(first), tmp_path / "one.jsonl")
    assert backup.restore(Database(middle), tmp_path / "one.jsonl") == {
        "settings": 2,
        "users": 2,
        "categories": 6,
        "collections": 0,
        "items": 6,
        "item_history": 2,
        "collection_members": 0,
        "collection_invitations": 0,
        "two_factor": 0,
        "recovery_codes": 0,
        "activity": 5,
        "webauthn_credentials": 0,
        "attachments": 6,
        "attachment_chunks": 8,
    }
    # Before anyone signs in there, which the activity log would hold.
    backup.write_backup(Database(middle), tmp_path / "two.jsonl")
    assert vault_view(middle) == expected
    backup.restore(Database(last), tmp_path / "two.jsonl")
    assert vault_view(last) == expected
    # The same lines, but for the security stamps a restore gives anew.
    assert without_stamps(tmp_path / "one.jsonl") == without_stamps(tmp_path / "two.jsonl")

    # Sessions are not backed up, and the stamps are new: a restore signs every session out, and a token
    # naming no session, which the signing key that came along would otherwise honour, opens nothing either.
    restored = app_for(middle)
    restored.delete("/v1/auth", headers={"x-opp-jwt": token}, status=401)
    claims = claims_of(token)
    sessionless = client.app.services.signer.issue(claims["identity"], claims["stamp"], 300)
    answer = restored.delete("/v1/auth", headers={"x-opp-jwt": sessionless}, status=401)
    assert answer.json["description"] == "Token has been revoked"


def test_new_rows_after_a_restore_get_ids_past_the_restored_ones(tmp_path, db_url, sqlite_url):
    fill(sqlite_url("source"))
    backup.write_backup(Database(sqlite_url("source")), tmp_path / "b.jsonl")
    backup.restore(Database(db_url), tmp_path / "b.jsonl")
    client = app_for(db_url)
    client.put_json("/v1/user", {"username": "carol", "password": PASSWORD, "phrase": PHRASE})
    ids = {name: uid for name, (uid, _, _) in vault_view(db_url).items()}
    assert ids["carol"] > max(ids["alice"], ids["bob"])


def test_backup_is_one_snapshot(tmp_path, db_url, monkeypatch):
    fill(db_url)
    monkeypatch.setattr(backup, "PAGE_SIZE", 1)
    database = Database(db_url)

    def write_meanwhile(message):
        if message.startswith("users:"):
            with database.connect() as conn:  # another connection, as a running server would use
                conn.run("delete_user", user_id=vault_view(db_url)["alice"][0])

    counts = backup.write_backup(database, tmp_path / "b.jsonl", write_meanwhile)
    assert counts == {
        "settings": 2,
        "users": 2,
        "categories": 6,
        "collections": 0,
        "items": 6,
        "item_history": 2,
        "collection_members": 0,
        "collection_invitations": 0,
        "two_factor": 0,
        "recovery_codes": 0,
        "activity": 2,
        "webauthn_credentials": 0,
        "attachments": 6,
        "attachment_chunks": 8,
    }
    assert backup.verify(tmp_path / "b.jsonl")[1] == counts


def test_the_format_is_documented_json_lines_with_a_trailing_checksum(tmp_path, db_url):
    fill(db_url)
    backup.write_backup(Database(db_url), tmp_path / "b.jsonl")
    raw = (tmp_path / "b.jsonl").read_bytes()
    lines = raw.splitlines(keepends=True)
    header, trailer = json.loads(lines[0]), json.loads(lines[-1])
    latest = latest_version(Database(db_url).dialect)
    assert (header["format"], header["format_version"], header["schema_version"]) == ("oppmini-backup", 4, latest)
    assert header["source"] == Database(db_url).dialect
    assert trailer["sha256"] == hashlib.sha256(b"".join(lines[:-1])).hexdigest()
    user = next(json.loads(line)["row"] for line in lines if b'"table":"users"' in line)
    assert crypto.is_sealed_record(base64.b64decode(user["sealed_key"]))
    assert PHRASE.encode() not in raw and b"alice-0" not in raw  # sealed stays sealed
    assert (tmp_path / "b.jsonl").stat().st_mode & 0o077 == 0


def damaged(path, change):
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(change(lines))
    return path


def rehashed(lines):
    """Lines with a fresh, matching checksum line: damage the checksum alone would not catch."""
    trailer = json.loads(lines[-1])
    trailer["sha256"] = hashlib.sha256(b"".join(lines[:-1])).hexdigest()
    return b"".join(lines[:-1]) + json.dumps(trailer).encode() + b"\n"


def edit_row(table, column, value):
    """Set `column` of the first `table` row to `value`, or to value(old value) when it is a function."""

    def change(lines):
        index = next(i for i, line in enumerate(lines) if f'"table":"{table}"'.encode() in line)
        record = json.loads(lines[index])
        record["row"][column] = value(record["row"][column]) if callable(value) else value
        lines[index] = json.dumps(record, sort_keys=True, separators=(",", ":")).encode() + b"\n"
        return lines

    return change


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda lines: b"".join(lines[:-1]), "the checksum line is missing: the file is truncated"),
        (lambda lines: b"".join(lines)[:-40], "incomplete: the file is truncated"),
        (
            lambda lines: b"".join(lines).replace(b'"failed_attempts":0', b'"failed_attempts":1', 1),
            "the SHA-256 checksum does not match: the file was changed or damaged",
        ),
        (
            lambda lines: b"".join(lines[:-2] + lines[-1:]),
            "the SHA-256 checksum does not match: the file was changed or damaged",
        ),
        (
            lambda lines: rehashed(
                edit_row("items", "sealed_fields", base64.b64encode(b"\x02" + b"x" * 40).decode())(lines)
            ),
            "items.sealed_fields is not a sealed record",
        ),
        (
            lambda lines: rehashed(edit_row("categories", "user_id", 999)(lines)),
            "categories.user_id 999 names no users row before it",
        ),
        (lambda lines: b"".join(lines) + lines[-1], "data after the checksum line"),
        (lambda lines: b"not json\n", "line 1: not valid JSON"),
    ],
    ids=["no-trailer", "cut-mid-line", "edited-value", "dropped-line", "unsealed-record", "orphan", "extra", "garbage"],
)
def test_a_damaged_file_fails_verify_and_restore_writes_nothing(tmp_path, db_url, sqlite_url, change, message):
    fill(sqlite_url("source"))
    path = tmp_path / "b.jsonl"
    backup.write_backup(Database(sqlite_url("source")), path)
    damaged(path, change)
    with pytest.raises(BackupError, match=message):
        backup.verify(path)
    with pytest.raises(BackupError, match=message):
        backup.restore(Database(db_url), path)
    if db_url.startswith("sqlite"):
        assert not (tmp_path / "opp.db").exists()  # not even created
    else:
        database = Database(db_url)
        upgrade(database)
        with database.connect() as conn:
            assert conn.run("count_stored_rows") == 0


def test_restore_refuses_a_database_that_holds_rows(tmp_path, db_url, sqlite_url):
    fill(sqlite_url("source"))
    backup.write_backup(Database(sqlite_url("source")), tmp_path / "b.jsonl")
    app_for(db_url).put_json("/v1/user", {"username": "zed", "password": PASSWORD, "phrase": PHRASE})
    with pytest.raises(
        BackupError, match="the database already holds 1 users, categories and items; restore only into an empty one"
    ):
        backup.restore(Database(db_url), tmp_path / "b.jsonl")
    assert list(vault_view(db_url)) == ["zed"]


def opp_db(config_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "oppmini.admin", "--config", str(config_path), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


# What the command line says of fill()'s rows.
FILLED = (
    "2 settings, 2 users, 6 categories, 0 collections, 6 items, 2 item_history, 0 collection_members, "
    "0 collection_invitations, 0 two_factor, 0 recovery_codes, 2 activity, 0 webauthn_credentials, "
    "6 attachments, 8 attachment_chunks"
)


def test_command_line_backup_verify_dry_run_and_restore(tmp_path, db_url, sqlite_url):
    fill(sqlite_url("source"))
    source_cfg = write_config(tmp_path, db_connect=sqlite_url("source"))
    target_dir = tmp_path / "target"
    target_dir.mkdir()
    target_cfg = write_config(target_dir, db_connect=db_url)
    path = tmp_path / "b.jsonl"

    done = opp_db(source_cfg, "backup", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Backup written to {path}: {FILLED}.\n"
    assert "items: 6 rows, done" in done.stderr  # progress goes to stderr

    done = opp_db(source_cfg, "verify", str(path))
    assert done.returncode == 0 and done.stdout.startswith(
        f"Backup {path} is intact: format 4, schema {latest_version('sqlite')}, from sqlite"
    )

    done = opp_db(target_cfg, "restore", str(path), "--dry-run")
    assert done.returncode == 0
    assert done.stdout == f"Dry run: {path} is intact and would restore {FILLED}; nothing was written.\n"
    if db_url.startswith("sqlite"):
        assert not (target_dir / "opp.db").exists()

    done = opp_db(target_cfg, "restore", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Restored from {path}: {FILLED}.\n"
    assert vault_view(db_url) == vault_view(sqlite_url("source"))

    done = opp_db(target_cfg, "restore", str(path))
    assert done.returncode == 1
    assert done.stderr == (
        "Error: the database already holds 14 users, categories and items; restore only into an empty one\n"
    )

    path.write_bytes(path.read_bytes()[:-10])
    done = opp_db(source_cfg, "verify", str(path))
    assert (done.returncode, done.stderr) == (1, "Error: line 36: incomplete: the file is truncated\n")


@pytest.mark.parametrize("leftover", ["open file", "link"])
def test_backup_never_writes_through_a_file_or_link_already_at_its_partial_name(tmp_path, sqlite_url, leftover):
    fill(sqlite_url("source"))
    cfg = write_config(tmp_path, db_connect=sqlite_url("source"))
    path, partial, elsewhere = tmp_path / "b.jsonl", tmp_path / "b.jsonl.partial", tmp_path / "elsewhere"
    elsewhere.write_bytes(b"someone else's\n")
    elsewhere.chmod(0o666)
    if leftover == "link":
        partial.symlink_to(elsewhere)
    else:
        partial.write_bytes(b"an interrupted run\n")
        partial.chmod(0o666)

    done = opp_db(cfg, "backup", str(path))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"Error: {partial} already exists: another backup to the same file is running, "
        "or one was interrupted; remove it and try again\n"
    )
    assert elsewhere.read_bytes() == b"someone else's\n"
    assert partial.is_symlink() == (leftover == "link")
    assert not path.exists()

    partial.unlink()
    assert opp_db(cfg, "backup", str(path)).returncode == 0
    assert path.stat().st_mode & 0o777 == 0o600 and not partial.exists()


@pytest.fixture(scope="module")
def source_backup(tmp_path_factory):
    """A backup of fill()'s users, taken once: line 4 is the first users row, line 12 the first items row."""
    folder = tmp_path_factory.mktemp("source")
    url = f"sqlite:///{folder}/source.db"
    fill(url)
    backup.write_backup(Database(url), folder / "b.jsonl")
    return folder / "b.jsonl"


def crafted(table, column, value):
    """A change giving the first `table` row's `column` `value`, under a checksum that matches."""
    return lambda lines: rehashed(edit_row(table, column, value)(lines))


def header_without(key):
    def change(lines):
        header = json.loads(lines[0])
        del header[key]
        return rehashed([json.dumps(header).encode() + b"\n", *lines[1:]])

    return change


BIGINT = "-9223372036854775808 to 9223372036854775807"
KEY_PARAMS_FORM = "is not key parameters of the form 'argon2id$m=<KiB>,t=<passes>,p=<lanes>'"
CRAFTED = {
    "key-params-garbage": (crafted("users", "key_params", "garbage"), f"line 4: users.key_params {KEY_PARAMS_FORM}"),
    "key-params-1-gib": (
        crafted("users", "key_params", "argon2id$m=1048576,t=1,p=1"),
        "line 4: users.key_params has m=1048576, outside the accepted 8 to 262144",
    ),
    "key-params-2-70": (
        crafted("users", "key_params", f"argon2id$m=64,t={2**70},p=1"),
        f"line 4: users.key_params {KEY_PARAMS_FORM}",
    ),
    "key-params-lanes": (
        crafted("users", "key_params", "argon2id$m=64,t=1,p=9"),
        "line 4: users.key_params has m=64, less than 8 x p=9",
    ),
    "hash-1-gib": (
        crafted("users", "password_hash", lambda old: old.replace("m=64,", "m=1048576,")),
        "line 4: users.password_hash has m=1048576, outside the accepted 8 to 262144",
    ),
    "hash-garbage": (
        crafted("users", "password_hash", "garbage"),
        "line 4: users.password_hash is not an Argon2id hash of the form "
        "'$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>'",
    ),
    "integer-2-70": (
        crafted("items", "sort_id", 2**70),
        f"line 12: items.sort_id must be a whole number from {BIGINT}",
    ),
    "count-2-40": (
        crafted("users", "failed_attempts", 2**40),
        "line 4: users.failed_attempts must be a whole number from 0 to 2147483647",
    ),
    "negative-id": (
        crafted("users", "user_id", -2),
        "line 4: users.user_id must be a whole number from 1 to 9223372036854775807",
    ),
    "text-as-number": (crafted("users", "username", 5), "line 4: users.username must be text of 1 to 255 characters"),
    "number-as-text": (
        crafted("users", "created_at", "1795983312"),
        "line 4: users.created_at must be a whole number from 0 to 9223372036854775807",
    ),
    "boolean": (crafted("items", "sort_id", True), f"line 12: items.sort_id must be a whole number from {BIGINT}"),
    "null": (crafted("users", "security_stamp", None), "line 4: users.security_stamp must not be null"),
    "lone-surrogate": (
        crafted("users", "username", "\ud800"),
        "line 4: users.username is not valid Unicode text (a lone surrogate)",
    ),
    "short-salt": (crafted("users", "key_salt", "AAAAAA=="), "line 4: users.key_salt must be 8 to 64 bytes, not 4"),
    "sealed-key-size": (
        crafted("users", "sealed_key", base64.b64encode(b"\x01" + b"k" * 63).decode()),
        "line 4: users.sealed_key must be 65 bytes, not 64",
    ),
    "no-source": (header_without("source"), "line 1: the header's source must be a string"),
}


def refused(tmp_path, source, change, message):
    """`source` changed by `change`: verify and restore refuse it, saying exactly `message`; no database made."""
    path = tmp_path / "changed.jsonl"
    path.write_bytes(change(source.read_bytes().splitlines(keepends=True)))
    target = Database(f"sqlite:///{tmp_path}/target.db")
    for attempt in (backup.verify, lambda changed: backup.restore(target, changed)):
        with pytest.raises(BackupError) as caught:
            attempt(path)
        assert str(caught.value) == message
    assert not (tmp_path / "target.db").exists()


@pytest.mark.parametrize("case", CRAFTED)
def test_a_crafted_value_fails_verify_naming_line_and_problem_and_restore_writes_nothing(tmp_path, source_backup, case):
    refused(tmp_path, source_backup, *CRAFTED[case])


def stored(url):
    """Every row of every table, as a restore could change them."""
    with Database(url).connect() as conn:
        return {
            table.name: conn.run(table.list_query(), after_id=0, after_second=0, page_size=1000)
            if isinstance(table.id_column, tuple)
            else conn.run(table.list_query(), after_id=0, page_size=1000)
            if table.id_column
            else conn.run(table.list_query())
            for table in backup.TABLES
        }


@pytest.mark.parametrize("case", ["key-params-garbage", "key-params-1-gib", "integer-2-70", "negative-id"])
def test_restore_of_a_crafted_backup_exits_with_an_error_and_leaves_the_database_as_it_was(
    tmp_path, db_url, source_backup, case
):
    change, message = CRAFTED[case]
    path = tmp_path / "crafted.jsonl"
    path.write_bytes(change(source_backup.read_bytes().splitlines(keepends=True)))
    cfg = write_config(tmp_path, db_connect=db_url)
    assert opp_db(cfg, "init").returncode == 0
    before = stored(db_url)

    done = opp_db(cfg, "restore", str(path))
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"Error: {message}\n")
    assert stored(db_url) == before


def shared_view(client, name):
    """What `name` reads of the collections: their names and roles, and the shared items' names and passwords."""
    headers = vault_headers(client, name)
    answer = client.get("/v1/fetchall", headers=headers).json
    items = [
        (item["collection_id"], item["name"], item["password"])
        for item in answer["items"]
        if item["collection_id"] is not None
    ]
    history = [
        client.get(f"/v1/items/{item['id']}/history", headers=headers).json["history"]
        for item in answer["items"]
        if item["collection_id"] is not None
    ]
    return answer["collections"], items, history


def fill_shared(url):
    """fill()'s users, alice sharing "Family ✓" with bob (write), an item of each there, alice's changed by
    bob; (client, collection id)."""
    client = fill(url)
    alice, bob = vault_headers(client, "alice"), vault_headers(client, "bob")
    family = client.put_json("/v1/collections", {"names": ["Family ✓"]}, headers=alice).json["collections"][0]["id"]
    client.put_json(
        f"/v1/collections/{family}/members", {"members": [{"username": "bob", "role": "write"}]}, headers=alice
    )
    accept_invitations(client, bob)
    # A pending invitation to a name that names no user: the backup carries it too.
    client.put_json(
        f"/v1/collections/{family}/members", {"members": [{"username": "nobody", "role": "read"}]}, headers=alice
    )
    made = client.put_json(
        "/v1/items", {"items": [{"name": "Wi-Fi", "password": "wifi-first", "collection_id": family}]}, headers=alice
    ).json["items"][0]
    client.put_json(
        "/v1/items", {"items": [{"name": "Alarm", "password": "1234", "collection_id": family}]}, headers=bob
    )
    client.post_json("/v1/items", {"items": [{"id": made["id"], "password": "wifi-second"}]}, headers=bob)
    return client, family


def test_a_restored_server_lets_every_member_read_the_shared_items(tmp_path, db_url, sqlite_url):
    source = sqlite_url("shared")
    client, family = fill_shared(source)
    expected = {name: shared_view(client, name) for name in USERS}
    assert expected["alice"][1] == expected["bob"][1] == [(family, "Wi-Fi", "wifi-second"), (family, "Alarm", "1234")]

    counts = backup.write_backup(Database(source), tmp_path / "shared.jsonl")
    assert (counts["collections"], counts["collection_members"], counts["item_history"]) == (1, 2, 3)
    assert counts["collection_invitations"] == 1
    raw = (tmp_path / "shared.jsonl").read_bytes()
    for clear in (b"Family", b"Wi-Fi", b"wifi-first", b"wifi-second"):  # sealed stays sealed
        assert clear not in raw
    assert backup.restore(Database(db_url), tmp_path / "shared.jsonl") == counts
    restored = app_for(db_url)
    assert {name: shared_view(restored, name) for name in USERS} == expected
    [listed] = restored.get("/v1/collections", headers=vault_headers(restored, "alice")).json["collections"]
    assert listed["members"][-1] == {"username": "nobody", "role": "read", "pending": True}
    # The restored keys work for writing too, and for a rotation.
    alice = vault_headers(restored, "alice")
    restored.delete_json(f"/v1/collections/{family}/members", {"usernames": ["bob"]}, headers=alice)
    assert shared_view(restored, "alice")[1] == expected["alice"][1]
    assert shared_view(restored, "bob") == ([], [], [])


@pytest.mark.parametrize(
    "table, column, value, message",
    [
        ("collection_members", "role", "owner", "collection_members.role is not one of read, write, manage"),
        (
            "collection_members",
            "sealed_key",
            base64.b64encode(b"k" * 79).decode(),
            "collection_members.sealed_key must be 80 bytes, not 79",
        ),
        ("collection_members", "user_id", 999, "collection_members.user_id 999 names no users row before it"),
        ("collections", "key_version", 0, "collections.key_version must be a whole number from 1 to 2147483647"),
        ("users", "public_key", base64.b64encode(b"p" * 31).decode(), "users.public_key must be 32 bytes, not 31"),
        ("items", "collection_id", 999, "items.collection_id 999 names no collections row before it"),
        ("items", "domain_tag", base64.b64encode(b"t" * 31).decode(), "items.domain_tag must be 32 bytes, not 31"),
        (
            "collection_invitations",
            "collection_id",
            999,
            "collection_invitations.collection_id 999 names no collections row before it",
        ),
        ("collection_invitations", "role", "owner", "collection_invitations.role is not one of read, write, manage"),
    ],
)
def test_a_crafted_sharing_value_fails_verify(tmp_path, sqlite_url, table, column, value, message):
    fill_shared(sqlite_url("source"))
    path = tmp_path / "b.jsonl"
    backup.write_backup(Database(sqlite_url("source")), path)
    damaged(path, crafted(table, column, value))
    with pytest.raises(BackupError, match=message):
        backup.verify(path)


def clocked_app(url, clock):
    return webtest.TestApp(make_app(Config(db_connect=url, allow_signup=True, **CHEAP_ARGON2), clock=clock))


def activity_of(client, token):
    return client.get("/v1/activity?limit=500", headers={"x-opp-jwt": token}).json["events"]


def test_a_restore_keeps_two_factor_login_and_the_activity_log(tmp_path, db_url, sqlite_url, monkeypatch):
    clock = FakeClock(time.time())
    source = clocked_app(sqlite_url("source"), clock)
    for name in USERS:
        source.put_json("/v1/user", {"username": name, "password": PASSWORD, "phrase": PHRASE})
    token = source.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    secret, recovery_codes = enrol(source, token, clock)
    clock.advance(30)
    source.post_json("/v1/auth", {"username": "alice", "password": PASSWORD, "otp": recovery_codes[0]})
    events = activity_of(source, token)
    assert [event["event"] for event in events] == ["recovery_code_used", "login", "two_factor_on", "login"]

    path = tmp_path / "b.jsonl"
    counts = backup.write_backup(Database(sqlite_url("source")), path)
    assert (counts["two_factor"], counts["recovery_codes"], counts["activity"]) == (1, 9, 4)
    raw = path.read_bytes()
    assert secret.encode() not in raw and not any(code.encode() in raw for code in recovery_codes)
    assert backup.restore(Database(db_url), path) == counts
    # A page of 4 rows: recovery codes page on (user, hash), the hash compared as text on either backend.
    monkeypatch.setattr(backup, "PAGE_SIZE", 4)
    backup.write_backup(Database(db_url), tmp_path / "again.jsonl")
    assert without_stamps(tmp_path / "again.jsonl") == without_stamps(path)

    clock.advance(30)
    restored = clocked_app(db_url, clock)
    login = {"username": "alice", "password": PASSWORD}
    answer = restored.post_json("/v1/auth", login, status=401)
    assert answer.json == {
        "status_code": 401,
        "error": "Bad Request",
        "description": "Two-factor code required",
        "factors": ["totp"],
    }
    token = restored.post_json("/v1/auth", {**login, "otp": code_at(secret, clock())}).json["access_token"]
    # The recovery code spent before the backup stays spent; an unused one works once.
    restored.post_json("/v1/auth", {**login, "otp": recovery_codes[0]}, status=401)
    restored.post_json("/v1/auth", {**login, "otp": recovery_codes[1]})
    answer = restored.post_json("/v1/auth", {**login, "otp": recovery_codes[1]}, status=401)
    assert answer.json["description"] == "Invalid two-factor code"
    # The log goes on after the restored events, which are as they were.
    assert activity_of(restored, token)[-len(events) :] == events
    # Without a second factor, bob signs in with his password alone.
    restored.post_json("/v1/auth", {"username": "bob", "password": PASSWORD})


def test_a_restore_signs_everyone_out_even_where_session_ids_come_again(tmp_path, db_url, sqlite_url):
    source = app_for(sqlite_url("source"))
    source.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
    old = source.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    backup.write_backup(Database(sqlite_url("source")), tmp_path / "b.jsonl")
    backup.restore(Database(db_url), tmp_path / "b.jsonl")

    restored = app_for(db_url)
    new = restored.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    assert claims_of(new)["sid"] == claims_of(old)["sid"]  # the restored database hands out ids anew
    answer = restored.delete("/v1/auth", headers={"x-opp-jwt": old}, status=401)
    assert answer.json == {"status_code": 401, "error": "Invalid token", "description": "Token has been revoked"}


@pytest.fixture(scope="module")
def two_factor_backup(tmp_path_factory):
    """A backup of one user with 2FA on and an activity log; line 4 is the users row."""
    folder = tmp_path_factory.mktemp("two-factor")
    url = f"sqlite:///{folder}/source.db"
    client = app_for(url)
    client.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
    token = client.post_json("/v1/auth", {"username": "alice", "password": PASSWORD}).json["access_token"]
    enrol(client, token, time.time)
    backup.write_backup(Database(url), folder / "b.jsonl")
    return folder / "b.jsonl"


SEALED_SECRET = base64.b64encode(b"\x01" + b"s" * 63).decode()  # a sealed record's shape, a byte short
TAMPERED_SECURITY = {
    "orphan-two-factor": (
        crafted("two_factor", "user_id", 999),
        "line 5: two_factor.user_id 999 names no users row before it",
    ),
    "unsealed-secret": (
        crafted("two_factor", "sealed_secret", base64.b64encode(b"\x02" + b"s" * 64).decode()),
        "line 5: two_factor.sealed_secret is not a sealed record",
    ),
    "secret-size": (
        crafted("two_factor", "sealed_secret", SEALED_SECRET),
        "line 5: two_factor.sealed_secret must be 65 bytes, not 64",
    ),
    "enabled-2": (crafted("two_factor", "enabled", 2), "line 5: two_factor.enabled must be a whole number from 0 to 1"),
    "orphan-code": (
        crafted("recovery_codes", "user_id", 999),
        "line 6: recovery_codes.user_id 999 names no users row before it",
    ),
    "code-not-a-hash": (
        crafted("recovery_codes", "code_hash", "0" * 63 + "g"),
        "line 6: recovery_codes.code_hash is not a SHA-256 hash in lower-case hex",
    ),
    "orphan-event": (crafted("activity", "user_id", 999), "line 16: activity.user_id 999 names no users row before it"),
    "detail-not-json": (crafted("activity", "detail", "{not json"), "line 16: activity.detail is not a JSON object"),
    "event-unknown": (
        crafted("activity", "event", "login\n"),
        "line 16: activity.event is not an event name (a-z, 0-9 and _)",
    ),
}


@pytest.mark.parametrize("case", TAMPERED_SECURITY)
def test_a_tampered_two_factor_or_activity_row_fails_verify_and_restore_writes_nothing(
    tmp_path, two_factor_backup, case
):
    refused(tmp_path, two_factor_backup, *TAMPERED_SECURITY[case])


# Written by the release before backups held the second factor (format 1, schema 5): fill()'s
# users, alice with 2FA on, which a backup of that format did not hold.
FORMAT_1 = Path(__file__).resolve().parent / "fixtures" / "backup_format1.jsonl"


def test_a_backup_of_format_1_still_restores(tmp_path, db_url):
    header, counts = backup.verify(FORMAT_1)
    assert header["format_version"] == 1 and "two_factor" not in counts
    assert backup.restore(Database(db_url), FORMAT_1) == counts
    view = vault_view(db_url)  # every user signs in with a password alone, and opens the vault
    assert sorted(view) == ["alice", "bob"] and [len(items) for _, _, items in view.values()] == [3, 3]
    assert view["alice"][2][0]["name"] == "alice item 0" and view["alice"][2][0]["password"] == "new"


# Written by the release before backups held attachments (format 3, schema 10): fill()'s users and
# items without files, alice with a security key ("Blue"), which is her second factor since.
FORMAT_3 = Path(__file__).resolve().parent / "fixtures" / "backup_format3.jsonl"


def test_a_backup_of_format_3_still_restores_with_its_security_keys(tmp_path, db_url):
    header, counts = backup.verify(FORMAT_3)
    assert (header["format_version"], header["schema_version"]) == (3, 10)
    assert counts["webauthn_credentials"] == 1 and "attachments" not in counts
    assert backup.restore(Database(db_url), FORMAT_3) == counts
    keys = execute_raw(db_url, "SELECT name FROM webauthn_credentials")
    assert [tuple(row) for row in keys] == [("Blue",)]
    client = app_for(db_url)
    bob = client.get("/v1/fetchall", headers=vault_headers(client, "bob")).json["items"]
    assert [(item["name"], item["attachments"]) for item in bob] == [("bob item 0", []), ("bob item 1", [])]
    assert bob[0]["password"] == "new" and bob[0]["revision"] == 2
    # The restored database is of the latest schema: a file can be attached at once.
    item = bob[1]["id"]
    client.post(f"/v1/items/{item}/attachments?name=a.txt", b"after", headers=vault_headers(client, "bob"))
    written = backup.write_backup(Database(db_url), tmp_path / "now.jsonl")
    assert (written["attachments"], written["attachment_chunks"]) == (1, 1)
    assert json.loads((tmp_path / "now.jsonl").read_bytes().splitlines()[0])["format_version"] == 4


@pytest.mark.parametrize("secret_key", [None, "another signing key, 32 characters or more"])
def test_a_restore_under_another_secret_key_names_the_accounts_whose_codes_cannot_match(
    tmp_path, db_url, two_factor_backup, secret_key
):
    settings = {"db_connect": db_url} if secret_key is None else {"db_connect": db_url, "secret_key": secret_key}
    done = opp_db(write_config(tmp_path, **settings), "restore", str(two_factor_backup))
    assert done.returncode == 0, done.stderr
    warning = (
        "Warning: these accounts' two-factor secrets do not open under this configuration's signing key "
        "(secret_key), so no code of theirs can match: they sign in with a recovery code, or after "
        "opp-db reset-2fa -u NAME: alice\n"
    )
    # Without secret_key the signing key came along in the backup, and every secret opens.
    assert ("Warning" in done.stderr, done.stderr.endswith(warning)) == (secret_key is not None,) * 2


def test_a_user_without_a_key_pair_yet_is_backed_up_and_restored_so(tmp_path, sqlite_url):
    """A user from before sharing who has not unlocked since has null keys: a backup keeps them null."""
    source = sqlite_url("keyless")
    fill(source)
    execute_raw(source, "UPDATE users SET public_key = NULL, sealed_private_key = NULL WHERE username = 'bob'")
    counts = backup.write_backup(Database(source), tmp_path / "keyless.jsonl")
    target = sqlite_url("restored")
    assert backup.restore(Database(target), tmp_path / "keyless.jsonl") == counts
    assert execute_raw(target, "SELECT username, public_key IS NULL FROM users ORDER BY username") == [
        ("alice", 0),
        ("bob", 1),
    ]


def test_a_restore_keeps_the_items_domain_tags(tmp_path, db_url, sqlite_url):
    fill(sqlite_url("source"))
    tags = execute_raw(sqlite_url("source"), "SELECT item_id, domain_tag FROM items ORDER BY item_id")
    assert tags and all(len(tag) == 32 for _, tag in tags)
    backup.write_backup(Database(sqlite_url("source")), tmp_path / "b.jsonl")
    backup.restore(Database(db_url), tmp_path / "b.jsonl")
    restored = execute_raw(db_url, "SELECT item_id, domain_tag FROM items ORDER BY item_id")
    assert [(item_id, bytes(tag)) for item_id, tag in restored] == [(item_id, bytes(tag)) for item_id, tag in tags]


def test_a_restore_keeps_security_keys_working_and_their_counters(tmp_path, db_url, sqlite_url):
    from softkey import SoftKey

    origin = "https://vault.example.org"
    clock = FakeClock(time.time())

    def keyed_app(url):
        config = Config(db_connect=url, allow_signup=True, public_url=origin, **CHEAP_ARGON2)
        return webtest.TestApp(make_app(config, clock=clock))

    def key_login(app, key, status=200):
        options = app.post_json("/v1/auth", login, status=401).json["webauthn"]
        return app.post_json("/v1/auth", {**login, "webauthn": key.get(options, origin)}, status=status)

    source = keyed_app(sqlite_url("source"))
    source.put_json("/v1/user", {"username": "alice", "password": PASSWORD, "phrase": PHRASE})
    login = {"username": "alice", "password": PASSWORD}
    headers = {"x-opp-jwt": source.post_json("/v1/auth", login).json["access_token"]}
    key = SoftKey()
    options = source.put_json("/v1/webauthn", {"password": PASSWORD}, headers=headers).json["options"]
    credential = key.create(options, origin)
    source.post_json("/v1/webauthn", {"name": "Blue", "credential": credential}, headers=headers)
    clone = key.clone()
    key_login(source, key)

    path = tmp_path / "b.jsonl"
    counts = backup.write_backup(Database(sqlite_url("source")), path)
    assert counts["webauthn_credentials"] == 1
    assert backup.restore(Database(db_url), path) == counts
    restored = keyed_app(db_url)
    key_login(restored, key)
    # The counter came along: the clone, behind it, is still refused.
    key_login(restored, clone, status=401)
    token = key_login(restored, key).json["access_token"]
    keys = restored.get("/v1/webauthn", headers={"x-opp-jwt": token}).json["keys"]
    assert [k["name"] for k in keys] == ["Blue"]


def test_a_restore_keeps_the_items_revisions(tmp_path, db_url, sqlite_url):
    """A page open before the restore still has its if_revision compared with the revision it read."""
    fill(sqlite_url("source"))
    execute_raw(sqlite_url("source"), "UPDATE items SET revision = item_id + 6")
    revisions = execute_raw(sqlite_url("source"), "SELECT item_id, revision FROM items ORDER BY item_id")
    backup.write_backup(Database(sqlite_url("source")), tmp_path / "b.jsonl")
    backup.restore(Database(db_url), tmp_path / "b.jsonl")
    assert execute_raw(db_url, "SELECT item_id, revision FROM items ORDER BY item_id") == revisions


# Attachments (format 4): verify checks each file's chunks without their keys.
def without_line(table, nth):
    """The `nth` (from 0) row of `table` left out, the trailer's counts and checksum made to match."""

    def change(lines):
        rows = [i for i, line in enumerate(lines) if f'"table":"{table}"'.encode() in line]
        del lines[rows[nth]]
        trailer = json.loads(lines[-1])
        trailer["counts"][table] -= 1
        lines[-1] = json.dumps(trailer).encode() + b"\n"
        return rehashed(lines)

    return change


def first_chunk_cut(lines):
    return rehashed(edit_row("attachment_chunks", "sealed_chunk", lambda old: old[:-4])(lines))


def line_of(source, table, nth):
    lines = source.read_bytes().splitlines()
    return [number for number, line in enumerate(lines, 1) if f'"table":"{table}"'.encode() in line][nth]


# fill(): alice's file 1 has two chunks, her files 2 and 3 (the one in the trash) one each; then bob's 4 to 6.
# Each message names the line of the first chunk, `shift` lines up from where the unchanged file has it.
@pytest.mark.parametrize(
    "change, shift, message",
    [
        (without_line("attachment_chunks", 0), 0, "line {line}: attachment 1 has chunk 1 where chunk 0 belongs"),
        (without_line("attachment_chunks", 1), 0, "attachment 1 ends at chunk 1 of 2"),
        (first_chunk_cut, 0, "line {line}: attachment 1's chunk 0 is not of the length its place calls for"),
        (
            without_line("attachments", 0),
            1,
            "line {line}: attachment_chunks.attachment_id 1 names no attachments row before it",
        ),
    ],
    ids=["first-chunk-dropped", "last-chunk-dropped", "chunk-cut", "file-row-dropped"],
)
def test_a_file_missing_a_chunk_or_cut_fails_verify_and_restore_writes_nothing(
    tmp_path, source_backup, change, shift, message
):
    line = line_of(source_backup, "attachment_chunks", 0) - shift
    refused(tmp_path, source_backup, change, message.format(line=line))
