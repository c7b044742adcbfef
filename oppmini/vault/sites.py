"""The caller's items of one site: the candidates GET /v1/match applies the rules to."""

from .matching import site_of
from .vault import all_items


def site_items(call, site, categories):
    """The caller's live items (personal and shared) whose url belongs to `site`, in the GET shape."""
    return [item for item in all_items(call, categories) if site_of(item["url"]) == site]
