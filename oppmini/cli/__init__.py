"""`opp`, the command-line client: talks to a running oppmini server over HTTP(S), standard library only.

One module per job: `errors` (exit codes), `session` (the session file),
`secret_input` (passwords and the passphrase, from files, pipes or a prompt),
`client` (HTTP), `lookup` (finding items by name or id), `output` (tables and
JSON), `account`, `security`, `vault` and `transfer` (the commands), `main`
(the command line).
"""
