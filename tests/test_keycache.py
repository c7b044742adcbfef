from oppmini.keycache import KeyCache


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
