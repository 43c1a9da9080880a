"""Reading changed files for ingestion: plain blocking work, run off the event loop."""

import hashlib
import os
from dataclasses import dataclass

from bot.posts import ParsedPost, PostError, PostFile, parse_post, read_post_bytes
from bot.store import FileStamp


@dataclass(frozen=True, slots=True)
class Parsed:
    """A file whose content is new to the store."""

    parsed: ParsedPost
    stamp: FileStamp


@dataclass(frozen=True, slots=True)
class Touched:
    """A file whose stat changed but whose bytes did not: only its stamp needs saving."""

    stamp: FileStamp


@dataclass(frozen=True, slots=True)
class Rejected:
    path: str
    reason: str


Outcome = Parsed | Touched | Rejected


def read_files(files: list[PostFile], known: dict[str, FileStamp]) -> list[Outcome]:
    return [read_file(file, known.get(file.path)) for file in files]


def read_file(file: PostFile, known: FileStamp | None) -> Outcome:
    try:
        data = read_post_bytes(file.path)
        digest = hashlib.sha256(data).hexdigest()
        if known is not None and known.content_hash == digest:
            return Touched(FileStamp(file.path, known.post_id, len(data), file.mtime_ns, digest))
        parsed = parse_post(data, os.path.basename(file.path))
    except PostError as error:
        return Rejected(file.path, error.reason)
    stamp = FileStamp(file.path, parsed.post.id, len(data), file.mtime_ns, digest)
    return Parsed(parsed, stamp)
