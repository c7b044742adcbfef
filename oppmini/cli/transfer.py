"""The import and export commands: a password manager's export file in, the vault out as a file."""

import sys

from . import output
from .errors import UsageError
from .saving import SavedFile

NOT_ENCRYPTED = "it is NOT encrypted: every password is in it in the clear; delete it when done"


def import_file(ctx):
    try:
        with open(ctx.args.file, "rb") as file:
            data = file.read()
    except OSError as error:
        raise UsageError(f"cannot read {ctx.args.file}: {error.strerror}") from None
    query = {
        "format": ctx.args.format,
        "dry_run": "true" if ctx.args.dry_run else "false",
        "duplicates": "keep" if ctx.args.keep_duplicates else "skip",
    }
    client = ctx.client()
    answer = client.call("POST", "import", query=query, phrase=ctx.phrase(), upload=data)
    if ctx.args.json:
        output.as_json(answer)
        return
    verb = "Would import" if answer["dry_run"] else "Imported"
    files = answer.get("attachments_imported", 0)
    with_files = f" with {files} attached file{'s' if files != 1 else ''}" if files else ""
    print(
        f"{verb} {answer['imported']} items{with_files} from {answer['format']} ({answer['categories_created']} new "
        f"categories); skipped {answer['skipped_duplicates']} duplicates and {answer['skipped_unsupported']} "
        "entries of other kinds."
    )
    for warning in answer["warnings"]:
        print(f"entry {warning['entry']}: {output.printable(warning['reason'])}")


def export_file(ctx):
    to_stdout = ctx.args.output == "-"
    if to_stdout and sys.stdout.isatty():
        # As gpg will not print binary data there: the screen, its scrollback and a shared session would hold it.
        raise UsageError(
            "the export is not encrypted: not printed to a terminal; give -o FILE, or redirect "
            "standard output (opp export -o - > FILE)"
        )
    client = ctx.client()
    query = {"format": ctx.args.format}
    if ctx.args.include_collections:
        query["include_collections"] = "true"
    if ctx.args.include_attachments:
        query["include_attachments"] = "true"
    phrase = ctx.phrase()
    _warn_of_changes(client.call("GET", "export", query={**query, "dry_run": "true"}, phrase=phrase))
    if to_stdout:
        client.save("export", sys.stdout.buffer, query=query, phrase=phrase)
        sys.stdout.flush()
        return
    with SavedFile(ctx.args.output, exclusive=True, fallback="oppmini-export") as saved:
        written = client.save("export", saved.open, query=query, phrase=phrase)
    print(f"Wrote {saved.path} ({written} bytes); {NOT_ENCRYPTED}.", file=sys.stderr)


def _warn_of_changes(dry_run):
    """The items the format changes (the server's dry run says which), on stderr before the file is written."""
    warnings = dry_run["warnings"]
    if not warnings:
        return
    changed = len({warning["item"] for warning in warnings})
    print(
        f"opp: warning: {dry_run['format']} changes {changed} item{'s' if changed > 1 else ''} (--format "
        "bitwarden-json or oppmini-json keeps them as they are):",
        file=sys.stderr,
    )
    for warning in warnings:
        print(
            f"  {output.printable(warning['name'])} (id {warning['item']}): {output.printable(warning['reason'])}",
            file=sys.stderr,
        )
