"""Turns: batches numbered 0, 1, 2… are written strictly in that order by whichever thread or
process holds each, so every batch sees the ones before it and a run's result never depends on
which worker was quicker."""

from multiprocessing.context import BaseContext
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Condition


class AbandonedError(RuntimeError):
    """The ingest these turns belong to has failed; its remaining batches are not written."""


class Turns:
    """Shared by the threads and processes of one ingest (pass it to a spawned process at
    start-up, as its initializer's argument)."""

    def __init__(self, context: BaseContext) -> None:
        self.condition: Condition = context.Condition()
        self.next: Synchronized[int] = context.Value("q", 0, lock=False)
        self.abandoned: Synchronized[bool] = context.Value("b", False, lock=False)

    def wait(self, index: int) -> None:
        """Until batch ``index`` may be written; raises AbandonedError if the ingest gave up."""
        with self.condition:
            self.condition.wait_for(lambda: self.next.value == index or self.abandoned.value)
            if self.abandoned.value:
                raise AbandonedError(f"batch {index} was not written: the ingest stopped")

    def done(self, index: int) -> None:
        """Batch ``index`` is written, or failed: the next may go."""
        with self.condition:
            self.next.value = index + 1
            self.condition.notify_all()

    def skip(self, index: int) -> None:
        """Batch ``index`` will not be written (it could not be read): pass its turn on."""
        self.wait(index)
        self.done(index)

    def abandon(self) -> None:
        """Release every waiter: nothing more will be written."""
        with self.condition:
            self.abandoned.value = True
            self.condition.notify_all()
