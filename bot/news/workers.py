"""Where ingestion parses files: worker processes for large jobs, so parsing runs on another core
while the event loop writes to the database; the default thread pool for small ones."""

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

# Below this many files, starting a worker process costs more than it saves.
PROCESSES_FROM = 1000


@contextmanager
def parse_workers(use_processes: bool) -> Iterator[Executor | None]:
    if not use_processes:
        yield None
        return
    # As many as there are cores: the event loop mostly waits on the database driver.
    count = os.cpu_count() or 2
    # Spawned, not forked: the parent already runs threads (the database driver's among them).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        yield pool
