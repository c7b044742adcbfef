"""Sharing (extensions.md section 3): key pairs, collection keys, collections and their members."""
