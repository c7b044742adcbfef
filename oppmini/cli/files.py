"""Attachments from the command line: opp attach ITEM FILE, opp get ITEM --attachment NAME [-o FILE]."""

import mimetypes
import os
import sys
import urllib.parse

from . import output
from .errors import UsageError
from .saving import SavedFile

# What a file of no known kind is sent as.
UNKNOWN_MEDIA_TYPE = "application/octet-stream"


def attach(ctx, client, phrase, item):
    """POST the file ctx.args.file, as it is read, to the item; say what the server kept."""
    path = ctx.args.file
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed below, once the upload is done)
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    with stream:
        length = os.fstat(stream.fileno()).st_size
        media_type = mimetypes.guess_type(path)[0] or UNKNOWN_MEDIA_TYPE
        name = os.path.basename(path)
        answer = client.send_file(
            f"items/{item['id']}/attachments", stream, length, media_type, query={"name": name}, phrase=phrase
        )
    attachment = answer["attachment"]
    if ctx.args.json:
        output.as_json(attachment)
    else:
        print(
            f"Attached {output.printable(attachment['name'])!r} ({attachment['size']} bytes) to item "
            f"{item['id']} {output.printable(item['name'])!r}."
        )


def get_attachment(ctx, client, phrase, item):
    """The item's file named ctx.args.attachment (or its id) to ctx.args.output, else to stdout."""
    wanted = ctx.args.attachment
    files = item.get("attachments") or []
    found = [file for file in files if file["name"] == wanted] or [file for file in files if str(file["id"]) == wanted]
    if not found:
        names = ", ".join(output.printable(file["name"]) for file in files) or "none"
        raise UsageError(f"item {item['id']} has no file {output.printable(wanted)!r}; its files: {names}")
    if len(found) > 1:
        ids = ", ".join(str(file["id"]) for file in found)
        raise UsageError(
            f"item {item['id']} has {len(found)} files named {output.printable(wanted)!r}; give an id: {ids}"
        )
    resource = f"items/{item['id']}/attachments/{urllib.parse.quote(str(found[0]['id']))}"
    if ctx.args.output in (None, "-"):
        client.save(resource, sys.stdout.buffer, phrase=phrase)
        sys.stdout.buffer.flush()
        return
    with SavedFile(ctx.args.output) as saved:
        written = client.save(resource, saved.open, phrase=phrase)
    print(f"Saved {output.printable(found[0]['name'])!r} ({written} bytes) to {ctx.args.output}.", file=sys.stderr)
