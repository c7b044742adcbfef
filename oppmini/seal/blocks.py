"""Many messages as matrices of 16-byte blocks, so that one AES call can work on a block of each.

The batched EAX opening (oppmini/seal/eax.py) advances the CMAC chains of many
records together: at each block position, one ECB call over the block at that
position of every record still running. Cutting those blocks out record by
record costs more than the AES work, so the records are regrouped here with
a few C-level copies instead: padded as CMAC pads a last block, sorted by
block count, and each group of equal block count laid out position by
position (the transpose of the records laid end to end).
"""

from bisect import bisect_right

BLOCK = 16
# CMAC's padding of a message of `length % BLOCK` extra bytes: none when it ends on a block boundary.
PADDING = [b""] + [b"\x80" + bytes(BLOCK - 1 - tail) for tail in range(1, BLOCK)]
_ONE = bytes(BLOCK - 1) + b"\x01"
# A start block with these first 8 bytes might wrap past 2^128 within 2^64 blocks; any other cannot.
_NEAR_WRAP = b"\xff" * 8


class Stack:
    """The messages of one batch, sorted by block count and grouped for block-position work.

    `groups` holds (blocks, rows, matrix) in ascending block count, where block
    p of row r of the group is matrix[BLOCK * (p * rows + r):][:BLOCK]: block p
    of the group's r-th message, padded as CMAC pads its last block. `lengths`
    are the messages' lengths in that same sorted order.
    """

    def __init__(self, messages):
        lengths = list(map(len, messages))
        counts = [-(-length // BLOCK) for length in lengths]
        order = sorted(range(len(messages)), key=counts.__getitem__)
        # Records come in id order, where most kinds (nonces, headers) already sort by size.
        self.order = None if order == list(range(len(order))) else order
        if self.order is not None:
            messages, lengths, counts = ([values[k] for k in order] for values in (messages, lengths, counts))
        self.lengths = lengths
        self.groups = []
        start = 0
        for blocks in sorted(set(counts)):
            end = bisect_right(counts, blocks, start)
            if min(lengths[start:end]) == max(lengths[start:end]):
                padding = PADDING[lengths[start] % BLOCK]  # one length (nonces): padded by the join itself
                padded = padding.join(messages[start:end]) + padding
            else:
                padded = b"".join([message + PADDING[len(message) % BLOCK] for message in messages[start:end]])
            self.groups.append((blocks, end - start, transpose(padded, end - start, blocks)))
            start = end

    def in_order(self, values):
        """Per-message values listed in sorted order, listed in the messages' order."""
        if self.order is None:
            return values
        ordered = [None] * len(values)
        for value, k in zip(values, self.order, strict=True):
            ordered[k] = value
        return ordered

    def blocks_in_order(self, buffer):
        """One 16-byte block per message, in sorted order, in the messages' order."""
        if self.order is None:
            return buffer
        return b"".join(self.in_order(split_blocks(buffer)))

    def sorted_blocks(self, buffer):
        """One 16-byte block per message, given in the messages' order, in sorted order."""
        if self.order is None:
            return buffer
        return b"".join([buffer[BLOCK * k : BLOCK * k + BLOCK] for k in self.order])


def split_blocks(buffer):
    return [buffer[i : i + BLOCK] for i in range(0, len(buffer), BLOCK)]


def transpose(buffer, rows, columns):
    """A rows x columns matrix of 16-byte blocks, laid out row by row, laid out column by column
    (a bytearray, or the buffer itself when a row or column is all there is).

    Through the 8-byte halves of the blocks: memoryview copies a strided run of
    them in C, one run per column (or row, whichever there are fewer of).
    """
    if rows <= 1 or columns <= 1:
        return buffer
    source = memoryview(buffer).cast("Q")
    result = bytearray(len(buffer))
    target = memoryview(result).cast("Q")
    for half in (0, 1):
        if columns <= rows:
            for column in range(columns):
                start = 2 * column * rows + half
                target[start : start + 2 * rows : 2] = source[2 * column + half :: 2 * columns]
        else:
            for row in range(rows):
                start = 2 * row * columns + half
                target[2 * row + half :: 2 * rows] = source[start : start + 2 * columns : 2]
    return result


def position_counters(starts, blocks):
    """CTR counter blocks for messages of `blocks` blocks each, position by position.

    `starts` holds each message's first counter block; block p of message r is
    its start plus p, over all 128 bits (wrapping as pycryptodome's CTR does),
    at BLOCK * (p * rows + r), so that the keystream lines up with a Stack matrix.
    """
    rows = len(starts) // BLOCK
    size = rows * BLOCK
    if _NEAR_WRAP not in starts:
        # No start is within 2^64 of wrapping, so adding p to every block at once carries into no neighbour.
        first, ones = int.from_bytes(starts, "big"), int.from_bytes(_ONE * rows, "big")
        return b"".join([(first + p * ones).to_bytes(size, "big") for p in range(blocks)])
    values = [int.from_bytes(block, "big") for block in split_blocks(starts)]
    return b"".join([((value + p) % (1 << 128)).to_bytes(BLOCK, "big") for p in range(blocks) for value in values])
