"""Bitwarden's unencrypted JSON export, which Bitwarden, Vaultwarden and KeePassXC read.

Categories become folders, items logins, shared collections Bitwarden's
collections (as in an organisation's export: `collectionIds` on the item). What Bitwarden has no place for
goes to custom fields: the `account` field as "Account". Empty texts are
written as null, as Bitwarden does.
"""

import json
import uuid

FORMAT = "bitwarden-json"
EXTENSION, MEDIA_TYPE = "json", "application/json"
LOGIN, TEXT_FIELD, HIDDEN_FIELD = 1, 0, 1
ACCOUNT_FIELD = "Account"


def write(categories, items, collections=None):
    # Fresh ids each export, as Bitwarden's own: folders of equal names stay apart.
    folder_ids = {category["id"]: str(uuid.uuid4()) for category in categories}
    document = {
        "encrypted": False,
        "folders": [{"id": folder_ids[category["id"]], "name": category["name"]} for category in categories],
        "items": [_item(item, folder_ids) for item in items],
    }
    if collections is not None:
        collection_ids = {collection["id"]: str(uuid.uuid4()) for collection in collections}
        document["collections"] = [{"id": collection_ids[collection["id"]], "organizationId": None,
                                    "name": collection["name"], "externalId": None} for collection in collections]
        for written, item in zip(document["items"], items):
            if item.get("collection_id") is not None:
                written["collectionIds"] = [collection_ids[item["collection_id"]]]
    # One line: Python's C encoder runs only without indent (three times faster at 2,000
    # items), and every importer reads it alike.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _item(item, folder_ids):
    fields = [{"name": ACCOUNT_FIELD, "value": item["account"], "type": TEXT_FIELD, "linkedId": None}] \
        if item["account"] else []
    fields += [{"name": one["name"], "value": one["value"] or None,
                "type": HIDDEN_FIELD if one["hidden"] else TEXT_FIELD, "linkedId": None} for one in item["fields"]]
    return {
        "id": str(uuid.uuid4()),
        "organizationId": None,
        "folderId": folder_ids.get(item["category_id"]),
        "type": LOGIN,
        "reprompt": 0,
        "name": item["name"],
        "notes": item["blob"] or None,
        "favorite": item["favorite"],
        "fields": fields,
        "login": {
            "uris": [{"match": None, "uri": item["url"]}] if item["url"] else [],
            "username": item["username"] or None,
            "password": item["password"] or None,
            "totp": item["totp"] or None,
        },
        "collectionIds": None,
    }
