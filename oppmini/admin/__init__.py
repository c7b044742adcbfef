"""opp-db, the operator's command line, and what only it does: backups, restores and their rotation."""
