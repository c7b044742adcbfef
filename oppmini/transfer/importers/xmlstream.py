"""An XML import file fed to a reader's start and end calls, within bounds that keep one file from holding a worker.

Expat (pyexpat) parses, with a handler that refuses a DOCTYPE as soon as it
starts: a KeePass file never has one, and without a DTD there is no entity to
expand (billion laughs) and no external entity to fetch (a file read). This
is the check defusedxml made when ElementTree's iterparse read these files;
iterparse built an element per tag at about 5 µs a tag, where the reader's
own calls cost about 2 µs.

The file's bytes are fed a slice at a time. Expat before 2.6 (Debian 12
has 2.5) re-reads a token that a slice leaves unfinished from its start at
every later slice, so one tag, comment or processing instruction of 20 MB cost
half a minute and buffered the whole token: no token may stay unfinished
past MAX_TOKEN_BYTES. Expat keeps every name it meets for the whole parse,
and an open element for each level: names, attributes per element, depth
and the count of tags are bounded too. A KeePass export stays far below
each bound.
"""

import pyexpat

from .entry import unreadable

SLICE_BYTES = 16 * 1024
MAX_TOKEN_BYTES = 64 * 1024  # a KeePass tag is tens of bytes; its long values are text, which is not one token
MAX_ATTRIBUTES = 64  # per element; KeePass writes at most two
MAX_NAMES = 1_000  # different element and attribute names; KeePass uses about a hundred
MAX_DEPTH = 100_000  # elements open at once; KeePass nests groups a few levels deep
MAX_TAGS = 2_000_000  # "<" in the file: ~20 bytes apart in a KeePass export, so ~1 million at 20 MiB
NOT_KEEPASS = "which no KeePass export has"


def parse(source, reader):
    """Call reader.start(name, attributes) and reader.end(name, text) for each element of `source`'s XML.

    `text` is the character data directly inside the element when its name
    is in `reader.text_of`, else "". A malformed file, or one past a bound,
    is refused (ImportRefused) naming the line.
    """
    # Counted in the text, which refuses a file that is not UTF-8 naming the line, as for every format.
    if source.text.count("<") > MAX_TAGS:
        raise unreadable("", f"the file holds more than {MAX_TAGS} XML tags, {NOT_KEEPASS}")
    # The encoding is set, not read from the declaration: the text is UTF-8 (perhaps declared as
    # one Python lacks, or as Latin-1), and expat skips a UTF-8 BOM.
    expat = pyexpat.ParserCreate("utf-8")
    _Handlers(expat, reader)
    data, fed = memoryview(source.raw), 0
    try:
        while fed < len(data):
            expat.Parse(data[fed : fed + SLICE_BYTES], False)
            fed = min(fed + SLICE_BYTES, len(data))
            # CurrentByteIndex is where the token the slice left unfinished starts.
            if fed - max(expat.CurrentByteIndex, 0) > MAX_TOKEN_BYTES:
                raise _beyond(
                    expat, f"an XML tag, comment or processing instruction longer than {MAX_TOKEN_BYTES} bytes"
                )
        expat.Parse(b"", True)
    except pyexpat.ExpatError as error:
        raise unreadable(f"line {error.lineno} column {error.offset}", "not well-formed XML") from None


def _beyond(expat, what):
    return unreadable(f"line {expat.CurrentLineNumber}", f"{what}, {NOT_KEEPASS}")


class _Handlers:
    """Expat's callbacks: the bounds checked, the text gathered, the reader called."""

    def __init__(self, expat, reader):
        self.expat, self.reader = expat, reader
        self.names, self.depth = set(), 0
        self.text, self.gather = [], False  # the text of an element named in reader.text_of, while open
        expat.buffer_text = True  # one call per run of text, not per line
        expat.ordered_attributes = True
        expat.StartDoctypeDeclHandler = self.doctype
        expat.EntityDeclHandler = self.doctype
        expat.StartElementHandler = self.start
        expat.EndElementHandler = self.end
        expat.CharacterDataHandler = self.data

    def doctype(self, *_):
        raise unreadable("", "the XML declares a DTD or entities, which a KeePass export never does")

    def start(self, name, attributes):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _beyond(self.expat, f"XML nested more than {MAX_DEPTH} elements deep")
        if name not in self.names:
            self._new_name(name)
        if attributes:
            if len(attributes) > 2 * MAX_ATTRIBUTES:
                raise _beyond(self.expat, f"an XML element with more than {MAX_ATTRIBUTES} attributes")
            for attribute in attributes[::2]:
                if attribute not in self.names:
                    self._new_name(attribute)
            attributes = dict(zip(attributes[::2], attributes[1::2], strict=True))
        self.text.clear()
        self.gather = name in self.reader.text_of
        self.reader.start(name, attributes or {})

    def _new_name(self, name):
        if len(self.names) >= MAX_NAMES:
            raise _beyond(self.expat, f"more than {MAX_NAMES} different XML names")
        self.names.add(name)

    def data(self, text):
        if self.gather:
            self.text.append(text)

    def end(self, name):
        self.depth -= 1
        text = "".join(self.text) if self.gather else ""
        self.text.clear()
        self.gather = False
        self.reader.end(name, text)
