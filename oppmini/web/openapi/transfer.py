"""The import and export routes (extensions §2): a file in, a file out."""

from ...transfer import exporters, importers
from .parts import JSON, TEXT, TOKEN_AND_PHRASE, WITH_BODY, WITH_PHRASE, error_response, obj, operation, success

IMPORT_ANSWER = success(
    format={"enum": list(importers.NAMES)},
    dry_run={"type": "boolean"},
    **{
        name: {"type": "integer", "minimum": 0}
        for name in (
            "imported",
            "categories_created",
            "skipped_duplicates",
            "skipped_unsupported",
            "attachments_imported",
        )
    },
    warnings={
        "type": "array",
        "items": obj(
            {"entry": {"type": "integer", "minimum": 1}, "reason": TEXT}, required=("entry", "reason"), extra=False
        ),
        "description": "Entries by position in the file, never by their values.",
    },
)
IMPORT_PARAMETERS = [
    {
        "name": "format",
        "in": "query",
        "required": False,
        "schema": {"enum": [importers.AUTO, *importers.NAMES], "default": importers.AUTO},
        "description": "auto: recognised from the content. Another value: 400 `Unknown import format!`.",
    },
    {
        "name": "dry_run",
        "in": "query",
        "required": False,
        "schema": {"enum": ["true", "false"], "default": "false"},
        "description": "true: the same answer, nothing written.",
    },
    {
        "name": "duplicates",
        "in": "query",
        "required": False,
        "schema": {"enum": ["skip", "keep"], "default": "skip"},
        "description": "skip: an entry whose name, url, username and password equal an existing item's (the "
        "caller's own or in a collection they may write to) or an earlier entry's is not imported.",
    },
    {
        "name": "collection_id",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1},
        "description": "The entries become items of this collection (role write; folders make no categories). "
        "404 `Not Found` when the caller is no member, 403 `Not allowed in this collection!` with the role read.",
    },
]
# The file as the other program wrote it, whatever the Content-Type says.
IMPORT_BODY = {"required": True, "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}
EXPORT_MEDIA = {exporters.WRITERS[name].MEDIA_TYPE.split(";")[0] for name in exporters.NAMES}
COUNT = {"type": "integer", "minimum": 0}
EXPORT_DRY_RUN_ANSWER = obj(
    {
        "result": {"const": "success"},
        "format": {"enum": list(exporters.NAMES)},
        "dry_run": {"const": True},
        "categories": COUNT,
        "items": COUNT,
        "collections": COUNT,
        "warnings": {
            "type": "array",
            "items": obj(
                {"item": {"type": "integer"}, "name": TEXT, "reason": TEXT},
                required=("item", "name", "reason"),
                extra=False,
            ),
            "description": "One per change: the item's id and name, and what the file does to it; never a "
            "value. Empty for oppmini-json and bitwarden-json.",
        },
    },
    required=("result", "format", "dry_run", "categories", "items", "warnings"),
    extra=False,
)


def import_operation():
    result = operation(
        "Import a password manager's export file (extension): every entry as an item, all or none; folders "
        "become categories (created when none of that exact name exists). 400 `Unknown import format!`, "
        "`Unable to read the import file!` (saying where), `Encrypted exports are not supported!`.",
        IMPORT_ANSWER,
        {403, 404} | WITH_PHRASE | WITH_BODY,  # 403 and 404: collection_id (a read-only role, no member)
        request=IMPORT_BODY,
        auth=TOKEN_AND_PHRASE,
        parameters=IMPORT_PARAMETERS,
        tag="import and export",
    )
    result["responses"]["413"] = error_response("The file is larger than config `max_import_bytes`.")
    return result


def export_operation():
    result = operation(
        "The caller's personal vault as a file to save (extension), NOT encrypted: every password in the clear. "
        "Another format: 400 `Unknown export format!`.",
        {"type": "string", "format": "binary"},
        WITH_PHRASE,
        auth=TOKEN_AND_PHRASE,
        tag="import and export",
        parameters=[
            {
                "name": "format",
                "in": "query",
                "required": False,
                "schema": {"enum": list(exporters.NAMES), "default": exporters.DEFAULT},
            },
            {
                "name": "include_collections",
                "in": "query",
                "required": False,
                "schema": {"enum": ["true", "false"], "default": "false"},
                "description": "true: the items of every shared collection the caller belongs to as well, "
                "each naming its collection.",
            },
            {
                "name": "include_attachments",
                "in": "query",
                "required": False,
                "schema": {"enum": ["true", "false"], "default": "false"},
                "description": "true (oppmini-json only, else 400): each item's files as well, as "
                '"attachments": [{"name", "content_type", "data" (base64)}]; streamed, every file checked '
                "first (a damaged one: 500 naming it, before any byte).",
            },
            {
                "name": "dry_run",
                "in": "query",
                "required": False,
                "schema": {"enum": ["true", "false"], "default": "false"},
                "description": "true: no file, but JSON naming the items the format would change (a "
                "bitwarden-csv cannot hold a URL with a comma, a custom field with a line break...); not "
                "logged.",
            },
        ],
    )
    result["responses"]["200"] = {
        "description": "The file, as an attachment named oppmini-export-YYYYMMDD.json or .csv; with "
        "dry_run=true, the dry run's answer instead.",
        "headers": {"Content-Disposition": {"schema": {"type": "string", "pattern": "^attachment; filename="}}},
        # JSON formats are one object (oppmini-json or Bitwarden's), CSV is text; a dry run answers JSON.
        "content": {
            media: {
                "schema": {"anyOf": [EXPORT_DRY_RUN_ANSWER, {"type": "object"}]}
                if media == JSON
                else {"type": "string"}
            }
            for media in sorted(EXPORT_MEDIA)
        },
    }
    return result
