"""A post sent over HTTP (``POST /ingest``) becomes a file in the posts directory, then is
ingested like any other: the directory stays the one source of truth, so the post survives
re-scans and restarts, and editing or deleting it works the same as for any other post file."""

import asyncio
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot import messages
from bot.news.ingest.gate import IngestGate
from bot.posts import POST_SUFFIXES, PostError, parse_post
from bot.posts.text import MAX_FILE_NAME_BYTES, slugify
from bot.store import Store
from bot.store.post_writes import file_post_id

_SAFE_NAME = re.compile(r"^[\w][\w.-]*$")


class UploadRejectedError(Exception):
    """The body is not a post newsbot can take; ``reason`` says why, for the sender."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Uploaded:
    post_id: str
    path: Path
    status: str  # "new", "updated" or "unchanged"


async def accept_upload(
    store: Store, posts_dir: Path, data: bytes, name: str | None, gate: IngestGate
) -> Uploaded:
    """Write the post as ``name`` (default: ``YYYY-MM-DD-title-slug.md`` from its front matter)
    into ``posts_dir`` and ingest it. A post that is rejected leaves the directory as it was."""
    filename = name_for(data, name)
    target = posts_dir / filename
    async with gate.turn(wait=True):
        previous = await asyncio.to_thread(_write, target, data)
        report = await gate.ingest([target])
        if report.rejected:
            await asyncio.to_thread(_restore, target, previous)
            raise UploadRejectedError(report.rejected[0].text)
    absolute = await asyncio.to_thread(os.path.abspath, target)  # as ingestion names it
    async with store.sessions() as session:
        # The file's post, which keeps its id when an edit changed the title.
        stored = await file_post_id(session, absolute)
    post_id = stored or parse_post(data, filename).post.id
    status = "new" if report.new else "updated" if report.updated else "unchanged"
    return Uploaded(post_id, target, status)


async def remove_upload(store: Store, posts_dir: Path, name: str | None, gate: IngestGate) -> int:
    """Delete the post file ``name`` from ``posts_dir`` and its post from the store (``DELETE
    /ingest``); how many posts left the store. UploadRejectedError for a bad or unknown name."""
    if not name:
        raise UploadRejectedError(messages.DELETE_NEEDS_NAME)
    target = posts_dir / _checked_name(name)
    async with gate.turn(wait=True):
        try:
            await asyncio.to_thread(target.unlink)
        except FileNotFoundError as error:
            raise UploadRejectedError(messages.DELETE_NO_FILE.format(name=name)) from error
        report = await gate.ingest([target])
    return report.removed


def _checked_name(name: str) -> str:
    if not _SAFE_NAME.fullmatch(name) or not name.lower().endswith(POST_SUFFIXES):
        raise UploadRejectedError(messages.UPLOAD_BAD_NAME.format(name=name[:100]))
    size = len(name.encode())
    if size > MAX_FILE_NAME_BYTES:
        shown = name[:40] + "…"
        too_long = messages.UPLOAD_NAME_TOO_LONG.format(
            name=shown, size=size, limit=MAX_FILE_NAME_BYTES
        )
        raise UploadRejectedError(too_long)
    return name


def name_for(data: bytes, name: str | None) -> str:
    """The file name the post is stored under; raises UploadRejectedError for a bad post."""
    filename = _checked_name(name) if name is not None else _derived_name(data)
    try:
        parse_post(data, filename)
    except PostError as error:
        raise UploadRejectedError(error.reason) from error
    return filename


def _derived_name(data: bytes) -> str:
    try:
        post = parse_post(data, "upload.md").post
    except PostError as error:
        raise UploadRejectedError(error.reason) from error
    return f"{post.published_at:%Y-%m-%d}-{slugify(post.title) or post.id}.md"


def _write(target: Path, data: bytes) -> bytes | None:
    """Replace ``target`` with ``data`` atomically (a hidden temporary file, which scans skip,
    renamed over it); returns what it held before, if anything."""
    target.parent.mkdir(parents=True, exist_ok=True)
    previous = target.read_bytes() if target.exists() else None
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return previous


def _restore(target: Path, previous: bytes | None) -> None:
    if previous is None:
        target.unlink(missing_ok=True)
    else:
        _write(target, previous)
