"""LastPass CSV exports (`url,username,password[,totp],extra,name,grouping,fav`).

A url of `http://sn` marks a secure note: a plain one becomes an entry with
the note in notes (§2); one with a `NoteType:` first line is a card, address
or other form that does not fit an item, so it is skipped and counted. The
url `http://` is LastPass's placeholder for none. Groups nest with `\\`.
"""

from . import tables
from .entry import Entry, Format

COLUMNS = ("url", "username", "password", "extra", "name", "grouping")
NOTE_URL, NO_URL = "http://sn", "http://"


def recognise(source):
    return tables.headed(source, COLUMNS)


def read(source):
    reading = source.reading("lastpass-csv")
    for position, row in tables.rows(source, COLUMNS, "LastPass CSV"):
        url, extra = row["url"], row["extra"]
        if url == NOTE_URL and extra.startswith("NoteType:"):
            reading.skip(position, "a LastPass form note (card, address...): not imported")
            continue
        entry = Entry(
            position,
            name=row["name"],
            username=row["username"],
            password=row["password"],
            notes=extra,
            folder=row["grouping"].replace("\\", "/"),
            totp=row["totp"],
            favorite=row["fav"] == "1",
        )
        if url == NOTE_URL:
            entry.type = "note"
        elif url != NO_URL:
            entry.url = url
        reading.add(entry)
    return reading


FORMATS = (Format("lastpass-csv", recognise, read),)
