"""The sharing routes (extensions §3): collections and their members."""

from .parts import (INTEGER, NAME, TEXT, TOKEN, TOKEN_AND_PHRASE, WITH_BODY, WITH_PHRASE, WITH_TOKEN, array_of, body,
                    obj, operation, ref, success)

COLLECTION_IN_PATH = [{"name": "collection_id", "in": "path", "required": True, "schema": TEXT,
                       "description": "The collection's id."}]

SHARING_PATHS = {
    "/collections": {
        "get": operation(
            "The caller's collections with their members (extension).",
            success(collections=array_of("Collection")),
            WITH_PHRASE,
            auth=TOKEN_AND_PHRASE,
            tag="sharing",
        ),
        "put": operation(
            "Create collections, the caller their manager (extension).",
            success(collections=array_of("Collection")),
            WITH_PHRASE | WITH_BODY,
            request=body({"names": {"type": "array", "items": {**NAME, "maxLength": 255}}}, ("names",)),
            auth=TOKEN_AND_PHRASE,
            tag="sharing",
        ),
        "post": operation(
            "Rename collections (role manage); all or none (extension).",
            success(collections=array_of("CollectionSummary")),
            {403, 404} | WITH_PHRASE | WITH_BODY,
            request=body({"collections": {"type": "array", "items": obj(
                {"id": INTEGER, "name": {**NAME, "maxLength": 255}}, ("id", "name"))}}, ("collections",)),
            auth=TOKEN_AND_PHRASE,
            tag="sharing",
        ),
        "delete": operation(
            "Delete collections and every item in them (role manage); all or none (extension).",
            ref("Success"),
            {403, 404} | WITH_TOKEN | WITH_BODY,
            request=body({"ids": {"type": "array", "items": {}}}, ("ids",)),
            auth=TOKEN,
            tag="sharing",
        ),
    },
    "/collections/{collection_id}/members": {
        "put": operation(
            "Add members (their key copy sealed to their public key: they may be offline) or change roles "
            "(role manage) (extension). 400 `Unknown user!`, `User has not unlocked a vault since sharing was "
            "enabled!`, `A collection needs a manager!`.",
            success(collection=ref("Collection")),
            {403, 404} | WITH_PHRASE | WITH_BODY,
            request=body({"members": {"type": "array", "items": ref("Member")}}, ("members",)),
            auth=TOKEN_AND_PHRASE,
            parameters=COLLECTION_IN_PATH,
            tag="sharing",
        ),
        "delete": operation(
            "Remove members (role manage; anyone may remove themself) and rotate the collection key: every item, "
            "history entry and the name re-sealed, so the passphrase is needed (extension). `collection` is null "
            "when the caller left. 400 `Unknown user!`, `A collection needs a manager!`.",
            success(collection={"oneOf": [ref("Collection"), {"type": "null"}]}),
            {403, 404} | WITH_PHRASE | WITH_BODY,
            request=body({"usernames": {"type": "array", "items": TEXT}}, ("usernames",)),
            auth=TOKEN_AND_PHRASE,
            parameters=COLLECTION_IN_PATH,
            tag="sharing",
        ),
    },
}
