"""The vault's rules: where an item is sealed, item rows and records, history, trash, one-time codes, the generator."""
