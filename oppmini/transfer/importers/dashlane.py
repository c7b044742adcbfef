"""Dashlane CSV exports: today's credentials.csv with a header, and the legacy headerless one.

`username2` and `username3` (alternative logins) go to custom fields of those
names; `category` is the folder. The legacy file has no header: its fields go
by position (title, url, login, password, note), and a record may stop short.
"""

import itertools

from . import tables
from .entry import Entry, Format

COLUMNS = ("username", "title", "password", "note", "url")
LEGACY = ("title", "url", "username", "password", "note")
# Words a header row would hold: a headerless file's first record is data, not these.
HEADER_WORDS = {
    "name",
    "title",
    "url",
    "website",
    "username",
    "login",
    "email",
    "password",
    "note",
    "notes",
    "folder",
    "group",
    "category",
    "type",
    "totp",
}
SAMPLED = 50  # records looked at to recognise the legacy layout; reading checks the rest


def recognise(source):
    return tables.headed(source, COLUMNS)


def read(source):
    reading = source.reading("dashlane-csv")
    for position, row in tables.rows(source, COLUMNS, "Dashlane CSV"):
        entry = Entry(
            position,
            name=row["title"],
            url=row["url"],
            username=row["username"],
            password=row["password"],
            notes=row["note"],
            folder=row["category"],
            totp=row.first("otpurl", "otpsecret"),
        )
        for alternative in ("username2", "username3"):
            if row[alternative]:
                entry.add_field(alternative, row[alternative])
        reading.add(entry)
    return reading


def recognise_legacy(source):
    """Every field quoted, no header words in the first record, at most 7 fields per record, some 4 or more."""
    if source.lead != '"' or len(HEADER_WORDS & set(source.header)) >= 2:
        return False
    sample = [fields for _, fields in itertools.islice(tables.records(source.text), SAMPLED)]
    return all(len(fields) <= 7 for fields in sample) and any(len(fields) >= 4 for fields in sample)


def read_legacy(source):
    reading = source.reading("dashlane-csv")
    for position, (_, fields) in enumerate(tables.records(source.text), start=1):
        values = dict(zip(LEGACY, fields, strict=False))  # a row may stop short of the last columns
        reading.add(
            Entry(
                position,
                name=values.get("title", ""),
                url=values.get("url", ""),
                username=values.get("username", ""),
                password=values.get("password", ""),
                notes=values.get("note", ""),
            )
        )
    return reading


def read_either(source):
    """`format=dashlane-csv` covers both layouts; a file of neither is refused by `read`, naming the columns."""
    return read_legacy(source) if recognise_legacy(source) and not recognise(source) else read(source)


# Auto-detection tries the legacy layout last of all (see __init__), as it has no header to go by.
FORMATS = (Format("dashlane-csv", recognise, read_either),)
LEGACY_FORMAT = Format("dashlane-csv", recognise_legacy, read_legacy)
