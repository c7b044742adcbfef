"""Browser password exports: Chrome (and Edge, Brave, Opera), Firefox and Safari (Apple Passwords) CSV.

Each is recognised by its exact header, so the three (and 1Password's CSV,
which shares Safari's first columns) never claim the same file. Firefox has no
title: the name is the URL's host without `www.`, as Bitwarden names it.
Firefox's `chrome://` rows are the browser's own sync credentials, not logins.
"""

from . import tables
from .entry import Entry, Format, host_name

CHROME = ("name", "url", "username", "password")
FIREFOX = ("url", "username", "password", "httprealm", "formactionorigin")
SAFARI = ("title", "url", "username", "password")


def recognise_chrome(source):
    return tables.headed(source, CHROME, allowed=CHROME + ("note",))


def read_chrome(source):
    reading = source.reading("chrome-csv")
    for position, row in tables.rows(source, CHROME, "Chrome CSV"):
        reading.add(
            Entry(
                position,
                name=row["name"],
                url=row["url"],
                username=row["username"],
                password=row["password"],
                notes=row["note"],
            )
        )
    return reading


def recognise_firefox(source):
    return tables.headed(source, FIREFOX)


def read_firefox(source):
    reading = source.reading("firefox-csv")
    for position, row in tables.rows(source, FIREFOX, "Firefox CSV"):
        url = row["url"]
        if url.startswith("chrome://"):
            reading.skip(position, "Firefox's own account credentials: not imported")
            continue
        reading.add(
            Entry(position, name=host_name(url) or url, url=url, username=row["username"], password=row["password"])
        )
    return reading


def recognise_safari(source):
    return tables.headed(source, SAFARI, allowed=SAFARI + ("notes", "otpauth"))


def read_safari(source):
    reading = source.reading("safari-csv")
    for position, row in tables.rows(source, SAFARI, "Safari CSV"):
        reading.add(
            Entry(
                position,
                name=row["title"],
                url=row["url"],
                username=row["username"],
                password=row["password"],
                notes=row["notes"],
                totp=row["otpauth"],
            )
        )
    return reading


FORMATS = (
    Format("chrome-csv", recognise_chrome, read_chrome),
    Format("firefox-csv", recognise_firefox, read_firefox),
    Format("safari-csv", recognise_safari, read_safari),
)
