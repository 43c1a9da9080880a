"""Ingestion's turns: batches are written in order whichever worker reads first, and a failed
ingest never leaves a worker waiting for a turn that will not come."""

import multiprocessing
from collections.abc import Callable
from threading import Thread

import pytest

from bot.news.ingest.turns import AbandonedError, Turns


@pytest.fixture
def turns() -> Turns:
    return Turns(multiprocessing.get_context("spawn"))


def run_all(tasks: list[Callable[[], None]]) -> list[BaseException]:
    """Run each task in a thread of its own; the errors they raised."""
    errors: list[BaseException] = []

    def guarded(task: Callable[[], None]) -> None:
        try:
            task()
        except BaseException as error:  # collected for the test to inspect
            errors.append(error)

    threads = [Thread(target=guarded, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a worker is still waiting"
    return errors


def test_batches_are_written_in_order_whichever_worker_is_ready_first(turns: Turns) -> None:
    written: list[int] = []

    def write(index: int) -> None:
        turns.wait(index)
        written.append(index)
        turns.done(index)

    # Started last batch first, so each worker waits for the ones before it.
    assert run_all([lambda i=i: write(i) for i in reversed(range(6))]) == []  # type: ignore[misc]
    assert written == list(range(6))


def test_a_batch_that_could_not_be_read_passes_its_turn_on(turns: Turns) -> None:
    written: list[int] = []

    def write_second() -> None:
        turns.wait(1)
        written.append(1)
        turns.done(1)

    assert run_all([write_second, lambda: turns.skip(0)]) == []
    assert written == [1]


def test_abandoning_the_ingest_releases_workers_waiting_for_their_turn(turns: Turns) -> None:
    errors = run_all([lambda: turns.wait(3), lambda: turns.wait(4), turns.abandon])
    assert len(errors) == 2
    assert all(isinstance(error, AbandonedError) for error in errors)
