"""Finding items, categories and collections the way the commands name them: an id, or a name in any case."""

from .errors import NoMatch, SeveralMatch

# The fields a search compares (extensions.md, Search): never the password.
SEARCHED_FIELDS = ("name", "url", "account", "username", "blob")


def _folded(text):
    return (text or "").casefold()


def listing(items):
    """One line per item for a several-match message: id, name and URL, no secret."""
    return ["  ".join(str(part) for part in (item["id"], item["name"], item.get("url")) if part) for item in items]


def _named(rows, ref):
    """The row whose id is `ref` (a list of one), else the rows whose name is `ref` (case ignored)."""
    if ref.isdigit():
        by_id = [row for row in rows if row["id"] == int(ref)]
        if by_id:
            return by_id
    return [row for row in rows if _folded(row["name"]) == _folded(ref)]


def find_item(items, ref):
    """The one item whose id is `ref`, else whose name is `ref` (case ignored); NoMatch or SeveralMatch."""
    named = _named(items, ref)
    if not named:
        raise NoMatch(f"no item named {ref!r}; opp search WORDS finds items by part of a name")
    if len(named) > 1:
        raise SeveralMatch(f"{len(named)} items are named {ref!r}; give one's id", details=listing(named))
    return named[0]


def find_collection(collections, ref):
    """The one collection whose id is `ref`, else whose name is `ref` (case ignored); NoMatch or SeveralMatch."""
    named = _named(collections, ref)
    if not named:
        raise NoMatch(f"no collection named {ref!r}; opp share lists yours")
    if len(named) > 1:
        ids = ", ".join(str(one["id"]) for one in named)
        raise SeveralMatch(f"{len(named)} collections are named {ref!r} (ids {ids}); give one's id")
    return named[0]


def find_category(categories, name):
    """The one category named `name` (case ignored), or None; SeveralMatch when the name is shared."""
    named = [category for category in categories if _folded(category["name"]) == _folded(name)]
    if len(named) > 1:
        ids = ", ".join(str(category["id"]) for category in named)
        raise SeveralMatch(f"{len(named)} categories are named {name!r} (ids {ids})")
    return named[0] if named else None


def search(items, words):
    """Items holding every word in a searched field (case folded); name matches first, then by id."""
    folded = [_folded(word) for word in words]

    def matches(item):
        text = "\n".join(_folded(item.get(field)) for field in SEARCHED_FIELDS)
        return all(word in text for word in folded)

    def in_name(item):
        return all(word in _folded(item["name"]) for word in folded)

    found = [item for item in items if matches(item)]
    return sorted(found, key=lambda item: (not in_name(item), item["id"]))
