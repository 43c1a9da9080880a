"""Reading changed files for ingestion: blocking work, run off the event loop.

This module runs in ingestion's worker processes, so it imports only the posts layer (not even
asyncio: each worker process imports it at start).
"""

import hashlib
import os
from typing import Any, NamedTuple

from bot.posts import PostError, PostFile, PostRecord, parse_record, read_post_bytes

# The outcomes are tuples of plain values: thousands a second are pickled from the worker
# processes, and objects cost several times as much to send and to rebuild (with more work for
# the garbage collector in the process that writes the database). A Parsed outcome even travels
# as plain tuples (see read_files and received): NamedTuples pickle through a Python call each.


class FileFacts(NamedTuple):
    """A file as it was read: its stat and the hash of the bytes that were parsed."""

    path: str
    size: int
    mtime_ns: int
    content_hash: str


class Parsed(NamedTuple):
    """A file whose content is new to the store."""

    post: PostRecord
    facts: FileFacts
    warnings: tuple[str, ...]


class Touched(NamedTuple):
    """A file whose stat changed but whose bytes did not: only its stamp needs saving."""

    facts: FileFacts


class Rejected(NamedTuple):
    path: str
    reason: str


Outcome = Parsed | Touched | Rejected
Sent = tuple[tuple[Any, ...], tuple[Any, ...], tuple[str, ...]] | Touched | Rejected


def read_files(files: list[PostFile], known_hashes: dict[str, str]) -> list[Sent]:
    """Each file's outcome, ready to be pickled; ``received`` turns them back into outcomes."""
    return [_to_send(read_file(file, known_hashes.get(file.path))) for file in files]


def _to_send(outcome: Outcome) -> Sent:
    if isinstance(outcome, Parsed):
        return tuple(outcome.post), tuple(outcome.facts), outcome.warnings
    return outcome


def received(sent: list[Sent]) -> list[Outcome]:
    return [_received(item) for item in sent]


def _received(item: Sent) -> Outcome:
    if isinstance(item, Touched | Rejected):
        return item
    post, facts, warnings = item
    return Parsed(PostRecord._make(post), FileFacts._make(facts), warnings)


def read_file(file: PostFile, known_hash: str | None) -> Outcome:
    try:
        data = read_post_bytes(file.path)
        facts = FileFacts(file.path, len(data), file.mtime_ns, hashlib.sha256(data).hexdigest())
        if facts.content_hash == known_hash:
            return Touched(facts)
        post, warnings = parse_record(data, os.path.basename(file.path), facts.content_hash)
        return Parsed(post, facts, warnings)
    except PostError as error:
        return Rejected(file.path, error.reason)
