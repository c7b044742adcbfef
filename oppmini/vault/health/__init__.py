"""Vault health (extensions.md §10): weak, reused, old and exposed passwords, found by the server that opens them.

`report.report(call)` is the whole answer; `strength` holds the weak check,
`pwned` the search of a local Pwned Passwords file. The server sees every
password in plaintext while it computes the report, as it does for any
request that opens items; nothing computed here is stored, logged or sent.
"""
