"""Bitwarden's unencrypted JSON export, which Bitwarden, Vaultwarden and KeePassXC read.

Categories become folders, items logins, shared collections Bitwarden's
collections (as in an organisation's export: `collectionIds` on the item). What Bitwarden has no place for
goes to custom fields: the `account` field as "Account". Empty texts are
written as null, as Bitwarden does.
"""

import secrets

from ...contract import jsonbytes

FORMAT = "bitwarden-json"
EXTENSION, MEDIA_TYPE = "json", "application/json"
LOGIN, TEXT_FIELD, HIDDEN_FIELD = 1, 0, 1
ACCOUNT_FIELD = "Account"


# A random UUID's version (4) and variant (RFC 4122) bits, set on every byte that holds them.
_VERSION_4 = bytes((byte & 0x0F) | 0x40 for byte in range(256))
_VARIANT = bytes((byte & 0x3F) | 0x80 for byte in range(256))


def write(categories, items, collections=None):
    # Fresh ids each export, as Bitwarden's own: folders of equal names stay apart.
    ids = random_uuids(len(categories) + len(items))
    # The folders take the first ids; the items', after them, stay out of this zip.
    folder_ids = {category["id"]: folder_id for category, folder_id in zip(categories, ids, strict=False)}
    document = {
        "encrypted": False,
        "folders": [{"id": folder_ids[category["id"]], "name": category["name"]} for category in categories],
        "items": [
            _item(item, item_id, folder_ids) for item, item_id in zip(items, ids[len(categories) :], strict=True)
        ],
    }
    if collections is not None:
        collection_ids = {
            collection["id"]: collection_id
            for collection, collection_id in zip(collections, random_uuids(len(collections)), strict=True)
        }
        document["collections"] = [
            {
                "id": collection_ids[collection["id"]],
                "organizationId": None,
                "name": collection["name"],
                "externalId": None,
            }
            for collection in collections
        ]
        for written, item in zip(document["items"], items, strict=True):
            if item.get("collection_id") is not None:
                written["collectionIds"] = [collection_ids[item["collection_id"]]]
    # One line, as the API's answers: W11 holds an export to 1.5 x a fetchall of the same vault.
    return jsonbytes.dumps(document)


def changes(categories, items, collections=None):
    """None item by item: JSON holds any text, and a hidden field stays hidden (the account's move to the
    custom field "Account" is the same for every item)."""
    return []


def random_uuids(count):
    """`count` random UUIDs as str(uuid.uuid4()) writes them, from one draw.

    uuid.uuid4() per id cost a 2,000-item export 5 ms, a fifth of its time.
    """
    drawn = bytearray(secrets.token_bytes(16 * count))
    drawn[6::16] = drawn[6::16].translate(_VERSION_4)
    drawn[8::16] = drawn[8::16].translate(_VARIANT)
    digits = drawn.hex()
    return [
        f"{digits[at : at + 8]}-{digits[at + 8 : at + 12]}-{digits[at + 12 : at + 16]}-{digits[at + 16 : at + 20]}-"
        f"{digits[at + 20 : at + 32]}"
        for at in range(0, 32 * count, 32)
    ]


def _item(item, item_id, folder_ids):
    fields = (
        [{"name": ACCOUNT_FIELD, "value": item["account"], "type": TEXT_FIELD, "linkedId": None}]
        if item["account"]
        else []
    )
    fields += [
        {
            "name": one["name"],
            "value": one["value"] or None,
            "type": HIDDEN_FIELD if one["hidden"] else TEXT_FIELD,
            "linkedId": None,
        }
        for one in item["fields"]
    ]
    return {
        "id": item_id,
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
