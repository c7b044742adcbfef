-- What oppmini/migrations.py asks of SQLite before it knows the schema.

-- name: count_settings_tables
SELECT COUNT(*) AS found FROM sqlite_master WHERE type = 'table' AND name = 'settings';
