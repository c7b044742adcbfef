-- Server-wide values kept in the database so every process shares them.

-- name: get_setting
SELECT value FROM settings WHERE name = :name;

-- name: insert_setting
INSERT INTO settings (name, value) VALUES (:name, :value);

-- name: update_setting
UPDATE settings SET value = :value WHERE name = :name;
