"""The Pwned Passwords search: found by interpolation, with few bounded reads, never the whole file."""

import math
import secrets

import pytest

from oppmini.vault.health.pwned import INTERPOLATIONS, READ_BYTES, WINDOW_BYTES, PwnedFile, PwnedFileError
from pwnedfile import sha1_of, write_pwned_file


class CountingReader:
    """A file object that counts the reads made through it and the bytes they return."""

    def __init__(self, inner):
        self.inner = inner
        self.reads = self.bytes = 0

    def seek(self, offset):
        return self.inner.seek(offset)

    def read(self, size=-1):
        data = self.inner.read(size)
        self.reads += 1
        self.bytes += len(data)
        return data

    def close(self):
        self.inner.close()


def counted(path):
    pwned = PwnedFile(path)
    pwned._file = CountingReader(pwned._file)
    return pwned


@pytest.mark.parametrize("lines", [0, 1, 2, 3, 50, 4099])
def test_every_line_is_found_and_others_are_not(tmp_path, lines):
    seen = {"hunter2": 17, "password": 9_545_824}
    path = write_pwned_file(tmp_path / "pwned.txt", lines, seen)
    with PwnedFile(path) as pwned:
        assert pwned.count("hunter2") == 17 and pwned.count("password") == 9_545_824
        assert pwned.count("not in the list, surely 8f3a") == 0
        for line in path.read_bytes().splitlines()[:: max(1, lines // 40)]:
            digest, _, count = line.decode().partition(":")
            assert pwned.count_sha1(digest) == int(count)


def test_lines_with_lf_only_and_no_final_line_break(tmp_path):
    path = tmp_path / "pwned.txt"
    digests = sorted([sha1_of("a"), sha1_of("b"), sha1_of("c")])
    path.write_text("\n".join(f"{digest}:{n}" for n, digest in enumerate(digests, 1)))
    with PwnedFile(path) as pwned:
        assert [pwned.count(word) for word in "abc"] == [digests.index(sha1_of(word)) + 1 for word in "abc"]


def lookups(pwned, passwords):
    """[(reads, bytes read)] of each lookup of `passwords`."""
    spent = []
    for password in passwords:
        before = pwned._file.reads, pwned._file.bytes
        pwned.count(password)
        spent.append((pwned._file.reads - before[0], pwned._file.bytes - before[1]))
    return spent


def test_a_lookup_takes_one_or_two_bounded_reads_on_evenly_spread_hashes_never_the_whole_file(tmp_path):
    path = write_pwned_file(tmp_path / "pwned.txt", 60_000, {"hunter2": 3})
    size = path.stat().st_size
    passwords = ["hunter2", "", "zzzz", *(f"absent {n}" for n in range(200))]
    with counted(path) as pwned:
        spent = lookups(pwned, passwords)
        assert pwned.count("hunter2") == 3
    reads = [count for count, _ in spent]
    assert min(reads) >= 1 and max(reads) <= 3
    assert sum(reads) / len(reads) <= 2
    assert all(read_bytes <= count * READ_BYTES < size / 50 for count, read_bytes in spent)


def test_hashes_bunched_in_one_corner_still_take_a_bounded_number_of_reads(tmp_path):
    # Nearly all hashes start with 0000 and the rest are spread: each guess from the ends' values misses, and
    # the search halves the range after INTERPOLATIONS of them.
    seen = {"hunter2": 5}
    bunched = sorted(f"0000{secrets.token_hex(18).upper()}" for _ in range(40_000))
    spread = [sha1_of(f"spread {n}") for n in range(200)]
    lines = sorted([*bunched, *spread, sha1_of("hunter2")])
    path = tmp_path / "pwned.txt"
    path.write_bytes(
        b"".join(f"{d}:{seen.get('hunter2', 1) if d == sha1_of('hunter2') else 1}\r\n".encode() for d in lines)
    )
    size = path.stat().st_size
    bound = INTERPOLATIONS + math.ceil(math.log2(size / WINDOW_BYTES)) + 1
    with counted(path) as pwned:
        spent = lookups(pwned, ["hunter2", "absent", *(f"spread {n}" for n in range(0, 200, 20))])
        assert pwned.count("hunter2") == 5
        assert pwned.count_sha1(bunched[12_345]) == 1 and pwned.count_sha1(f"0000{'F' * 36}") == 0
    assert max(count for count, _ in spent) <= bound
    assert all(read_bytes <= count * READ_BYTES for count, read_bytes in spent)


def test_a_file_that_is_no_list_is_refused_not_searched_whole(tmp_path):
    path = tmp_path / "pwned.txt"
    path.write_bytes(b"x" * 10_000)
    with PwnedFile(path) as pwned, pytest.raises(PwnedFileError):
        pwned.count("hunter2")
