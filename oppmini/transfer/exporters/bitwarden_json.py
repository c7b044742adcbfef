"""Bitwarden's unencrypted JSON export, which Bitwarden, Vaultwarden and KeePassXC read.

Categories become folders, shared collections Bitwarden's collections (as
in an organisation's export: `collectionIds` on the item). Logins and wifi
items become logins, notes secure notes, cards, identities and SSH keys
Bitwarden's own types, their fields named as the importer reads them back
(oppmini/transfer/importers/bitwarden.py). What Bitwarden has no place for
goes to custom fields: the `account` field as "Account", a wifi network's
name and security, and the login values of a type that has no login (its
URL, username, password, TOTP). Empty texts are written as null, as
Bitwarden does.
"""

import secrets

from ...contract import jsonbytes
from ..importers.bitwarden import TYPED

FORMAT = "bitwarden-json"
EXTENSION, MEDIA_TYPE = "json", "application/json"
LOGIN, NOTE, TEXT_FIELD, HIDDEN_FIELD = 1, 2, 0, 1
ACCOUNT_FIELD = "Account"
# Our item type: (Bitwarden's type number, the key of its fields, Bitwarden's field name by ours).
BITWARDEN_TYPES = {
    item_type: (number, key, {ours: theirs for theirs, ours in names.items()})
    for number, (item_type, key, names) in TYPED.items()
}
WIFI_FIELDS = {"ssid": "SSID", "security": "Security"}
# A type without a login keeps these as custom fields (name, hidden).
LOGIN_FIELDS = {
    "url": ("URL", False),
    "username": ("Username", False),
    "password": ("Password", True),
    "totp": ("TOTP", True),
}


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
    fields = _field(ACCOUNT_FIELD, item["account"], False)
    if item["type"] == "wifi":
        for ours, name in WIFI_FIELDS.items():
            fields += _field(name, item.get("wifi", {}).get(ours), False)
    typed = BITWARDEN_TYPES.get(item["type"])
    has_login = item["type"] in ("login", "wifi")
    if not has_login:
        for key, (name, hidden) in LOGIN_FIELDS.items():
            if not (key == "username" and item["type"] == "identity"):
                fields += _field(name, item[key], hidden)
    fields += [_one_field(one["name"], one["value"], one["hidden"]) for one in item["fields"]]
    written = {
        "id": item_id,
        "organizationId": None,
        "folderId": folder_ids.get(item["category_id"]),
        "type": LOGIN if has_login else NOTE if typed is None else typed[0],
        "reprompt": 0,
        "name": item["name"],
        "notes": item["blob"] or None,
        "favorite": item["favorite"],
        "fields": fields,
    }
    if has_login:
        written["login"] = {
            "uris": [{"match": None, "uri": item["url"]}] if item["url"] else [],
            "username": item["username"] or None,
            "password": item["password"] or None,
            "totp": item["totp"] or None,
        }
    elif typed is None:
        written["secureNote"] = {"type": 0}
    else:
        _, key, names = typed
        own = item.get(item["type"], {})
        written[key] = {theirs: own.get(ours) or None for ours, theirs in names.items()}
        if item["type"] == "identity":
            written[key]["username"] = item["username"] or None
        if item["type"] == "ssh_key":
            written[key]["keyFingerprint"] = own.get("fingerprint") or None
    written["collectionIds"] = None
    return written


def _field(name, value, hidden):
    """A custom field for a value Bitwarden has no place for; none when the value is empty."""
    return [_one_field(name, value, hidden)] if value else []


def _one_field(name, value, hidden):
    return {"name": name, "value": value or None, "type": HIDDEN_FIELD if hidden else TEXT_FIELD, "linkedId": None}
