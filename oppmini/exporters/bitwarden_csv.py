"""Bitwarden's CSV export: one login a row, custom fields as "name: value" lines of one column.

The CSV has no place for a hidden flag: custom fields arrive back as plain
ones. The `account` field goes to a custom field "Account". With shared
collections, a last column `collections` names an item's, as the column of
that name in an organisation's export.
"""

import csv
import io

from .bitwarden_json import ACCOUNT_FIELD

FORMAT = "bitwarden-csv"
EXTENSION, MEDIA_TYPE = "csv", "text/csv; charset=utf-8"
COLUMNS = ("folder", "favorite", "type", "name", "notes", "fields", "reprompt", "login_uri", "login_username",
           "login_password", "login_totp")


def write(categories, items, collections=None):
    names = {category["id"]: category["name"] for category in categories}
    shared = None if collections is None else {collection["id"]: collection["name"] for collection in collections}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS if shared is None else (*COLUMNS, "collections"))
    for item in items:
        fields = ([(ACCOUNT_FIELD, item["account"])] if item["account"] else []) + \
                 [(one["name"], one["value"]) for one in item["fields"]]
        row = (names.get(item["category_id"], ""), "1" if item["favorite"] else "", "login", item["name"],
               item["blob"], "\n".join(f"{name}: {value}" for name, value in fields), "0", item["url"],
               item["username"], item["password"], item["totp"])
        writer.writerow(row if shared is None else (*row, shared.get(item.get("collection_id"), "")))
    return out.getvalue().encode("utf-8")
