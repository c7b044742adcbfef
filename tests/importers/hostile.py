"""Files built to make a reader slow or large, each as big as an import may be: shared by the hardening and fuzz tests.

Before the readers bounded them, each held a worker for seconds or took
hundreds of MiB at 20 MB: expat fed in chunks re-reads one huge token from
its start on every chunk (quadratic), an element with millions of attributes
is a dict of millions of entries, and a CSV line of millions of columns a list
of as many strings; JSON parsed whole is an object per `{}` and a pointer per
value.
"""

from oppmini.transfer import importers

LIMIT = importers.DEFAULT_MAX_BYTES


def padded(head, unit, tail, size=LIMIT):
    """`head`, then `unit` repeated to fill `size` bytes, then `tail`."""
    return head + unit * ((size - len(head) - len(tail)) // len(unit)) + tail


def long_instruction(size=LIMIT):
    """One processing instruction filling the file: a single token of 20 MB."""
    return padded(b"<KeePassFile><?x ", b"A", b"?><Root/></KeePassFile>", size)


def many_attributes(size=LIMIT):
    """One element with an attribute of its own name for every 11 bytes of the file (nearly 2 million)."""
    head, tail = b"<KeePassFile><Root ", b"/></KeePassFile>"
    count = (size - len(head) - len(tail)) // 11
    return head + b"".join(b'a%06x="" ' % n for n in range(count)) + tail


def wide_header(size=LIMIT):
    """A CSV header of a known format's columns, then millions more."""
    return padded(b"name,url,username,password", b",x", b"\n", size)


def many_objects(size=LIMIT):
    """A Bitwarden JSON export of 999,000 empty objects, then white space: just under a million containers."""
    head, tail = b'{"encrypted": false, "items": [', b"{}]}"
    body = b"{}," * 999_000
    return head + body + b" " * (size - len(head) - len(body) - len(tail)) + tail


def many_numbers(size=LIMIT):
    """A Bitwarden JSON export whose items are 10 million zeros: no container to count."""
    return padded(b'{"encrypted": false, "items": [', b"0,", b"0]}", size)


# (id, builder, the format it claims to be, what the refusal names)
HOSTILE = (
    ("long-instruction.xml", long_instruction, "keepass-xml", "longer than 65536 bytes"),
    ("many-attributes.xml", many_attributes, "keepass-xml", "longer than 65536 bytes"),
    ("wide-header.csv", wide_header, "chrome-csv", "more than 10000 commas"),
    ("many-objects.json", many_objects, "bitwarden-json", "more than 500000 JSON objects and lists"),
    ("many-numbers.json", many_numbers, "bitwarden-json", "more than 4000000 commas"),
)
