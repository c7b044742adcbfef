"""Keyed domain tags (browser.md section 1): GET /v1/match opens only the items of the page's site."""

import contextlib
import hashlib

import pytest

from conftest import execute_raw
from oppmini.seal import crypto
from oppmini.store.db import Connection


def tags_by_name(db_url, vault):
    """{item name: its row's domain_tag}, the names read through the API (the rows hold them sealed)."""
    names = {item["id"]: item["name"] for item in vault.get("items")["items"]}
    rows = execute_raw(db_url, "SELECT item_id, domain_tag FROM items")
    return {names[item_id]: None if tag is None else bytes(tag) for item_id, tag in rows if item_id in names}


@pytest.fixture
def records_opened(monkeypatch):
    """How many sealed records were opened, one by one or in batches."""
    count = [0]
    plain_one, plain_many = crypto.open_sealed, crypto.open_sealed_many

    def one(*args):
        count[0] += 1
        return plain_one(*args)

    def many(key, bindings):
        count[0] += len(bindings)
        return plain_many(key, bindings)

    monkeypatch.setattr(crypto, "open_sealed", one)
    monkeypatch.setattr(crypto, "open_sealed_many", many)
    return count


BANK_ITEMS = (
    {"name": "bank", "url": "https://bank.test"},
    {"name": "bank login", "url": "https://login.bank.test/signin"},
    {"name": "bank card", "url": "cards.bank.test"},
)
# Within the server's default max_rows.
ROWS_PER_PUT = 500


def others(start, stop):
    """Items numbered start..stop-1, each of a site of its own."""
    return [{"name": f"site {n}", "url": f"https://site{n}.test"} for n in range(start, stop)]


def grow(vault, size):
    """Items of sites of their own added until the vault holds `size`."""
    stored = len(vault.get("items")["items"])
    for start in range(stored, size, ROWS_PER_PUT):
        vault.add_items(*others(start, min(size, start + ROWS_PER_PUT)))
    assert len(vault.get("items")["items"]) == size


def fill(vault, count=40):
    vault.add_items(*BANK_ITEMS, *others(0, count))


def test_the_tag_reveals_nothing_without_the_key(alice, bob, db_url):
    alice.add_items({"name": "a bank", "url": "https://bank.test"}, {"name": "a login", "url": "login.bank.test"})
    alice.add_items({"name": "a shop", "url": "https://shop.test"})
    bob.add_items({"name": "b bank", "url": "https://www.bank.test/"})
    mine, his = tags_by_name(db_url, alice), tags_by_name(db_url, bob)
    assert all(len(tag) == 32 for tag in [*mine.values(), *his.values()])
    assert mine["a bank"] == mine["a login"]  # one user's items of one site share a tag
    assert mine["a shop"] != mine["a bank"]
    assert his["b bank"] != mine["a bank"]  # another user's tag of the same site differs
    assert hashlib.sha256(b"bank.test").digest() not in (mine["a bank"], his["b bank"])


def test_a_shared_items_tag_is_under_the_collection_key(alice, bob, db_url):
    family = alice.new_collection()
    alice.add(family, bob="write")
    (shared,) = alice.add_items({"name": "shared", "url": "https://bank.test", "collection_id": family})
    alice.add_items({"name": "mine", "url": "https://bank.test"})
    bob.add_items({"name": "his", "url": "https://bank.test"})
    (row_tag,) = [
        bytes(tag) for (tag,) in execute_raw(db_url, f"SELECT domain_tag FROM items WHERE item_id = {shared['id']}")
    ]
    assert row_tag not in (tags_by_name(db_url, alice)["mine"], tags_by_name(db_url, bob)["his"])
    assert [item["name"] for item in bob.get("match", url="https://bank.test/")["items"]] == ["his", "shared"]


def test_a_match_opens_the_sites_items_not_the_vault_at_any_size(vault, records_opened):
    """Counts, not timings: the same 3 records opened with 200 and with 2,000 items in the vault (W13)."""
    vault.add_items(*BANK_ITEMS)
    opened = {}
    for size in (200, 2000):
        grow(vault, size)
        vault.get("match", url="https://bank.test/")  # any first pass is done
        records_opened[0] = 0
        found = vault.get("match", url="https://www.bank.test/")["items"]
        assert sorted(item["name"] for item in found) == ["bank", "bank card", "bank login"]
        opened[size] = records_opened[0]
    assert opened == {200: 3, 2000: 3}


def test_rows_from_before_tags_are_tagged_at_the_first_match_and_never_again(vault, db_url, records_opened):
    fill(vault)
    execute_raw(db_url, "UPDATE items SET domain_tag = NULL")
    records_opened[0] = 0
    assert len(vault.get("match", url="https://bank.test/")["items"]) == 3
    assert records_opened[0] == 43 + 3  # each row opened once to be tagged, then the three candidates
    assert execute_raw(db_url, "SELECT COUNT(*) FROM items WHERE domain_tag IS NULL") == [(0,)]
    records_opened[0] = 0
    assert len(vault.get("match", url="https://bank.test/")["items"]) == 3
    assert records_opened[0] == 3


def test_every_item_write_keeps_the_tag_right(alice, bob, db_url):
    family = alice.new_collection()
    alice.add(family, bob="write")
    (item,) = alice.add_items({"name": "bank", "url": "https://bank.test"})

    def found(vault, url="https://bank.test/"):
        return [one["name"] for one in vault.get("match", url=url)["items"]]

    alice.post("items", {"items": [{"id": item["id"], "url": "https://shop.test"}]})  # edited
    assert (found(alice), found(alice, "https://shop.test/")) == ([], ["bank"])
    alice.post("items", {"items": [{"id": item["id"], "collection_id": family}]})  # moved into the collection
    assert found(bob, "https://shop.test/") == ["bank"]
    alice.remove(family, "bob")  # the key rotates: the tag is made again under the new key
    assert found(alice, "https://shop.test/") == ["bank"]
    alice.delete_collections(family)  # into alice's trash, sealed under her key
    alice.post("trash", {"ids": [item["id"]]})
    assert found(alice, "https://shop.test/") == ["bank"]
    execute_raw(db_url, "UPDATE items SET domain_tag = NULL")
    alice.delete("items", {"ids": [item["id"]]})
    alice.post("trash", {"ids": [item["id"]]})  # a restore tags a row from before tags
    assert execute_raw(db_url, "SELECT COUNT(*) FROM items WHERE domain_tag IS NULL") == [(0,)]


def test_imported_items_are_tagged(vault, db_url):
    document = b'{"format": "oppmini-json", "version": 1, "items": [{"name": "bank", "url": "bank.test"}]}'
    vault.client.post("/v1/import", document, headers={**vault.headers, "Content-Type": "application/json"})
    assert execute_raw(db_url, "SELECT COUNT(*) FROM items WHERE domain_tag IS NULL") == [(0,)]
    assert [item["name"] for item in vault.get("match", url="https://bank.test/")["items"]] == ["bank"]


@contextlib.contextmanager
def sqlite_steps(monkeypatch):
    """[n]: the SQLite virtual-machine instructions the app's queries run inside the block, the
    database's work counted rather than timed."""
    steps = [0]

    def step():
        steps[0] += 1
        return 0

    def counted(plain):
        def run(self, query, /, **params):
            self.raw.set_progress_handler(step, 1)
            try:
                return plain(self, query, **params)
            finally:
                self.raw.set_progress_handler(None, 1)

        return run

    with monkeypatch.context() as patched:
        for name in ("run", "values"):
            patched.setattr(Connection, name, counted(getattr(Connection, name)))
        yield steps


def test_a_matchs_queries_do_the_same_work_whatever_the_vault_holds(app, vault, monkeypatch):
    """W13's flat line, in the database's own steps: the files of the page's 3 items are found by
    item, where reading every file the caller can reach walked the whole vault."""
    if app.services.db.dialect != "sqlite":
        pytest.skip("SQLite counts its steps")
    vault.add_items(*BANK_ITEMS)
    steps = {}
    for size in (200, 2000):
        grow(vault, size)
        vault.get("match", url="https://bank.test/")  # any first pass is done
        with sqlite_steps(monkeypatch) as counted:
            assert len(vault.get("match", url="https://www.bank.test/")["items"]) == 3
        steps[size] = counted[0]
    assert steps[2000] <= steps[200] * 1.05, steps
