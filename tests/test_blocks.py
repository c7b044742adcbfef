"""oppmini/seal/blocks.py: the block matrices of the batched EAX opening, held to plain slicing and arithmetic."""

import random

import pytest

from oppmini.seal.blocks import BLOCK, PADDING, Stack, position_counters, transpose

MAX = 1 << 128


def block_at(buffer, index):
    return buffer[BLOCK * index : BLOCK * index + BLOCK]


@pytest.mark.parametrize("rows, columns", [(0, 3), (1, 1), (1, 5), (5, 1), (2, 3), (3, 2), (7, 40), (40, 7), (33, 33)])
def test_transpose_moves_every_block_from_row_order_to_column_order(rows, columns):
    buffer = random.Random(rows * 100 + columns).randbytes(BLOCK * rows * columns)
    result = transpose(buffer, rows, columns)
    assert len(result) == len(buffer)
    for row in range(rows):
        for column in range(columns):
            assert block_at(result, column * rows + row) == block_at(buffer, row * columns + column)
    assert transpose(result, columns, rows) == buffer


def test_a_stack_groups_padded_messages_by_block_count_and_keeps_their_order():
    rng = random.Random(2)
    messages = [rng.randbytes(rng.choice([0, 1, 15, 16, 17, 32, 33, 100])) for _ in range(60)]
    stack = Stack(messages)
    by_size = sorted(messages, key=lambda m: -(-len(m) // BLOCK))  # stable, as the stack sorts
    assert stack.lengths == [len(m) for m in by_size]
    assert [blocks for blocks, _, _ in stack.groups] == sorted({-(-len(m) // BLOCK) for m in messages})
    row = 0
    for blocks, rows, matrix in stack.groups:
        for r in range(rows):
            padded = by_size[row + r] + PADDING[len(by_size[row + r]) % BLOCK]
            assert len(padded) == BLOCK * blocks
            assert b"".join(block_at(matrix, p * rows + r) for p in range(blocks)) == padded
        row += rows
    assert row == len(messages)
    assert stack.in_order([len(m) for m in by_size]) == [len(m) for m in messages]
    tagged = b"".join(bytes([k]) * BLOCK for k in range(len(messages)))
    assert stack.blocks_in_order(stack.sorted_blocks(tagged)) == tagged


def test_a_stack_of_messages_already_in_size_order_is_not_reordered():
    messages = [bytes(n) for n in (0, 3, 16, 17, 17, 40)]
    stack = Stack(messages)
    assert stack.order is None
    assert stack.in_order(list(messages)) == messages


def naive_counters(starts, blocks):
    values = [int.from_bytes(block_at(starts, r), "big") for r in range(len(starts) // BLOCK)]
    return b"".join(((value + p) % MAX).to_bytes(BLOCK, "big") for p in range(blocks) for value in values)


@pytest.mark.parametrize("start", [0, 1, 255, MAX - (1 << 64) - 1, MAX - (1 << 64), MAX - 40, MAX - 1])
def test_counter_blocks_run_over_all_128_bits_and_wrap_as_pycryptodome_does(start):
    rng = random.Random(start % 1000)
    others = [rng.randrange(MAX) for _ in range(5)]
    starts = b"".join(value.to_bytes(BLOCK, "big") for value in others[:2] + [start] + others[2:])
    for blocks in (0, 1, 2, 37):
        assert position_counters(starts, blocks) == naive_counters(starts, blocks)


def test_counter_blocks_with_all_ones_bytes_that_straddle_two_starts():
    # Eight 0xff bytes across a block boundary look like a start near the wrap; the result is the same.
    starts = bytes(12) + b"\xff" * 4 + b"\xff" * 4 + bytes(12)
    for blocks in (1, 3):
        assert position_counters(starts, blocks) == naive_counters(starts, blocks)
