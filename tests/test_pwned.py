"""The Pwned Passwords search: found by binary search, with few bounded reads, never the whole file."""

import math

import pytest

from oppmini.vault.health.pwned import READ_BYTES, PwnedFile, PwnedFileError
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


def test_a_lookup_reads_about_log2_of_the_file_in_bounded_reads_never_the_whole(tmp_path):
    path = write_pwned_file(tmp_path / "pwned.txt", 60_000, {"hunter2": 3})
    size = path.stat().st_size
    bound = math.ceil(math.log2(size)) + 2
    pwned = counted(path)
    with pwned:
        for password in ("hunter2", "absent one", "absent two", "zzzz", ""):
            before = pwned._file.reads, pwned._file.bytes
            pwned.count(password)
            reads, read_bytes = pwned._file.reads - before[0], pwned._file.bytes - before[1]
            assert 1 <= reads <= bound
            assert read_bytes <= reads * READ_BYTES < size / 100


def test_a_file_that_is_no_list_is_refused_not_searched_whole(tmp_path):
    path = tmp_path / "pwned.txt"
    path.write_bytes(b"x" * 10_000)
    with PwnedFile(path) as pwned, pytest.raises(PwnedFileError):
        pwned.count("hunter2")
