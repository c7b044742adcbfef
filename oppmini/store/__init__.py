"""Storage: the DB-API adapter, database URLs, SQLite's files, the named queries, migrations."""
