"""Vault health (extensions.md §10): weak, reused, old and exposed passwords, found by the server that opens them.

`report.report(call)` is the whole answer; `strength` holds the weak check,
`kept` what a report derives of each item and later reports read (its
strength estimate, its seed's comparable form), sealed like the item,
`pwned` the search of a local Pwned Passwords file. The server sees every
password in plaintext while it computes the report, as it does for any
request that opens items. Nothing else computed here is stored, and nothing
is logged or sent.
"""
