"""The sharing routes (extensions §3): collections, their members, and invitations."""

from .parts import (
    INTEGER,
    NAME,
    ROLE,
    TEXT,
    TOKEN,
    TOKEN_AND_PHRASE,
    WITH_BODY,
    WITH_PHRASE,
    WITH_TOKEN,
    array_of,
    body,
    obj,
    operation,
    ref,
    success,
)

COLLECTION_IN_PATH = [
    {"name": "collection_id", "in": "path", "required": True, "schema": TEXT, "description": "The collection's id."}
]

# The collection's name is left out until accepted: the inviter chose it, and may have chosen it to mislead.
INVITATION = obj(
    {"id": INTEGER, "collection": INTEGER, "invited_by": {"type": ["string", "null"]}, "role": ROLE, "at": INTEGER},
    required=("id", "collection", "invited_by", "role", "at"),
    extra=False,
)
INVITATIONS = {"type": "array", "items": INVITATION}

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
            request=body(
                {
                    "collections": {
                        "type": "array",
                        "items": obj({"id": INTEGER, "name": {**NAME, "maxLength": 255}}, ("id", "name")),
                    }
                },
                ("collections",),
            ),
            auth=TOKEN_AND_PHRASE,
            tag="sharing",
        ),
        "delete": operation(
            "Delete collections (role manage): their live items move, re-sealed, into the caller's trash (so the "
            "passphrase is needed), and every member is told; all or none (extension). `trashed` counts the items "
            "moved.",
            success(trashed=INTEGER),
            {403, 404} | WITH_PHRASE | WITH_BODY,
            request=body({"ids": {"type": "array", "items": {}}}, ("ids",)),
            auth=TOKEN_AND_PHRASE,
            tag="sharing",
        ),
    },
    "/collections/{collection_id}/members": {
        "put": operation(
            "Invite members (their key copy sealed to their public key: they may be offline; a member only once "
            "they accept) or change roles (role manage) (extension). A name that names no user is invited like "
            "any other unless config `invite_unknown_names` is false; each row counts against the address's guess "
            "budget (429). 400 `Too many collections!`, `Unknown user!`, `User has not unlocked a vault since "
            "sharing was enabled!`, `A collection needs a manager!`.",
            success(collection=ref("Collection")),
            {403, 404, 429} | WITH_PHRASE | WITH_BODY,
            request=body({"members": {"type": "array", "items": ref("Member")}}, ("members",)),
            auth=TOKEN_AND_PHRASE,
            parameters=COLLECTION_IN_PATH,
            tag="sharing",
        ),
        "delete": operation(
            "Remove members (role manage; anyone may remove themself) and rotate the collection key: every item, "
            "history entry and the name re-sealed, so the passphrase is needed; or withdraw pending invitations "
            "(extension). `collection` is null when the caller left. 400 `Unknown user!`, `A collection needs a "
            "manager!`.",
            success(collection={"oneOf": [ref("Collection"), {"type": "null"}]}),
            {403, 404} | WITH_PHRASE | WITH_BODY,
            request=body({"usernames": {"type": "array", "items": TEXT}}, ("usernames",)),
            auth=TOKEN_AND_PHRASE,
            parameters=COLLECTION_IN_PATH,
            tag="sharing",
        ),
    },
    "/invitations": {
        "get": operation(
            "The caller's pending invitations to collections, without the collections' names (extension).",
            success(invitations=INVITATIONS),
            WITH_TOKEN,
            auth=TOKEN,
            tag="sharing",
        ),
        "post": operation(
            "Accept (a member from now) or decline (gone) the caller's invitations; all or none; 404 names an id "
            "that is not the caller's (extension). The answer lists those still pending.",
            success(invitations=INVITATIONS),
            {404} | WITH_TOKEN | WITH_BODY,
            request=body(
                {"accept": {"type": "array", "items": INTEGER}, "decline": {"type": "array", "items": INTEGER}}
            ),
            auth=TOKEN,
            tag="sharing",
        ),
    },
}
