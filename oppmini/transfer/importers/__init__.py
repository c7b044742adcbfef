"""Readers of password-manager exports (extensions.md §2): one module per source family.

Each module offers, per format, two verbs taking a `Source` (the file's bytes
with the views they share): `recognise(source) -> bool`, from the content
alone (header names, JSON shape, XML root, the 1PUX zip), and
`read(source) -> Reading`: the entries as neutral `Entry` values, the count of
entries of kinds that do not fit an item (skipped), and warnings by entry
position, never by value. Nothing here writes items: the import route maps a
Reading onto categories and items, checking item limits and duplicates.

Every failure is an `ImportRefused` (a 400 with one of §2's error strings,
saying where reading stopped); an over-budget file is a 413.
"""

from . import bitwarden, browsers, dashlane, keepass, lastpass, native, onepassword, tables
from .entry import Entry, Format, Reading, unknown_format
from .source import DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES, Source

# Every format, in the order detection tries them. Recognisers are exclusive on
# real exports (tests hold them to it); the order still matters twice: KeePass
# database bytes (keepass-xml) and a zip (1PUX) are claimed before a text
# format's recogniser decodes the file, and headerless legacy Dashlane,
# recognised by shape alone, is tried after all of these.
FORMATS = (
    *keepass.FORMATS,
    *onepassword.FORMATS,
    *native.FORMATS,
    *bitwarden.FORMATS,
    *lastpass.FORMATS,
    *browsers.FORMATS,
    *dashlane.FORMATS,
)
BY_NAME = {each.name: each for each in FORMATS}
NAMES = tuple(sorted(BY_NAME))
AUTO = "auto"

__all__ = ["Entry", "Format", "Reading", "Source", "FORMATS", "NAMES", "AUTO", "detect", "read"]


def detect(source):
    """The name of the format of `source` (a Source), from its content; refused when none fits."""
    for each in (*FORMATS, dashlane.LEGACY_FORMAT):
        if each.recognise(source):
            return each.name
    if source.header:
        tables.refuse_other_separators(source.text)
    raise unknown_format(
        "The file's content matches none of the formats oppmini reads: "
        f"{', '.join(NAMES)}. Name one with format=... if it is one of them."
    )


def read(data, format=AUTO, max_bytes=DEFAULT_MAX_BYTES, max_entries=DEFAULT_MAX_ENTRIES):
    """Read an export file's bytes as `format` (or the detected one): a Reading, or ImportRefused."""
    if format != AUTO and format not in BY_NAME:
        raise unknown_format(f"format must be {AUTO} or one of: {', '.join(NAMES)}.")
    source = Source(data, max_bytes, max_entries)
    return BY_NAME[detect(source) if format == AUTO else format].read(source)
