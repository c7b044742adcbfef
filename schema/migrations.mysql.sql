-- What oppmini/migrations.py asks of MySQL/MariaDB before it knows the schema,
-- and the lock row that lets one node at a time migrate (DDL commits
-- implicitly there, so no transaction could hold the others back).

-- name: count_settings_tables
SELECT COUNT(*) AS found FROM information_schema.tables
WHERE table_schema = DATABASE() AND table_name = 'settings';

-- name: update_migration_lock_table
-- The lock is a row: GET_LOCK is local to one node of a Galera cluster (and
-- refused by newer releases), a row is replicated and certified like any
-- write. Made here, not by a migration, since it guards the migrations.
CREATE TABLE IF NOT EXISTS migration_lock (
    lock_name VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    holder    CHAR(32)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    taken_at  BIGINT      NOT NULL
) ENGINE = InnoDB;

-- name: insert_migration_lock
-- A duplicate key (or, on a cluster, a lost certification) while another holds it.
INSERT INTO migration_lock (lock_name, holder, taken_at) VALUES (:lock_name, :holder, :taken_at);

-- name: delete_migration_lock
DELETE FROM migration_lock WHERE lock_name = :lock_name AND holder = :holder;

-- name: delete_stale_migration_lock
-- A lock whose holder died mid-way (its row outlives it).
DELETE FROM migration_lock WHERE lock_name = :lock_name AND taken_at < :taken_before;
