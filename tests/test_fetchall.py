"""GET /v1/fetchall, and the constant number of SQL statements behind every vault read."""

import pytest

from conftest import ITEM_EXTRAS
from oppmini.db import Connection


def test_fetchall_answers_both_lists_in_ascending_id_order(vault):
    assert vault.get("fetchall") == {"result": "success", "categories": [], "items": [], "collections": []}
    work, home = vault.add_categories("Work", "Home")
    vault.post("categories", {"categories": [{"id": home["id"], "name": "Home", "sort_id": 2}]})
    first, second = vault.add_items({"name": "a", "category_id": home["id"]}, {"name": "b", "sort_id": 5})
    answer = vault.get("fetchall")
    assert answer["categories"] == [work, {**home, "sort_id": 2}]
    assert answer["items"] == [
        {"id": first["id"], "name": "a", "url": "", "account": "", "username": "", "password": "", "blob": "",
         "category_id": home["id"], "sort_id": 0, **ITEM_EXTRAS},
        {"id": second["id"], "name": "b", "url": "", "account": "", "username": "", "password": "", "blob": "",
         "category_id": None, "sort_id": 5, **ITEM_EXTRAS},
    ]
    assert list(answer["items"][0]) == ["id", "name", "url", "account", "username", "password", "blob",
                                        "category_id", "sort_id", *ITEM_EXTRAS]


def test_fetchall_needs_the_passphrase(client, vault):
    token = {"x-opp-jwt": vault.headers["x-opp-jwt"]}
    assert client.get("/api/v1/fetchall", headers=token, status=400).json["error"] == "Passphrase header missing!"
    assert client.get("/api/v1/fetchall", status=401).json["error"] == "Authorization Required"


@pytest.fixture
def statements(monkeypatch):
    """Every SQL statement the adapter sends, on either backend (COMMIT, a driver call, aside)."""
    sent = []
    plain_execute, plain_control = Connection._execute, Connection._control

    def traced_execute(self, sql, params):
        sent.append(sql)
        return plain_execute(self, sql, params)

    def traced_control(self, sql):
        sent.append(sql)
        return plain_control(self, sql)

    monkeypatch.setattr(Connection, "_execute", traced_execute)
    monkeypatch.setattr(Connection, "_control", traced_control)
    return sent


def fill(vault, categories, items):
    created = vault.add_categories(*[f"c{n}" for n in range(categories)])
    vault.add_items(*[{"name": f"i{n}", "category_id": created[n % categories]["id"]} for n in range(items)])


@pytest.mark.parametrize("resource", ["fetchall", "items", "categories"])
def test_reads_take_the_same_statements_whatever_the_vault_size(vault, statements, resource):
    def count_for_one_read():
        statements.clear()
        vault.get(resource)
        return len(statements)

    fill(vault, 1, 1)
    small = count_for_one_read()
    fill(vault, 20, 60)
    assert count_for_one_read() == small
    # The token's user, the address's guess count, BEGIN, one or two lists (fetchall: and the collections).
    assert small <= 5 + (resource == "fetchall")
    assert sum("FROM items" in sql for sql in statements) == (resource != "categories")


def test_the_trace_sees_the_named_queries(vault, statements):
    fill(vault, 2, 3)
    statements.clear()
    vault.get("fetchall")
    assert any(sql.lstrip().startswith("SELECT category_id, sort_id, sealed_name") for sql in statements)
