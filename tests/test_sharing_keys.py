"""Key pairs and collection keys: HPKE copies bound to collection, member and version; each collection key
opened at most once per request and cached without ever answering a removed member or an old version."""

import pytest
import webtest

from conftest import CHEAP_ARGON2, Auth, member
from oppmini.config import Config
from oppmini.seal import crypto, keys
from oppmini.seal.crypto import SealError
from oppmini.seal.keycache import CollectionKeyCache
from oppmini.web.app import make_app


def test_a_copy_opens_only_for_its_member_collection_and_version():
    data_key = crypto.DataKey(crypto.new_data_key())
    public, sealed_private = keys.new_key_pair(data_key, 7)
    other_public, _ = keys.new_key_pair(data_key, 8)
    private = keys.open_private_key(data_key, 7, sealed_private)
    collection_key = keys.new_collection_key()
    copy = keys.seal_to_member(public, collection_key, 5, 7, 1)
    assert keys.open_member_copy(private, copy, 5, 7, 1) == collection_key
    for collection_id, user_id, version in ((6, 7, 1), (5, 8, 1), (5, 7, 2)):
        with pytest.raises(SealError):
            keys.open_member_copy(private, copy, collection_id, user_id, version)
    with pytest.raises(SealError):  # sealed to someone else
        keys.open_member_copy(private, keys.seal_to_member(other_public, collection_key, 5, 7, 1), 5, 7, 1)
    with pytest.raises(SealError):  # the private key is bound to its user row
        keys.open_private_key(data_key, 8, sealed_private)
    # A collection record's owner is never a user's: user 5 and collection 5 bind apart.
    assert crypto.bind("items", keys.collection_owner(5), 1) != crypto.bind("items", 5, 1)


def test_the_cache_answers_only_the_same_member_version_and_copy():
    cache = CollectionKeyCache(300, 10)
    cache.put(7, 5, 1, b"copy", b"k" * 32)
    assert cache.get(7, 5, 1, b"copy") == b"k" * 32
    assert [
        cache.get(8, 5, 1, b"copy"),
        cache.get(7, 5, 2, b"copy"),
        cache.get(7, 5, 1, b"other copy"),
        cache.get(7, 6, 1, b"copy"),
    ] == [None] * 4


@pytest.fixture
def counted_opens(monkeypatch):
    opened = []
    plain = keys.open_member_copy

    def counting(private_key, sealed_copy, collection_id, user_id, version):
        opened.append(collection_id)
        return plain(private_key, sealed_copy, collection_id, user_id, version)

    monkeypatch.setattr(keys, "open_member_copy", counting)
    return opened


@pytest.mark.parametrize("ttl", [0, 300])
def test_each_collection_key_is_opened_at_most_once_per_request(db_url, counted_opens, ttl):
    client = webtest.TestApp(make_app(Config(db_connect=db_url, allow_signup=True, key_cache_ttl=ttl, **CHEAP_ARGON2)))
    alice = member(client, Auth(client), "alice")
    family, work = alice.new_collection("Family"), alice.new_collection("Work")
    alice.add_items(
        *[{"name": f"f{n}", "password": "a", "collection_id": family} for n in range(5)],
        *[{"name": f"w{n}", "password": "b", "collection_id": work} for n in range(5)],
    )
    counted_opens.clear()
    for resource in ("fetchall", "items", "collections", "search?q=f1"):
        alice.get(resource)
        # Without a cache every request opens each collection's copy once (names and items alike);
        # with one, the keys opened before are served from it.
        assert sorted(counted_opens) == ([family, work] if ttl == 0 else []), resource
        counted_opens.clear()
