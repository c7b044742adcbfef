"""oppmini-json, the lossless export of a personal vault; its layout is described where it is read
(oppmini/transfer/importers/native.py)."""

from ...contract import jsonbytes

FORMAT, VERSION = "oppmini-json", 1
EXTENSION, MEDIA_TYPE = "json", "application/json"
TEXT_KEYS = ("name", "url", "account", "username", "password", "blob", "totp")


def write(categories, items, collections=None):
    # Items point at categories (and collections) by index: names may repeat.
    index = {category["id"]: at for at, category in enumerate(categories)}
    document = {
        "format": FORMAT,
        "version": VERSION,
        "categories": [{"name": category["name"], "sort_id": category["sort_id"]} for category in categories],
        "items": [
            {
                **{key: item[key] for key in TEXT_KEYS},
                "category": index.get(item["category_id"]),
                "sort_id": item["sort_id"],
                "fields": item["fields"],
                "favorite": item["favorite"],
                "match": item["match"],
                "type": item["type"],
                **({item["type"]: item[item["type"]]} if item["type"] in item else {}),
            }
            for item in items
        ],
    }
    for written, item in zip(document["items"], items, strict=True):
        # Only GET /v1/export?include_attachments=true fills these with the files' bytes.
        if item.get("attachments") and "data" in item["attachments"][0]:
            written["attachments"] = item["attachments"]
    if collections is not None:
        # A shared item says which collection it is in; a reader that knows no
        # collections (this version's importer) takes it as a personal item.
        shared = {collection["id"]: at for at, collection in enumerate(collections)}
        document["collections"] = [{"name": collection["name"]} for collection in collections]
        for written, item in zip(document["items"], items, strict=True):
            if item.get("collection_id") is not None:
                written["collection"] = shared[item["collection_id"]]
    # One line, as the API's answers: W11 holds an export to 1.5 x a fetchall of the same vault.
    return jsonbytes.dumps(document)


def changes(categories, items, collections=None):
    """None: the format holds every item as it is."""
    return []
