"""GET /v1/fetchall, and the constant number of SQL statements behind every vault read."""

import pytest

from conftest import ITEM_EXTRAS, member
from oppmini.seal import crypto
from oppmini.store.db import Connection

HANDLER_READS = "SHOW SESSION STATUS LIKE 'Handler_read%'"


def test_fetchall_answers_both_lists_in_ascending_id_order(vault):
    assert vault.get("fetchall") == {"result": "success", "categories": [], "items": [], "collections": []}
    work, home = vault.add_categories("Work", "Home")
    vault.post("categories", {"categories": [{"id": home["id"], "name": "Home", "sort_id": 2}]})
    first, second = vault.add_items({"name": "a", "category_id": home["id"]}, {"name": "b", "sort_id": 5})
    answer = vault.get("fetchall")
    assert answer["categories"] == [work, {**home, "sort_id": 2}]
    assert answer["items"] == [
        {
            "id": first["id"],
            "name": "a",
            "url": "",
            "account": "",
            "username": "",
            "password": "",
            "blob": "",
            "category_id": home["id"],
            "sort_id": 0,
            **ITEM_EXTRAS,
        },
        {
            "id": second["id"],
            "name": "b",
            "url": "",
            "account": "",
            "username": "",
            "password": "",
            "blob": "",
            "category_id": None,
            "sort_id": 5,
            **ITEM_EXTRAS,
        },
    ]
    assert list(answer["items"][0]) == [
        "id",
        "name",
        "url",
        "account",
        "username",
        "password",
        "blob",
        "category_id",
        "sort_id",
        *ITEM_EXTRAS,
    ]


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
    # The token's user, the address's guess count, BEGIN, one or two lists (fetchall: and the collections,
    # and its ETag's versions, read first), and for items the files of them all.
    assert small <= 5 + 2 * (resource == "fetchall") + (resource != "categories")
    assert sum("FROM items" in sql for sql in statements) == (resource != "categories") + (resource == "fetchall")


def test_the_trace_sees_the_named_queries(vault, statements):
    fill(vault, 2, 3)
    statements.clear()
    vault.get("fetchall")
    assert any(sql.lstrip().startswith("SELECT category_id, sort_id, sealed_name") for sql in statements)


@pytest.fixture
def database_work(monkeypatch):
    """The database's own count of the work behind each statement the adapter sends: SQLite's
    virtual-machine steps (its progress handler), MariaDB's Handler_read counters."""
    work = []
    plain_execute = Connection._execute

    def count_step():
        work[-1] += 1

    def handler_reads(raw):
        cursor = raw.cursor()
        try:
            cursor.execute(HANDLER_READS)
            return sum(int(row["Value"]) for row in cursor.fetchall())
        finally:
            cursor.close()

    def traced_execute(self, sql, params):
        work.append(0)
        if self.driver.dialect == "sqlite":
            # Steps run while the rows are fetched too, after this returns: counted to this statement.
            self.raw.set_progress_handler(count_step, 1)
            return plain_execute(self, sql, params)
        before = handler_reads(self.raw)
        cursor = plain_execute(self, sql, params)  # PyMySQL's cursor has read every row by now
        work[-1] = handler_reads(self.raw) - before
        return cursor

    monkeypatch.setattr(Connection, "_execute", traced_execute)
    return work


@pytest.mark.parametrize("resource", ["fetchall", "items"])
def test_a_vault_read_works_through_the_callers_rows_only(client, auth, database_work, resource):
    """Both halves of list_items are index ranges (the caller's items, their collections' items):
    other users' items, however many, add no work. SQLite once read the collection half by
    scanning every live item for its deleted_at IS NULL, and a read slowed as the server filled."""
    alice, bob = member(client, auth, "alice"), member(client, auth, "bob")
    fill(alice, 2, 5)
    alice.add_items({"name": "shared", "collection_id": alice.new_collection()})
    # Bob's rows sit after Alice's in every index from the start: more of them is all that changes.
    fill(bob, 1, 1)
    bob.add_items({"name": "b", "collection_id": bob.new_collection()})

    def work_of_one_read():
        database_work.clear()
        alice.get(resource)
        return sum(database_work)

    before = work_of_one_read()
    fill(bob, 1, 300)
    bob.add_items(*[{"name": f"b{n}", "collection_id": bob.new_collection()} for n in range(20)])
    # At most as much: MariaDB may find a cheaper plan once its statistics see the fuller table.
    assert work_of_one_read() <= before


@pytest.fixture
def openings(monkeypatch):
    """Each opening of sealed records, by the function that did it: crypto.open_sealed opens one
    record, crypto.open_sealed_many a batch (its per-record cost shared, oppmini/seal/eax.py)."""
    opened = []

    def traced(name):
        plain = getattr(crypto, name)

        def opening(*args):
            opened.append(name)
            return plain(*args)

        return opening

    for name in ("open_sealed", "open_sealed_many"):
        monkeypatch.setattr(crypto, name, traced(name))
    return opened


def test_items_costs_no_more_than_fetchall(client, auth, statements, database_work, openings):
    """GET /v1/items answers a part of what fetchall does (items, with their category objects): no more
    statements, database work or record openings. Records open in one batch per key and kind;
    only fetchall's collection names open one by one, each under its own collection's key."""
    alice, bob = member(client, auth, "alice"), member(client, auth, "bob")
    fill(alice, 5, 50)
    family = bob.new_collection()
    bob.add(family, alice="write")
    bob.add_items(*[{"name": f"s{n}", "collection_id": family} for n in range(5)])
    alice.get("items")  # the collection key opened (with Alice's private key) and kept in the key cache

    def cost(resource):
        statements.clear()
        database_work.clear()
        openings.clear()
        assert len(alice.get(resource)["items"]) == 55
        return len(statements), sum(database_work), sorted(openings)

    items, fetchall = cost("items"), cost("fetchall")
    assert items[0] <= fetchall[0] and items[1] <= fetchall[1]
    # Alice's items, the collection's items, the category names: one batch each.
    assert items[2] == ["open_sealed_many"] * 3
    assert fetchall[2] == ["open_sealed"] + ["open_sealed_many"] * 3  # and the collection's name
