"""GET /v1/match (browser.md 1) and the per-item `match` rule it reads."""

import pytest


def test_match_defaults_to_domain_and_round_trips_in_every_answer(vault):
    (plain, exact) = vault.add_items({"name": "a"}, {"name": "b", "match": "exact"})
    assert (plain["match"], exact["match"]) == ("domain", "exact")
    assert [item["match"] for item in vault.get("items")["items"]] == ["domain", "exact"]
    assert [item["match"] for item in vault.get("fetchall")["items"]] == ["domain", "exact"]
    (changed,) = vault.post("items", {"items": [{"id": exact["id"], "name": "c"}]})["items"]
    assert changed["match"] == "exact"
    (changed,) = vault.post("items", {"items": [{"id": exact["id"], "match": None}]})["items"]
    assert changed["match"] == "domain"


@pytest.mark.parametrize("value", ["Domain", "all", 5, True, [], ""])
@pytest.mark.parametrize("method", ["put", "post"])
def test_a_bad_match_rule_names_the_row_and_stores_nothing(vault, value, method):
    (kept,) = vault.add_items({"name": "kept"})
    before = vault.get("fetchall")
    rows = (
        [{"name": "new"}, {"name": "x", "match": value}]
        if method == "put"
        else [{"id": kept["id"], "name": "renamed"}, {"id": kept["id"], "match": value}]
    )
    answer = getattr(vault, method)("items", {"items": rows}, status=400)
    assert answer["error"] == "Invalid item data in list!"
    assert "Row 2" in answer["description"] and "'match'" in answer["description"]
    assert vault.get("fetchall") == before
