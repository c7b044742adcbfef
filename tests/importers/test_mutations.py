"""Mutation fuzz: damaged copies of every sample give entries or the package's clean error, never anything else.

Seeded, so a failure names a case that repeats: IMPORT_FUZZ_CASES mutations
per sample (a few in `make test`, many in `make fuzz`), each read both with
detection and as the sample's own format, each under a hang guard.
"""

import io
import json
import os
import random
import zipfile

import pytest

from oppmini.contract.errors import IMPORT_ENCRYPTED, IMPORT_UNREADABLE, UNKNOWN_IMPORT_FORMAT, ApiError
from oppmini.transfer import importers

from .hostile import HOSTILE

CASES = int(os.environ.get("IMPORT_FUZZ_CASES", "40"))
CLEAN = {IMPORT_UNREADABLE, UNKNOWN_IMPORT_FORMAT, IMPORT_ENCRYPTED}


def mutate(data, rng):
    """One to three of: truncation, byte flips, inserted quotes, inserted NULs."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(("truncate", "flip", "quote", "nul"))
        at = rng.randrange(len(data) + 1)
        if kind == "truncate":
            del data[at:]
        elif kind == "flip":
            for _ in range(rng.randint(1, 8)):
                if data:
                    data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        else:
            data[at:at] = (b'"' if kind == "quote" else b"\x00") * rng.randint(1, 3)
    return bytes(data)


def read_cleanly(data, format):
    try:
        reading = importers.read(data, format)
    except ApiError as error:
        assert (error.status, error.error in CLEAN) == (400, True), (error.status, error.error)
        assert error.description
        return
    assert all(isinstance(entry, importers.Entry) for entry in reading.entries)
    assert all(
        isinstance(value, str)
        for entry in reading.entries
        for value in (entry.name, entry.url, entry.username, entry.password, entry.notes, entry.folder, entry.totp)
    )


def test_damaged_copies_read_or_fail_cleanly(sample, sample_format, within):
    original = sample.read_bytes()
    for case in range(CASES):
        data = mutate(original, random.Random(f"{sample.name}:{case}"))
        with within(5):
            read_cleanly(data, importers.AUTO)
            read_cleanly(data, sample_format)


STRANGERS = (None, 0, -1, 2, True, 1.5, "", "x", [], {}, [None], {"": None}, [{"type": 1}])


def swap_a_value(document, rng):
    """The document with one value, anywhere in it, replaced by a value of another type."""
    places = []

    def walk(node):
        for key in range(len(node)) if isinstance(node, list) else node if isinstance(node, dict) else ():
            places.append((node, key))
            walk(node[key])

    walk(document)
    if places:
        node, key = rng.choice(places)
        node[key] = rng.choice(STRANGERS)
    return document


def test_json_with_values_of_the_wrong_type_reads_or_fails_cleanly(sample, sample_format, within):
    if sample.suffix == ".1pux":
        with zipfile.ZipFile(sample) as archive:
            text = archive.read("export.data")
    elif sample.suffix == ".json":
        text = sample.read_bytes()
    else:
        return  # not JSON: the byte mutations above cover it
    for case in range(CASES):
        rng = random.Random(f"{sample.name}:types:{case}")
        document = json.dumps(swap_a_value(json.loads(text), rng)).encode()
        if sample.suffix == ".1pux":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                archive.writestr("export.data", document)
            document = buffer.getvalue()
        with within(5):
            read_cleanly(document, sample_format)


@pytest.mark.parametrize(
    "builder, format", [(builder, format) for _, builder, format, _ in HOSTILE], ids=[name for name, *_ in HOSTILE]
)
def test_hostile_files_at_the_size_limit_and_damaged_copies_read_or_fail_cleanly(builder, format, within):
    original = builder(importers.DEFAULT_MAX_BYTES - 64)  # room for the bytes a mutation inserts
    for case in range(4):
        data = original if case == 0 else mutate(original, random.Random(f"{format}:hostile:{case}"))
        with within(10):
            read_cleanly(data, importers.AUTO)
            read_cleanly(data, format)
