"""Reading changed files for ingestion: blocking work, run off the event loop (in a thread, or
in one of ingestion's worker processes)."""

import hashlib
import os
from collections.abc import Mapping
from typing import NamedTuple

from bot.posts import PostError, PostFile, PostRecord, parse_record, read_post_bytes
from bot.store import FileStamp

Known = Mapping[str, FileStamp]  # the stored stamp of each file that has one, by path
Vanished = Mapping[str, FileStamp]  # the stamps of known files that are gone, by content hash


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


def read_batch(files: list[PostFile], known: Known) -> list[Outcome]:
    """Each file's outcome; a file whose bytes hash as stored comes back as only touched."""
    outcomes = []
    for file in files:
        stamp = known.get(file.path)
        outcomes.append(read_file(file, None if stamp is None else stamp.content_hash))
    return outcomes
