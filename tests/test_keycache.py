import webtest

from conftest import execute_raw
from oppmini.seal.keycache import CollectionKeyCache, KeyCache
from oppmini.web.app import make_app


class Ticker:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_hit_only_for_the_same_user_salt_and_passphrase():
    cache = KeyCache(ttl_seconds=60, max_entries=10)
    cache.put(1, b"salt", "phrase", b"K" * 32)
    assert cache.get(1, b"salt", "phrase") == b"K" * 32
    assert cache.get(1, b"salt", "phrasE") is None
    assert cache.get(2, b"salt", "phrase") is None
    assert cache.get(1, b"pepper", "phrase") is None


def test_the_passphrase_is_not_kept():
    cache = KeyCache(ttl_seconds=60, max_entries=10)
    cache.put(1, b"salt", "very-distinctive-phrase", b"K" * 32)
    kept = repr(cache._entries)
    assert "very-distinctive-phrase" not in kept
    assert b"very-distinctive-phrase".hex() not in kept


def test_entries_expire_after_the_ttl():
    ticker = Ticker()
    cache = KeyCache(ttl_seconds=300, max_entries=10, clock=ticker)
    cache.put(1, b"s", "p", b"K")
    ticker.now = 299.9
    assert cache.get(1, b"s", "p") == b"K"
    ticker.now = 300.0
    assert cache.get(1, b"s", "p") is None
    assert len(cache) == 0


def test_size_is_bounded_least_recently_used_first():
    cache = KeyCache(ttl_seconds=60, max_entries=2)
    cache.put(1, b"s", "p", b"one")
    cache.put(2, b"s", "p", b"two")
    assert cache.get(1, b"s", "p") == b"one"  # 1 is now the most recent
    cache.put(3, b"s", "p", b"three")
    assert len(cache) == 2
    assert cache.get(2, b"s", "p") is None
    assert cache.get(1, b"s", "p") == b"one"


def test_forget_user_drops_only_that_users_entries():
    cache = KeyCache(ttl_seconds=60, max_entries=10)
    cache.put(1, b"a", "p", b"one")
    cache.put(1, b"b", "q", b"one again")
    cache.put(2, b"a", "p", b"two")
    cache.forget_user(1)
    assert (cache.get(1, b"a", "p"), cache.get(1, b"b", "q")) == (None, None)
    assert cache.get(2, b"a", "p") == b"two"


def test_ttl_zero_disables_the_cache():
    cache = KeyCache(ttl_seconds=0, max_entries=10)
    cache.put(1, b"s", "p", b"K")
    assert cache.get(1, b"s", "p") is None
    assert len(cache) == 0


def test_a_user_of_many_collection_keys_makes_room_among_their_own():
    cache = CollectionKeyCache(ttl_seconds=60, max_entries=8, per_user=3)
    cache.put(2, 1, 1, b"copy", b"two's key")
    for collection_id in range(1, 11):
        cache.put(1, collection_id, 1, b"copy", b"one's key %d" % collection_id)
    assert cache.get(2, 1, 1, b"copy") == b"two's key"
    assert [cache.get(1, n, 1, b"copy") is not None for n in range(1, 11)] == [False] * 7 + [True] * 3
    assert len(cache) == 4
    cache.forget_user(1)
    assert len(cache) == 1 and cache.get(2, 1, 1, b"copy") == b"two's key"


def test_a_member_of_many_collections_leaves_another_users_key_cached(config, clock, db_url, alice, bob):
    """Counts, not timings: bob, in ten collections, reads them all twice; alice's one key stays cached (a cache
    of 8 keys, a quarter of it a user's share), and bob keeps 2 of his."""
    cache_of_8 = make_app(config.replace(key_cache_size=8), clock=clock)
    client = webtest.TestApp(cache_of_8)
    alice.new_collection()
    for name in range(10):
        bob.new_collection(f"Bob {name}")
    client.get("/v1/fetchall", headers=alice.headers)
    for _ in range(2):
        client.get("/v1/fetchall", headers=bob.headers)

    cache = cache_of_8.services.accounts.collection_keys
    copies = execute_raw(
        db_url, "SELECT user_id, collection_id, key_version, sealed_key FROM collection_members ORDER BY collection_id"
    )
    cached = [
        cache.get(user_id, collection_id, version, bytes(copy)) is not None
        for user_id, collection_id, version, copy in copies
    ]
    assert cached[0] is True  # alice's
    assert cached[1:] == [False] * 8 + [True] * 2  # bob's last two
