"""Moving a vault in and out: reading other programs' export files, and the export formats."""
