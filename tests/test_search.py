"""GET /v1/search: every word, Unicode casefold, name matches first; never passwords, seeds or hidden fields."""

import pytest


def found(vault, q):
    return [item["name"] for item in vault.get("search", q=q)["items"]]


@pytest.fixture
def items(vault):
    return vault.add_items(
        {"name": "Post office", "url": "https://mail.example", "username": "alice"},
        {"name": "Mail", "url": "https://mail.example/inbox", "blob": "Recovery codes"},
        {"name": "Straße", "account": "Konto 42"},
        {
            "name": "Router",
            "password": "mail-secret",
            "totp": "JBSWY3DPEHPK3PXP",
            "fields": [
                {"name": "WPA key", "value": "hunter2 wifi", "hidden": True},
                {"name": "Admin page", "value": "http://192.168.1.1", "hidden": False},
            ],
        },
    )


def test_every_word_matches_somewhere_name_matches_first_then_by_id(vault, items):
    assert found(vault, "mail") == ["Mail", "Post office"]
    assert found(vault, "MAIL example inbox") == ["Mail"]
    assert found(vault, "mail alice") == ["Post office"]
    assert found(vault, "mail nothing") == []


def test_casefold_and_the_other_searched_fields(vault, items):
    assert found(vault, "STRASSE") == ["Straße"]
    assert found(vault, "konto") == ["Straße"]
    assert found(vault, "recovery") == ["Mail"]
    assert found(vault, "admin 192.168") == ["Router"]  # a custom field's name and visible value
    assert found(vault, "wpa") == ["Router"]  # a hidden field's name is searched, not its value


@pytest.mark.parametrize("secret", ["mail-secret", "secret", "hunter2", "JBSWY3DP", "jbswy3dp"])
def test_never_on_passwords_seeds_or_hidden_values(vault, items, secret):
    assert found(vault, secret) == []


def test_answers_the_get_shape(vault, items):
    (work,) = vault.add_categories("Work")
    vault.post("items", {"items": [{"id": items[1]["id"], "category_id": work["id"]}]})
    (item,) = vault.get("search", q="inbox")["items"]
    assert item == vault.get("items")["items"][1] and item["category"] == work


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}])
def test_an_empty_query_is_refused(vault, query):
    answer = vault.get("search", status=400, **query)
    assert answer["error"] == "Missing search query!"


def test_only_the_callers_items(client, auth, vault, items):
    bob = auth.user("bob")
    assert client.get("/v1/search", {"q": "mail"}, headers=bob).json == {"result": "success", "items": []}
