"""CSV exports through the standard csv module: records with their line, columns found by header name."""

import csv
import re

from .entry import unreadable

LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A line of a million commas is a list of a million strings once split: lines
# are refused past this many before the csv module splits them. Exports have
# tens of columns; only a note with a line of 10,000 commas would reach it.
MAX_COMMAS = 10_000


def records(text):
    """(first line, fields) per CSV record, blank and all-empty records left out.

    Line breaks become `\\n` before parsing, so CRLF files and CRLF inside
    quoted values read as the other exporters' LF.
    """
    reader = csv.reader(_lines(text))
    line = 1
    try:
        for fields in reader:
            if any(fields):
                yield line, fields
            line = reader.line_num + 1
    except csv.Error as error:
        # csv's messages name the rule broken ("field larger than field limit"), never the text.
        raise unreadable(f"line {line}", f"not valid CSV ({error})") from None


def _lines(text):
    """Each line of `text` ending in `\\n` (whatever break it had), refused past MAX_COMMAS commas."""
    start = number = 0
    for number, found in enumerate(LINE_BREAK.finditer(text), start=1):
        yield _bounded(text[start : found.start()] + "\n", number)
        start = found.end()
    if start < len(text):
        yield _bounded(text[start:], number + 1)


def _bounded(line, number):
    if len(line) > MAX_COMMAS and line.count(",") > MAX_COMMAS:
        raise unreadable(
            f"line {number}",
            f"more than {MAX_COMMAS} commas on one line; no export this server reads has that many columns",
        )
    return line


def header(text):
    """The first record's column names, stripped and lower-cased ([] for an empty file)."""
    for _, fields in records(text):
        return [name.strip().lower() for name in fields]
    return []


def refuse_other_separators(text):
    """A spreadsheet's `;`- or tab-separated "CSV" is refused by name rather than read into one column."""
    first = text.split("\n", 1)[0]
    for mark, name in ((";", "semicolons"), ("\t", "tabs")):
        if mark in first and "," not in first:
            raise unreadable(
                "line 1",
                f"the columns are separated by {name}, not commas (as some spreadsheets "
                "save CSV); export again from the password manager, or save as CSV with commas",
            )


class Row:
    """One record, read by column name; a column the record lacks (a ragged row) reads as ""."""

    __slots__ = ("line", "fields", "index")

    def __init__(self, line, fields, index):
        self.line, self.fields, self.index = line, fields, index

    def __getitem__(self, name):
        at = self.index.get(name)
        return self.fields[at] if at is not None and at < len(self.fields) else ""

    def first(self, *names):
        """The value of the first of these columns the header has (exporters renamed some over time)."""
        for name in names:
            if name in self.index:
                return self[name]
        return ""


def rows(source, required, label):
    """(position, Row) per record after the header; a header without the `required` columns is refused."""
    names = source.header
    missing = [name for name in required if name not in names]
    if missing:
        refuse_other_separators(source.text)
        raise unreadable("line 1", f"no column {', '.join(missing)}: is this a {label} export?")
    index = {}
    for at, name in enumerate(names):
        index.setdefault(name, at)
    data = records(source.text)
    next(data, None)
    for position, (line, fields) in enumerate(data, start=1):
        yield position, Row(line, fields, index)


def headed(source, required, allowed=None):
    """Whether the header has every `required` column and, when `allowed` is given, no other."""
    names = set(source.header)
    return set(required) <= names and (allowed is None or names <= set(allowed))
