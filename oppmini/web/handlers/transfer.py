"""Handlers of /v1/import and /v1/export (extensions.md §2)."""

import time

from ...contract import errors
from ...contract.errors import bad_request
from ...transfer import exporters, exporting, importers
from ...transfer.importing import import_reading
from ...vault.access import not_found, shares
from ...vault.rows import as_id
from ..call import Download, FileStream
from . import SUCCESS

DUPLICATES = ("skip", "keep")
BOOLEANS = {"true": True, "false": False}


def import_file(call):
    """POST: the file in the body read as `format`, its entries written as items, all or none."""
    format_name = call.query.get("format", importers.AUTO)
    dry_run = _choice(call, "dry_run", BOOLEANS, "false")
    keep = _choice(call, "duplicates", {name: name == "keep" for name in DUPLICATES}, "skip")
    place = _import_place(call)
    reading = importers.read(call.body, format_name, max_bytes=call.config.max_import_bytes)
    outcome = import_reading(call, reading, dry_run, keep, place)
    figures = {
        "imported": outcome.imported,
        "categories_created": outcome.categories_created,
        "skipped_duplicates": outcome.skipped_duplicates,
        "skipped_unsupported": reading.skipped,
        "attachments_imported": outcome.attachments_imported,
    }
    if not dry_run:
        call.record("import", format=reading.format, warnings=len(outcome.warnings), **figures)
    return {
        **SUCCESS,
        "format": reading.format,
        "dry_run": dry_run,
        **figures,
        "warnings": [{"entry": entry, "reason": reason} for entry, reason in outcome.warnings],
    }


def _import_place(call):
    """With `collection_id`, the collection the entries go to: one the caller may write to (404 when not a
    member, 403 with the role read), locked against a key rotation; else None, the caller's own vault."""
    ref = call.query.get("collection_id")
    if ref is None:
        return None
    collections = shares(call)
    collection_id = as_id(ref)
    if collection_id is None:
        raise not_found(ref)
    return collections.place(collections.require(collection_id, "write", lock=True))


def export_file(call):
    """GET: the caller's personal vault as a file in `format` (not encrypted); with `include_collections`,
    the items of every collection the caller can read too, each naming its collection; with
    `include_attachments` (oppmini-json only), every item's files in base64, streamed. A dry run
    answers, instead of the file, the items the format would change (extensions.md §2)."""
    format_name = call.query.get("format", exporters.DEFAULT)
    writer = exporters.WRITERS.get(format_name)
    if writer is None:
        raise bad_request(errors.UNKNOWN_EXPORT_FORMAT, f"format must be one of: {', '.join(exporters.NAMES)}.")
    shared = _choice(call, "include_collections", BOOLEANS, "false")
    dry_run = _choice(call, "dry_run", BOOLEANS, "false")
    files = _choice(call, "include_attachments", BOOLEANS, "false")
    if files and format_name != exporters.DEFAULT:
        raise bad_request(errors.BAD_REQUEST, f"'include_attachments' needs format {exporters.DEFAULT}.")
    if files and not dry_run:
        return _export_with_files(call, writer, shared)
    with call.conn.transaction(write=False):  # one consistent view of the vault
        exported = exporting.read_vault(call, shared)
    if dry_run:
        # Nothing leaves in the clear but names, as fetchall's: not an export, so not logged as one.
        warnings = [
            {"item": item["id"], "name": item["name"], "reason": reason}
            for item, reason in writer.changes(exported.categories, exported.items, exported.collections)
        ]
        return {**SUCCESS, "format": format_name, "dry_run": True, **exported.counts(), "warnings": warnings}
    body = writer.write(exported.categories, exported.items, exported.collections)
    _record(call, writer, exported.counts())
    return Download(body, writer.MEDIA_TYPE, _file_name(call, writer))


def _export_with_files(call, writer, shared):
    """oppmini-json with the files, streamed as they are read (transfer/exporting.py): a damaged file
    is a 500 naming it before anything is sent, and the export is logged only once all are checked."""
    stream = exporting.native_with_files(call, shared)
    try:
        size, counts = next(stream)
        _record(call, writer, counts)
    except BaseException:
        stream.close()  # its read snapshot and connection end here, not whenever it is collected
        raise
    return FileStream(stream, size, writer.MEDIA_TYPE, _file_name(call, writer))


def _record(call, writer, counts):
    with call.conn.transaction():
        call.record("export", format=writer.FORMAT, **counts)


def _file_name(call, writer):
    day = time.strftime("%Y%m%d", time.gmtime(call.services.clock()))
    return f"oppmini-export-{day}.{writer.EXTENSION}"


def _choice(call, name, values, default):
    sent = call.query.get(name, default)
    if sent not in values:
        raise bad_request(errors.BAD_REQUEST, f"'{name}' must be one of: {', '.join(values)}.")
    return values[sent]
