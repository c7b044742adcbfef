"""Handler of /v1/items/{id}/history: the passwords an item had before, newest first."""

from ...vault import history
from ...vault.vault import path_item, place_of
from . import SUCCESS


def item_history(call):
    row = path_item(call)
    return {**SUCCESS, "history": history.read(call, place_of(call, row), row)}
