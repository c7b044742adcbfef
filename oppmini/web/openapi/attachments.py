"""The attachment routes (extensions.md section 8): a file in, a file out, a file deleted."""

from .parts import (
    INTEGER,
    ITEM_IN_PATH,
    TEXT,
    TOKEN,
    TOKEN_AND_PHRASE,
    WITH_PHRASE,
    WITH_TOKEN,
    error_response,
    obj,
    operation,
    success,
)

ATTACHMENT_IN_PATH = [
    *ITEM_IN_PATH,
    {"name": "attachment_id", "in": "path", "required": True, "schema": TEXT, "description": "The file's id."},
]
NAME_PARAMETER = {
    "name": "name",
    "in": "query",
    "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": "The file's name, kept with it (sealed), and sent back in Content-Disposition.",
}
# The file itself, whatever its Content-Type, which is kept as given.
FILE_BODY = {"required": True, "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}
ATTACHMENT = obj(
    {
        "id": INTEGER,
        "name": TEXT,
        "size": {"type": "integer", "minimum": 0},
        "content_type": TEXT,
        "created_at": {"type": "integer", "description": "Unix seconds."},
    },
    required=("id", "name", "size", "content_type", "created_at"),
    extra=False,
)


def upload_operation():
    result = operation(
        "Attach a file to the item (extension): the body is the file, streamed and sealed in chunks of 64 KiB "
        "under a key of its own. 400 `Quota exceeded!` past config attachment_quota_bytes (the description "
        "names what the caller's files take and the quota); `write` needed on a collection's item.",
        success(attachment=ATTACHMENT),
        {403, 404} | WITH_PHRASE,
        request=FILE_BODY,
        auth=TOKEN_AND_PHRASE,
        parameters=[*ITEM_IN_PATH, NAME_PARAMETER],
    )
    result["responses"]["411"] = error_response("No Content-Length and no end to the body.")
    result["responses"]["413"] = error_response("The file is larger than config `max_attachment_bytes`.")
    return result


def download_operation():
    result = operation(
        "The file as it was uploaded (extension), streamed. Every chunk is checked before the first is sent: "
        "a damaged file is a 500 naming the attachment.",
        {"type": "string", "format": "binary"},
        {404} | WITH_PHRASE,
        auth=TOKEN_AND_PHRASE,
        parameters=ATTACHMENT_IN_PATH,
    )
    result["responses"]["200"] = {
        "description": "The file, its Content-Type as uploaded, named in Content-Disposition (RFC 6266).",
        "headers": {"Content-Disposition": {"schema": {"type": "string", "pattern": "^attachment; filename="}}},
        "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
    }
    return result


BYTES = {"type": "integer", "minimum": 0}

ATTACHMENT_PATHS = {
    "/attachments": {
        "get": operation(
            "What the caller's files take of their quota (extension): `used` (their personal items' files and "
            "what they uploaded to collections, in the trash too), `quota` (config attachment_quota_bytes) and "
            "`max_file` (config max_attachment_bytes), in bytes.",
            success(used=BYTES, quota=BYTES, max_file=BYTES),
            WITH_TOKEN,
            auth=TOKEN,
        )
    },
    "/items/{item_id}/attachments": {"post": upload_operation()},
    "/items/{item_id}/attachments/{attachment_id}": {
        "get": download_operation(),
        "delete": operation(
            "Delete the file for good (extension); the item stays. `write` needed on a collection's item.",
            success(),
            {403, 404} | WITH_TOKEN,
            auth=TOKEN,
            parameters=ATTACHMENT_IN_PATH,
        ),
    },
}
