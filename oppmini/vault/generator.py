"""Generated passwords: characters or words drawn with `secrets`, and their entropy."""

import logging
import math
import secrets
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..contract import errors
from ..contract.errors import ApiError, bad_request
from ..contract.payload import digits_number
from .rows import FIELD_LIMITS

log = logging.getLogger(__name__)

# Every generated character password holds one of each class.
CHARACTER_CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits, string.punctuation)
CLASS_SIZES = tuple(map(len, CHARACTER_CLASSES))
ALPHABET = "".join(CHARACTER_CLASSES)
# The EFF large word list (CC BY 3.0), see oppmini/words/README.md.
BUNDLED_WORDFILE = Path(__file__).resolve().parent / "words" / "eff_large_wordlist.txt"
# A generated password must fit an item's password field.
MAX_PASSWORD_LENGTH = FIELD_LIMITS["password"]
MAX_DELIMITER_LENGTH = 10
MIN_WORD_POOL = 2


@dataclass(frozen=True)
class Options:
    num_chars: int = 16
    min_length: int = 5
    max_length: int = 15
    numwords: int | None = None  # set: a passphrase of words instead of characters
    delimiter: str = " "


@dataclass(frozen=True)
class Generated:
    password: str
    entropy_bits: float


def read_options(genopts):
    """Options from `genopts` (JSON values, or query strings), checked in the contract's order."""
    if genopts is None:
        genopts = {}
    if not isinstance(genopts, dict):
        raise _invalid("'genopts' must be a JSON object.")
    min_length = _number(genopts, "min_length", 5, 5, 15, errors.GENOPTS_MIN_LENGTH)
    max_length = _number(genopts, "max_length", 15, 5, 20, errors.GENOPTS_MAX_LENGTH)
    if min_length > max_length:
        raise _invalid(errors.GENOPTS_MIN_OVER_MAX)
    num_chars = _number(genopts, "numChars", 16, 8, 100, errors.GENOPTS_NUM_CHARS)
    numwords = _number(genopts, "numwords", None, 4, 20, errors.GENOPTS_NUM_WORDS)
    delimiter = genopts.get("delimiter")
    if delimiter is None:
        delimiter = " "
    if not isinstance(delimiter, str) or len(delimiter) > MAX_DELIMITER_LENGTH or not delimiter.isprintable():
        raise _invalid(f"The delimiter must be a printable string of at most {MAX_DELIMITER_LENGTH} characters.")
    return Options(num_chars, min_length, max_length, numwords, delimiter)


def generate(options, wordfile=None):
    """A password for `options`: words when `numwords` is set, else characters."""
    if options.numwords is None:
        return Generated(characters(options.num_chars), round(character_entropy(options.num_chars), 2))
    pool = word_pool(wordfile, options.min_length, options.max_length)
    longest = options.numwords * max(map(len, pool)) + (options.numwords - 1) * len(options.delimiter)
    if longest > MAX_PASSWORD_LENGTH:
        raise _invalid(f"These options could make a passphrase longer than {MAX_PASSWORD_LENGTH} characters.")
    words = [secrets.choice(pool) for _ in range(options.numwords)]
    return Generated(options.delimiter.join(words), round(options.numwords * math.log2(len(pool)), 2))


def characters(length):
    """`length` characters, uniform over every string that holds each character class."""
    # Rejection keeps the draw uniform, so character_entropy is exact; even at
    # 8 characters about half the draws pass.
    while True:
        candidate = "".join(secrets.choice(ALPHABET) for _ in range(length))
        if all(any(char in chars for char in candidate) for chars in CHARACTER_CLASSES):
            return candidate


def character_entropy(length, class_sizes=CLASS_SIZES):
    """log2 of how many strings of `length` hold at least one character of every class."""
    # Inclusion-exclusion over the classes a string could lack.
    count = 0
    for lacking in range(1 << len(class_sizes)):
        missing = [size for bit, size in enumerate(class_sizes) if lacking >> bit & 1]
        count += (-1) ** len(missing) * (sum(class_sizes) - sum(missing)) ** length
    return math.log2(count)


def word_pool(wordfile, min_length, max_length):
    """The distinct words of the list with `min_length` to `max_length` letters."""
    words = load_words(str(wordfile or BUNDLED_WORDFILE))
    pool = [word for word in words if min_length <= len(word) <= max_length]
    if len(pool) < MIN_WORD_POOL:
        raise _invalid(f"The word list holds too few words of {min_length} to {max_length} letters.")
    return pool


@lru_cache(maxsize=4)
def load_words(path):
    """Words of a file with one per line; Diceware's 'dice<TAB>word' lines work too."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        log.error("word list %s cannot be read: %s", path, error)
        raise ApiError(500, errors.WORDLIST_UNAVAILABLE, "The server's word list cannot be read.") from None
    # Letters only, so a delimiter can never be mistaken for part of a word.
    words = {line.split()[-1] for line in text.splitlines() if line.split()}
    return tuple(sorted(word for word in words if word.isalpha()))


def _number(genopts, name, default, low, high, description):
    value = genopts.get(name)
    if value is None:
        return default
    # Query strings and form fields send numbers as text; too many digits is no option.
    if isinstance(value, str):
        value = digits_number(value.strip(), len(str(high)))
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _invalid(description)
    return value


def _invalid(description):
    return bad_request(errors.INVALID_GENOPTS, description)
