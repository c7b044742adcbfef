"""Bitwarden (and Vaultwarden) exports: the unencrypted JSON and the CSV.

In the JSON, logins, secure notes, cards, identities and SSH keys become
entries of those item types (Bitwarden's own names mapped in tables below);
the CSV holds only logins and notes. Folder names already encode nesting (`Emails/WS`); an
organisation export names collections instead, and the first one stands for
the folder.
"""

from . import tables
from .entry import Entry, Format, encrypted, text, unreadable

LOGIN, NOTE, CARD, IDENTITY, SSH_KEY = 1, 2, 3, 4, 5
# Bitwarden's type number: (our item type, the key holding its fields, our field name by Bitwarden's).
TYPED = {
    CARD: (
        "card",
        "card",
        {
            "cardholderName": "cardholder",
            "brand": "brand",
            "number": "number",
            "expMonth": "exp_month",
            "expYear": "exp_year",
            "code": "code",
        },
    ),
    IDENTITY: (
        "identity",
        "identity",
        {
            "title": "title",
            "firstName": "first_name",
            "middleName": "middle_name",
            "lastName": "last_name",
            "company": "company",
            "address1": "address1",
            "address2": "address2",
            "address3": "address3",
            "city": "city",
            "state": "state",
            "postalCode": "postcode",
            "country": "country",
            "phone": "phone",
            "email": "email",
            "ssn": "ssn",
            "passportNumber": "passport_number",
            "licenseNumber": "license_number",
        },
    ),
    SSH_KEY: ("ssh_key", "sshKey", {"privateKey": "private_key", "publicKey": "public_key"}),
}
HIDDEN_FIELD, LINKED_FIELD = 1, 3
HOW_TO_EXPORT = (
    "Bitwarden wrote this export encrypted. Export again with Tools > Export vault, "
    'file format ".json" (not ".json (Encrypted)"), then import that file and delete it.'
)


def recognise_json(source):
    document = source.json
    if not isinstance(document, dict) or "format" in document:  # "format" marks oppmini's own export
        return False
    return isinstance(document.get("items"), list) or document.get("encrypted") is True


def read_json(source):
    document = source.json
    if not isinstance(document, dict):
        raise unreadable("", "not a Bitwarden JSON export (no object at the top)")
    if document.get("encrypted") is True:
        raise encrypted(HOW_TO_EXPORT)
    items = document.get("items")
    if not isinstance(items, list):
        raise unreadable("", "not a Bitwarden JSON export (no list of items)")
    folders = _names(document.get("folders")) | _names(document.get("collections"))
    reading = source.reading("bitwarden-json")
    for position, item in enumerate(items, start=1):
        where = f"entry {position}"
        if not isinstance(item, dict):
            raise unreadable(where, "not an object")
        kind = item.get("type") if type(item.get("type")) is int else None  # not true, not a list
        if kind not in (LOGIN, NOTE, *TYPED):
            reading.skip(position, "an unknown kind of item: not imported")
            continue
        entry = Entry(
            position,
            name=text(item.get("name"), where, "name"),
            notes=text(item.get("notes"), where, "notes"),
            favorite=item.get("favorite") is True,
            type="note" if kind == NOTE else "login",
        )
        entry.folder = folders.get(_key(item.get("folderId"))) or _first_collection(item, folders)
        _read_login(entry, item.get("login") if kind == LOGIN else None, where)
        if kind in TYPED:
            _read_typed(entry, item, *TYPED[kind], where)
        _read_fields(entry, item.get("fields"), where)
        reading.add(entry)
    return reading


def _names(listed):
    """{id: name} of Bitwarden's folders or collections; anything malformed counts as none."""
    if not isinstance(listed, list):
        return {}
    return {
        one.get("id"): one["name"]
        for one in listed
        if isinstance(one, dict) and isinstance(one.get("name"), str) and isinstance(one.get("id"), str)
    }


def _key(value):
    return value if isinstance(value, str) else None


def _first_collection(item, folders):
    ids = item.get("collectionIds")
    for one in ids if isinstance(ids, list) else ():
        if isinstance(one, str) and one in folders:
            return folders[one]
    return ""


def _read_login(entry, login, where):
    if login is None:
        return
    if not isinstance(login, dict):
        raise unreadable(where, "'login' is not an object")
    entry.username = text(login.get("username"), where, "username")
    entry.password = text(login.get("password"), where, "password")
    entry.totp = text(login.get("totp"), where, "totp")
    uris = login.get("uris") or []
    if not isinstance(uris, list) or not all(isinstance(uri, dict) for uri in uris):
        raise unreadable(where, "'uris' is not a list of objects")
    entry.add_urls([text(uri.get("uri"), where, "uri") for uri in uris])


def _read_typed(entry, item, item_type, key, names, where):
    """A card's, an identity's or an SSH key's own fields; an identity's username is the item's."""
    typed = item.get(key) or {}
    if not isinstance(typed, dict):
        raise unreadable(where, f"'{key}' is not an object")
    entry.type = item_type
    entry.typed = {ours: text(typed.get(theirs), where, theirs) for theirs, ours in names.items()}
    if item_type == "identity":
        entry.username = text(typed.get("username"), where, "username")


def _read_fields(entry, fields, where):
    if not isinstance(fields, list | None):
        raise unreadable(where, "'fields' is not a list")
    for one in fields or ():
        if not isinstance(one, dict):
            raise unreadable(where, "a custom field is not an object")
        if one.get("type") == LINKED_FIELD:  # a pointer to the username or password: no value of its own
            continue
        entry.add_field(
            text(one.get("name"), where, "name"),
            text(one.get("value"), where, "value"),
            one.get("type") == HIDDEN_FIELD,
        )


CSV_COLUMNS = ("type", "name", "login_uri", "login_username", "login_password")


def recognise_csv(source):
    return tables.headed(source, CSV_COLUMNS)


def read_csv(source):
    reading = source.reading("bitwarden-csv")
    for position, row in tables.rows(source, CSV_COLUMNS, "Bitwarden CSV"):
        if row["type"] not in ("login", "note"):
            reading.skip(position, "not a login or a secure note: not imported")
            continue
        entry = Entry(
            position,
            name=row["name"],
            notes=row["notes"],
            folder=row.first("folder", "collections"),
            favorite=row["favorite"] == "1",
            totp=row["login_totp"],
            type=row["type"],
        )
        if row["type"] == "login":
            entry.username, entry.password = row["login_username"], row["login_password"]
            # Bitwarden joins a login's URIs with commas into one column.
            entry.add_urls(row["login_uri"].split(","))
        for line in row["fields"].split("\n") if row["fields"] else ():
            name, _, value = line.partition(": ")
            entry.add_field(name, value)
        reading.add(entry)
    return reading


FORMATS = (Format("bitwarden-json", recognise_json, read_json), Format("bitwarden-csv", recognise_csv, read_csv))
