"""The import and export commands: a password manager's export file in, the vault out as a file."""

import os
import sys

from . import output
from .errors import UsageError

NOT_ENCRYPTED = "it is NOT encrypted: every password is in it in the clear; delete it when done"


def import_file(ctx):
    try:
        with open(ctx.args.file, "rb") as file:
            data = file.read()
    except OSError as error:
        raise UsageError(f"cannot read {ctx.args.file}: {error.strerror}") from None
    query = {"format": ctx.args.format, "dry_run": "true" if ctx.args.dry_run else "false",
             "duplicates": "keep" if ctx.args.keep_duplicates else "skip"}
    client = ctx.client()
    answer = client.call("POST", "import", query=query, phrase=ctx.phrase(), upload=data)
    if ctx.args.json:
        output.as_json(answer)
        return
    verb = "Would import" if answer["dry_run"] else "Imported"
    print(f"{verb} {answer['imported']} items from {answer['format']} ({answer['categories_created']} new "
          f"categories); skipped {answer['skipped_duplicates']} duplicates and {answer['skipped_unsupported']} "
          "entries of other kinds.")
    for warning in answer["warnings"]:
        print(f"entry {warning['entry']}: {output.printable(warning['reason'])}")


def export_file(ctx):
    client = ctx.client()
    query = {"format": ctx.args.format}
    if ctx.args.include_collections:
        query["include_collections"] = "true"
    data, offered = client.download("export", query=query, phrase=ctx.phrase())
    if ctx.args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = ctx.args.output or os.path.basename(offered) or "oppmini-export"
    try:
        # Readable by the owner only, and never over an existing file.
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UsageError(f"{path} exists; give another name with -o FILE") from None
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    print(f"Wrote {path} ({len(data)} bytes); {NOT_ENCRYPTED}.", file=sys.stderr)
