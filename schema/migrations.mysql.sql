-- What oppmini/migrations.py asks of MySQL/MariaDB before it knows the schema,
-- and the named lock that lets one node at a time migrate (DDL commits
-- implicitly there, so no transaction could hold the others back).

-- name: count_settings_tables
SELECT COUNT(*) AS found FROM information_schema.tables
WHERE table_schema = DATABASE() AND table_name = 'settings';

-- name: get_named_lock
-- 1 once taken, 0 when the wait ran out.
SELECT GET_LOCK(:lock_name, :wait_seconds) AS taken;

-- name: get_named_lock_released
SELECT RELEASE_LOCK(:lock_name) AS released;
