"""Reading changed files for ingestion: blocking work, run off the event loop.

This module runs in ingestion's worker processes, so it imports only the posts layer.
"""

import asyncio
import hashlib
import os
from collections import deque
from collections.abc import AsyncIterator
from concurrent.futures import Executor
from dataclasses import dataclass

from bot.posts import ParsedPost, PostError, PostFile, parse_post, read_post_bytes
from bot.posts.model import Compact

READ_AHEAD = 4  # batches in flight beyond the one being stored


@dataclass(frozen=True, slots=True)
class FileFacts(Compact):
    """A file as it was read: its stat and the hash of the bytes that were parsed."""

    path: str
    size: int
    mtime_ns: int
    content_hash: str


@dataclass(frozen=True, slots=True)
class Parsed(Compact):
    """A file whose content is new to the store."""

    parsed: ParsedPost
    facts: FileFacts


@dataclass(frozen=True, slots=True)
class Touched(Compact):
    """A file whose stat changed but whose bytes did not: only its stamp needs saving."""

    facts: FileFacts


@dataclass(frozen=True, slots=True)
class Rejected(Compact):
    path: str
    reason: str


Outcome = Parsed | Touched | Rejected


def read_files(files: list[PostFile], known_hashes: dict[str, str]) -> list[Outcome]:
    return [read_file(file, known_hashes.get(file.path)) for file in files]


def read_file(file: PostFile, known_hash: str | None) -> Outcome:
    try:
        data = read_post_bytes(file.path)
        facts = FileFacts(file.path, len(data), file.mtime_ns, hashlib.sha256(data).hexdigest())
        if facts.content_hash == known_hash:
            return Touched(facts)
        parsed = parse_post(data, os.path.basename(file.path), facts.content_hash)
        return Parsed(parsed, facts)
    except PostError as error:
        return Rejected(file.path, error.reason)


async def read_ahead(
    workers: Executor | None, batches: list[list[PostFile]], known_hashes: dict[str, str]
) -> AsyncIterator[list[Outcome]]:
    """Each batch's outcomes in order, while the next batches are read in ``workers`` (the
    default thread pool if None), so parsing overlaps with whatever the caller does."""
    loop = asyncio.get_running_loop()
    pending: deque[asyncio.Future[list[Outcome]]] = deque()
    for batch in batches:
        # Only this batch's hashes: a worker process would otherwise be sent the whole index.
        hashes = {f.path: known_hashes[f.path] for f in batch if f.path in known_hashes}
        pending.append(loop.run_in_executor(workers, read_files, batch, hashes))
        if len(pending) > READ_AHEAD:
            yield await pending.popleft()
    while pending:
        yield await pending.popleft()
