"""Accounts: sign-up and passwords, tokens, guess limits, two-factor login, sessions, activity."""
