"""Schema migrations: numbered SQL files per dialect, applied in order, each exactly once.

`schema/migrations/<dialect>/NNNN_what.sql` holds one change; the number it
brings the database to is kept in the `schema_version` setting (a database of
the first release says 1). Every start (server, WSGI host, `opp-db`) calls
`upgrade`, which applies what is missing under a lock, so that processes or
nodes starting together apply each migration once, and refuses a database
that a newer release has already moved past what this code knows.

A migration file is plain statements separated by `;` at the end of a line
(no `;` inside a statement, no triggers); comments are whole lines. Files are
never edited once released: a change is a new file, for both dialects.
"""

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .db import DatabaseError
from .queries import SCHEMA_DIR

log = logging.getLogger(__name__)

MIGRATIONS_DIR = SCHEMA_DIR / "migrations"
FILE_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")
VERSION_SETTING = "schema_version"
# MySQL/MariaDB: how long a start waits for another node's migrations. SQLite
# waits on its write lock for the adapter's busy timeout instead.
LOCK_NAME = "oppmini.schema_migrations"
LOCK_WAIT_SECONDS = 300


class MigrationError(DatabaseError):
    """A migration that cannot be applied; names the file and the fault."""


class SchemaTooNew(DatabaseError):
    """The database was moved on by a newer release than this code."""


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    path: Path

    def statements(self):
        text = self.path.read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
        return [statement.strip() for statement in "\n".join(lines).split(";") if statement.strip()]


def available(dialect, folder=MIGRATIONS_DIR):
    """The dialect's migrations in order; their numbers must run 1, 2, 3... without a gap."""
    found = []
    for path in sorted((folder / dialect).glob("*.sql")):
        match = FILE_NAME.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: a migration is named NNNN_what.sql")
        found.append(Migration(int(match.group(1)), match.group(2), path))
    numbers = [migration.number for migration in found]
    if numbers != list(range(1, len(found) + 1)):
        raise MigrationError(f"the {dialect} migrations are numbered {numbers}, not 1 to {len(found)}")
    return found


def latest_version(dialect, folder=MIGRATIONS_DIR):
    return len(available(dialect, folder))


def upgrade(db, folder=MIGRATIONS_DIR):
    """Bring `db` to the newest schema; (version before, version after)."""
    steps = available(db.dialect, folder)
    latest = len(steps)
    db.driver.prepare_storage()
    with db.connect() as conn:
        before = current_version(conn)
        _refuse_if_newer(before, latest)
        if before == latest:
            return before, before  # the usual start: one read, no lock
        with db.driver.migration_lock(conn, LOCK_NAME, LOCK_WAIT_SECONDS):
            for step in steps:
                _apply(conn, step, latest)
        after = current_version(conn)
    if before:
        log.info("database schema upgraded from version %d to %d", before, after)
    return before, after


def current_version(conn):
    """The schema version the database records; 0 for an empty database."""
    if not conn.run("count_settings_tables"):
        return 0
    row = conn.run("get_setting", name=VERSION_SETTING)
    return int(row["value"]) if row else 0


def _apply(conn, step, latest):
    # On SQLite the write transaction is the lock (DDL is transactional there,
    # so a failed migration leaves nothing behind); on MySQL the lock row
    # taken around every step serialises, and DDL commits as it goes.
    with conn.transaction():
        version = current_version(conn)
        _refuse_if_newer(version, latest)
        if version >= step.number:
            return  # applied already, by an earlier start or by another process
        try:
            for statement in step.statements():
                conn.execute(statement)
            conn.run("update_setting", name=VERSION_SETTING, value=str(step.number))
        except DatabaseError as error:
            raise MigrationError(f"migration {step.path.name} failed: {error}") from None
    log.info("applied schema migration %s", step.path.name)


def _refuse_if_newer(version, latest):
    if version > latest:
        raise SchemaTooNew(
            f"the database has schema version {version}, newer than this oppmini's schema version {latest}; "
            "run the release that upgraded it, or a newer one"
        )
