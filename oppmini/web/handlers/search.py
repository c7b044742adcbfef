"""Handler of /v1/search: the caller's items that hold every word of `q`, searched on the server.

Passwords, TOTP seeds, hidden custom fields and the secrets of typed items
(card numbers and codes, document numbers, private keys) are never searched:
a search must not become a way to test guesses at a secret.
"""

from ...contract import errors
from ...contract.errors import bad_request
from ...vault.types import searched_values
from ...vault.vault import Categories, all_items
from . import SUCCESS

SEARCHED = ("name", "url", "account", "username", "blob")


def search(call):
    """Items whose searched text holds every word (Unicode casefold); name matches first, then by id."""
    words = (call.query.get("q") or "").casefold().split()
    if not words:
        raise bad_request(errors.MISSING_SEARCH_QUERY, "Give the words to look for as ?q=.")
    in_name, elsewhere = [], []
    for item in all_items(call, Categories(call)):
        text = _searched_text(item)
        if not all(word in text for word in words):
            continue
        name = item["name"].casefold()
        (in_name if all(word in name for word in words) else elsewhere).append(item)
    return {**SUCCESS, "items": in_name + elsewhere}


def _searched_text(item):
    parts = [item[name] for name in SEARCHED]
    parts += searched_values(item["type"], item.get(item["type"], {}))
    for field in item["fields"]:
        parts.append(field["name"])
        if not field["hidden"]:
            parts.append(field["value"])
    # A line break never occurs inside a word of q, so no word spans two parts.
    return "\n".join(parts).casefold()
