"""Handlers of /v1/import and /v1/export (extensions.md §2)."""

import base64
import time

from ...contract import errors
from ...contract.errors import bad_request
from ...transfer import exporters, importers
from ...transfer.importing import import_reading
from ...vault import attachments
from ...vault.access import collection_summaries, not_found, shares
from ...vault.rows import as_id
from ...vault.vault import Categories, all_items, place_of
from ..call import Download
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
    `include_attachments` (oppmini-json only), every item's files in base64. A dry run answers,
    instead of the file, the items the format would change (extensions.md §2)."""
    format_name = call.query.get("format", exporters.DEFAULT)
    writer = exporters.WRITERS.get(format_name)
    if writer is None:
        raise bad_request(errors.UNKNOWN_EXPORT_FORMAT, f"format must be one of: {', '.join(exporters.NAMES)}.")
    shared = _choice(call, "include_collections", BOOLEANS, "false")
    dry_run = _choice(call, "dry_run", BOOLEANS, "false")
    files = _choice(call, "include_attachments", BOOLEANS, "false")
    if files and format_name != exporters.DEFAULT:
        raise bad_request(errors.BAD_REQUEST, f"'include_attachments' needs format {exporters.DEFAULT}.")
    with call.conn.transaction(write=False):  # one consistent view of the vault
        categories, items = Categories(call).all(), all_items(call, shared=shared)
        collections = collection_summaries(call) if shared else None
        if files and not dry_run:
            for item in items:
                item["attachments"] = [_file_contents(call, item, listed) for listed in item["attachments"]]
    counts = {"categories": len(categories), "items": len(items)}
    if shared:
        counts["collections"] = len(collections)
    if dry_run:
        # Nothing leaves in the clear but names, as fetchall's: not an export, so not logged as one.
        warnings = [
            {"item": item["id"], "name": item["name"], "reason": reason}
            for item, reason in writer.changes(categories, items, collections)
        ]
        return {**SUCCESS, "format": format_name, "dry_run": True, **counts, "warnings": warnings}
    body = writer.write(categories, items, collections)
    with call.conn.transaction():
        call.record("export", format=format_name, **counts)
    day = time.strftime("%Y%m%d", time.gmtime(call.services.clock()))
    return Download(body, writer.MEDIA_TYPE, f"oppmini-export-{day}.{writer.EXTENSION}")


def _file_contents(call, item, listed):
    """An attachment of `item` as an export holds it: name, media type and the bytes in base64. The
    export is built in memory, so the files are too: the README says so."""
    opened = attachments.open_file(call, item["id"], place_of(call, item), listed["id"])
    data = b"".join(attachments.opened_chunks(call.conn, opened))
    return {"name": opened.name, "content_type": opened.media_type, "data": base64.b64encode(data).decode("ascii")}


def _choice(call, name, values, default):
    sent = call.query.get(name, default)
    if sent not in values:
        raise bad_request(errors.BAD_REQUEST, f"'{name}' must be one of: {', '.join(values)}.")
    return values[sent]
