"""Attachments in backups (format 4): verify checks each file's chunks without their keys."""

import json

import pytest

from test_backup import edit_row, refused, rehashed, source_backup  # noqa: F401 (a fixture)


def without_line(table, nth):
    """The `nth` (from 0) row of `table` left out, the trailer's counts and checksum made to match."""

    def change(lines):
        rows = [i for i, line in enumerate(lines) if f'"table":"{table}"'.encode() in line]
        del lines[rows[nth]]
        trailer = json.loads(lines[-1])
        trailer["counts"][table] -= 1
        lines[-1] = json.dumps(trailer).encode() + b"\n"
        return rehashed(lines)

    return change


def first_chunk_cut(lines):
    return rehashed(edit_row("attachment_chunks", "sealed_chunk", lambda old: old[:-4])(lines))


def line_of(source, table, nth):
    lines = source.read_bytes().splitlines()
    return [number for number, line in enumerate(lines, 1) if f'"table":"{table}"'.encode() in line][nth]


# fill(): alice's file 1 has two chunks, her files 2 and 3 (the one in the trash) one each; then bob's 4 to 6.
# Each message names the line of the first chunk, `shift` lines up from where the unchanged file has it.
@pytest.mark.parametrize(
    "change, shift, message",
    [
        (without_line("attachment_chunks", 0), 0, "line {line}: attachment 1 has chunk 1 where chunk 0 belongs"),
        (without_line("attachment_chunks", 1), 0, "attachment 1 ends at chunk 1 of 2"),
        (first_chunk_cut, 0, "line {line}: attachment 1's chunk 0 is not of the length its place calls for"),
        (
            without_line("attachments", 0),
            1,
            "line {line}: attachment_chunks.attachment_id 1 names no attachments row before it",
        ),
    ],
    ids=["first-chunk-dropped", "last-chunk-dropped", "chunk-cut", "file-row-dropped"],
)
def test_a_file_missing_a_chunk_or_cut_fails_verify_and_restore_writes_nothing(
    tmp_path, source_backup, change, shift, message
):
    line = line_of(source_backup, "attachment_chunks", 0) - shift
    refused(tmp_path, source_backup, change, message.format(line=line))
