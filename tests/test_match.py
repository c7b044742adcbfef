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


def matched(vault, url, **more):
    return [(item["name"], item["matched"]) for item in vault.get("match", url=url, **more)["items"]]


def test_the_items_of_a_page_best_first_with_how_they_matched(vault):
    vault.add_items(
        {"name": "b-domain", "url": "https://www.bank.test"},
        {"name": "a-domain", "url": "bank.test"},
        {"name": "login", "url": "https://login.bank.test/signin", "match": "exact"},
        {"name": "host", "url": "https://login.bank.test/other"},
        {"name": "fav-domain", "url": "https://bank.test", "favorite": True},
        {"name": "never", "url": "https://login.bank.test", "match": "never"},
        {"name": "host-only", "url": "https://bank.test", "match": "host"},
        {"name": "elsewhere", "url": "https://bank.test.evil.test"},
        {"name": "no url"},
    )
    assert matched(vault, "https://login.bank.test/signin?next=/") == [
        ("login", "exact"),
        ("host", "host"),
        ("fav-domain", "domain"),
        ("a-domain", "domain"),
        ("b-domain", "domain"),
    ]
    assert matched(vault, "http://login.bank.test/signin") == []  # https items never to an http page


def test_an_answer_holds_whole_items_and_never_one_in_the_trash(vault):
    (kept, trashed) = vault.add_items(
        {"name": "kept", "url": "https://bank.test", "username": "jo", "password": "pw", "totp": "JBSWY3DPEHPK3PXP"},
        {"name": "trashed", "url": "https://bank.test"},
    )
    vault.delete("items", {"ids": [trashed["id"]]})
    (item,) = vault.get("match", url="https://bank.test/")["items"]
    assert item == {**vault.get("items")["items"][0], "matched": "exact"}
    assert item["password"] == "pw" and item["id"] == kept["id"]


def test_shared_items_of_the_callers_collections_and_never_of_an_invitation(alice, bob):
    family = alice.new_collection()
    alice.add_items({"name": "shared bank", "url": "https://www.bank.test", "collection_id": family})
    alice.add(family, bob="read")
    bob.add_items({"name": "own bank", "url": "https://bank.test/login"})
    assert matched(bob, "https://bank.test/login") == [("own bank", "exact"), ("shared bank", "domain")]
    other = alice.new_collection("Other")
    alice.add_items({"name": "invited bank", "url": "https://bank.test", "collection_id": other})
    alice.invite(other, bob="read")  # not accepted
    assert matched(bob, "https://bank.test/login") == [("own bank", "exact"), ("shared bank", "domain")]


@pytest.mark.parametrize(
    "query", [{}, {"url": ""}, {"url": "bank.test"}, {"url": "ftp://bank.test/"}, {"url": "https://"}]
)
def test_a_missing_or_unusable_url_is_a_clear_400(vault, query):
    answer = vault.get("match", status=400, **query)
    assert answer["error"] == "Invalid page URL!"
    assert "?url=" in answer["description"]


def test_the_passphrase_is_needed(vault):
    headers = {"x-opp-jwt": vault.headers["x-opp-jwt"]}
    answer = vault.client.get("/v1/match", {"url": "https://bank.test"}, headers=headers, status=400).json
    assert answer["error"] == "Passphrase header missing!"
