"""Loads the named SQL in `schema/*.sql` (`-- name: verb_noun` headers, `:name` parameters).

`what.sql` serves both dialects; `what.sqlite.sql` and `what.mysql.sql` hold
the few queries that must be written per dialect, under the same names.
"""

import re
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
HEADER = re.compile(r"^--\s*name:\s*(\S+)\s*$", re.MULTILINE)
# The prefix of a query's name says what running it returns.
SHAPES = ("get", "list", "count", "insert", "update", "delete")
DIALECTS = ("sqlite", "mysql")
PARAMETER = re.compile(r"(?<![:\w]):(\w+)")


class QueryFileError(Exception):
    """A `schema/` file that breaks the naming rules; fails at start-up, not mid-request."""


def load_queries(dialect, schema_dir=SCHEMA_DIR):
    """Map each query name to its SQL, written in the driver's parameter style."""
    queries, origin = {}, {}
    for path in sorted(schema_dir.glob("*.sql")):
        written_for = path.suffixes[0][1:] if len(path.suffixes) == 2 else None
        if written_for in DIALECTS and written_for != dialect:
            continue
        for name, sql in _split(path.read_text(encoding="utf-8")):
            if name in origin:
                raise QueryFileError(f"query '{name}' is named in both {origin[name]} and {path.name}")
            if shape_of(name) not in SHAPES:
                raise QueryFileError(f"query '{name}' in {path.name} does not start with one of {SHAPES}")
            origin[name] = path.name
            queries[name] = _to_dialect(sql, dialect)
    return queries


def shape_of(name):
    return name.split("_", 1)[0]


def _split(text):
    headers = list(HEADER.finditer(text))
    for header, following in zip(headers, headers[1:] + [None], strict=True):
        end = following.start() if following else len(text)
        body = text[header.end() : end]
        lines = [line for line in body.splitlines() if not line.lstrip().startswith("--")]
        yield header.group(1), "\n".join(lines).strip().rstrip(";").strip()


def _to_dialect(sql, dialect):
    if dialect == "mysql":
        # PyMySQL formats with Python's %, so named parameters become %(name)s.
        return PARAMETER.sub(r"%(\1)s", sql)
    return sql
