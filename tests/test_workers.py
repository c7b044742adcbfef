"""oppmini/seal/workers.py: work on other threads, results in the order given, a bounded look-ahead."""

import threading
import time

import pytest

from oppmini.seal.workers import in_order


def test_results_come_in_the_items_order_though_later_ones_finish_first():
    def slow_for_early(item):
        time.sleep(0.002 * (10 - item))
        return item * item, threading.get_ident()

    results = list(in_order(slow_for_early, range(10)))
    assert [square for square, _ in results] == [item * item for item in range(10)]
    # The work ran beside the caller, not on its thread.
    assert threading.get_ident() not in {thread for _, thread in results}


def test_items_are_read_on_the_callers_thread_and_at_most_ahead_beyond_the_awaited_one():
    readers, taken = set(), []

    def items():
        # A database connection lives on the thread that made it: the items are read there.
        for item in range(20):
            readers.add(threading.get_ident())
            taken.append(item)
            yield item

    for item in in_order(lambda item: item, items(), ahead=3):
        # While item n is handed back, no more than n + 1 + ahead have been taken from the items.
        assert len(taken) <= item + 1 + 3
    assert readers == {threading.get_ident()} and len(taken) == 20


def test_an_error_of_the_work_is_raised_where_its_result_was_due_and_the_rest_is_dropped():
    started = []

    def fails_at_three(item):
        started.append(item)
        if item == 3:
            raise ValueError("three")
        return item

    seen = []
    with pytest.raises(ValueError, match="three"):
        for result in in_order(fails_at_three, range(100), ahead=2):
            seen.append(result)
    assert seen == [0, 1, 2]
    # Work not yet started when the error came is never run.
    time.sleep(0.05)
    assert len(started) <= 3 + 1 + 2


def test_an_error_of_the_items_reaches_the_caller():
    def items():
        yield 1
        raise LookupError("the database said no")

    with pytest.raises(LookupError, match="said no"):
        list(in_order(lambda item: item, items()))
