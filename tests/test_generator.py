"""The password generator: characters and words, their entropy, and GET /v1/generate."""

import itertools
import math
import string

import pytest
import webtest

from conftest import Auth, Vault
from oppmini.contract.errors import ApiError
from oppmini.vault import generator
from oppmini.vault.generator import Options
from oppmini.web.app import make_app

SAMPLES = 300


@pytest.mark.parametrize("length", [8, 9, 16, 100])
def test_character_passwords_have_the_exact_length_and_every_class(length):
    for _ in range(SAMPLES):
        password = generator.characters(length)
        assert len(password) == length
        assert any(c in string.ascii_lowercase for c in password)
        assert any(c in string.ascii_uppercase for c in password)
        assert any(c in string.digits for c in password)
        assert any(c in string.punctuation for c in password)
        assert set(password) <= set(generator.ALPHABET)


def test_character_draws_use_the_whole_alphabet_and_differ():
    drawn = [generator.characters(16) for _ in range(SAMPLES)]
    assert len(set(drawn)) == SAMPLES
    assert set("".join(drawn)) == set(string.ascii_letters + string.digits + string.punctuation)


def test_character_entropy_counts_the_strings_that_hold_every_class():
    # Brute force over a tiny alphabet agrees with the inclusion-exclusion count.
    classes = ("ab", "C", "1", "#!")
    for length in range(4, 7):
        count = sum(
            all(any(c in chars for c in word) for chars in classes)
            for word in itertools.product("".join(classes), repeat=length)
        )
        assert generator.character_entropy(length, tuple(map(len, classes))) == pytest.approx(math.log2(count))
    # For the real alphabet: a little under log2(94) per character.
    bits = generator.character_entropy(16)
    assert 16 * math.log2(94) - 0.5 < bits < 16 * math.log2(94)
    assert generator.generate(Options(num_chars=16)).entropy_bits == round(bits, 2)


def test_words_come_from_the_bundled_list_within_the_lengths():
    words = set(generator.load_words(str(generator.BUNDLED_WORDFILE)))
    assert len(words) == 7772 and "abacus" in words and "t-shirt" not in words
    options = Options(numwords=6, min_length=6, max_length=8, delimiter="-")
    pool = generator.word_pool(None, 6, 8)
    for _ in range(SAMPLES // 3):
        result = generator.generate(options)
        parts = result.password.split("-")
        assert len(parts) == 6 and set(parts) <= words and all(6 <= len(p) <= 8 for p in parts)
    assert result.entropy_bits == round(6 * math.log2(len(pool)), 2)
    assert len(pool) == 1372 + 1591 + 1779 - 2  # 6 to 8 letters, less felt-tip and t-shirt


def test_a_configured_word_file_replaces_the_bundled_one(tmp_path):
    wordfile = tmp_path / "words.txt"
    wordfile.write_text("11111\tapple\n11112\tbanana\ncherry\n\nnot-a-word\nx\n", encoding="utf-8")
    result = generator.generate(Options(numwords=4, min_length=5), wordfile)
    assert set(result.password.split(" ")) <= {"apple", "banana", "cherry"}
    assert result.entropy_bits == round(4 * math.log2(3), 2)


def test_word_options_that_cannot_be_met_are_refused(tmp_path):
    with pytest.raises(ApiError) as refused:
        generator.generate(Options(numwords=4, min_length=10, max_length=20))
    assert refused.value.error == "Invalid password generation options!"
    assert "too few words" in refused.value.description
    with pytest.raises(ApiError) as refused:
        generator.generate(Options(numwords=20, max_length=9, delimiter="=" * 10))
    assert "longer than 255" in refused.value.description
    with pytest.raises(ApiError) as refused:
        generator.generate(Options(numwords=4), tmp_path / "missing.txt")
    assert (refused.value.status, refused.value.error) == (500, "Word list unavailable")


@pytest.fixture
def generate(vault):
    def call(status=200, **query):
        return vault.get("generate", status=status, **query)

    return call


def test_generate_endpoint_characters(generate):
    answer = generate()
    assert set(answer) == {"result", "password", "entropy_bits"} and answer["result"] == "success"
    assert len(answer["password"]) == 16
    assert answer["entropy_bits"] == round(generator.character_entropy(16), 2)
    assert len(generate(numChars="40")["password"]) == 40


def test_generate_endpoint_words(generate):
    answer = generate(numwords="5", delimiter=".", min_length="7", max_length="7")
    words = answer["password"].split(".")
    assert len(words) == 5 and all(len(word) == 7 for word in words)
    assert answer["entropy_bits"] == round(5 * math.log2(1590), 2)  # 7 letters, less t-shirt


@pytest.mark.parametrize(
    "query, description",
    [
        ({"numChars": "7"}, "For sanity's sake, numChars must be between 8 and 100 characters."),
        ({"numChars": "many"}, "For sanity's sake, numChars must be between 8 and 100 characters."),
        (
            {"min_length": "3", "numChars": "7"},
            "For sanity's sake, minimum word length must be a number in the range between 5 and 15.",
        ),
        ({"min_length": "9", "max_length": "8"}, "Minimum length cannot be larger than maximum length."),
        ({"numwords": "3"}, "For sanity's sake, numwords must be between 4 and 20."),
        ({"numwords": "21"}, "For sanity's sake, numwords must be between 4 and 20."),
    ],
)
def test_generate_endpoint_refusals(generate, query, description):
    answer = generate(status=400, **query)
    assert answer == {"status_code": 400, "error": "Invalid password generation options!", "description": description}


def test_generate_needs_a_token_but_no_passphrase(client, vault):
    assert client.get("/v1/generate", status=401).json["error"] == "Authorization Required"
    answer = client.get("/api/v1/generate", headers={"x-opp-jwt": vault.headers["x-opp-jwt"]})
    assert len(answer.json["password"]) == 16


def test_items_in_words_mode(vault):
    items = vault.add_items(
        {"name": "a"}, {"name": "b"}, auto_pass=True, unique=True, genopts={"numwords": 4, "delimiter": "_"}
    )
    first, second = (item["password"].split("_") for item in items)
    assert len(first) == len(second) == 4 and first != second


def test_items_use_the_configured_word_file(config, clock, tmp_path):
    wordfile = tmp_path / "words.txt"
    wordfile.write_text("alpha\nbravo\n", encoding="utf-8")
    client = webtest.TestApp(make_app(config.replace(wordfile=str(wordfile)), clock=clock))
    vault = Vault(client, Auth(client).user())
    (item,) = vault.add_items({"name": "x"}, auto_pass=True, genopts={"numwords": 4})
    assert set(item["password"].split(" ")) <= {"alpha", "bravo"}
