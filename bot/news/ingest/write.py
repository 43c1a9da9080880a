"""Writing one batch of read files to the store, inside the caller's transaction.

The store itself is the ledger of which file holds each post id: batches are written one at a time
and in order (by whichever process read them), so each batch sees every earlier one. Two files that
claim the same id are caught, and a moved file takes its post along.

A file keeps its post: a file whose title (and so its id) changed is still the post it was, and
a new file with the very content of a file that is gone (a rename) takes that file's post, so a
channel that got the post does not get it again.
"""

import os
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from bot import messages
from bot.news.ingest.read import FileFacts, Outcome, Parsed, Rejected, Touched
from bot.news.ingest.report import IngestReport, Problem
from bot.store import FileStamp
from bot.store.batch_connection import Connection, Dialect
from bot.store.post_writes import (
    FileOwner,
    PreparedPost,
    file_owners,
    forget_files,
    prepare_posts,
    save_prepared,
    save_stamps,
    stage_posts,
)

_NONE: Mapping[str, FileStamp] = {}


class PreparedBatch(NamedTuple):
    """A batch's outcomes, each new post's rows ready beside it (None for the other outcomes)."""

    outcomes: Sequence[Outcome]
    posts: Sequence[PreparedPost | None]


def prepare_batch(dialect: Dialect, outcomes: Sequence[Outcome]) -> PreparedBatch:
    """Everything about writing ``outcomes`` that needs no database (done before the turn)."""
    parsed = [(o.post, o.facts.path) for o in outcomes if isinstance(o, Parsed)]
    prepared = iter(prepare_posts(dialect, parsed))
    return PreparedBatch(
        outcomes, [next(prepared) if isinstance(o, Parsed) else None for o in outcomes]
    )


def stage_batch(connection: Connection, batch: PreparedBatch) -> None:
    """What the database can do for the batch before its turn to write (PostgreSQL builds its
    search vectors), in a transaction of its own on the connection that writes the batch."""
    stage_posts(connection, [post for post in batch.posts if post is not None])


def write_batch(
    connection: Connection,
    outcomes: Sequence[Outcome],
    known: Mapping[str, FileStamp],
    vanished: Mapping[str, FileStamp] = _NONE,
) -> IngestReport:
    """Store a batch's outcomes; ``known`` holds the stored stamp of each file that has one,
    ``vanished`` the stamps of known files that are gone, by content hash."""
    batch = prepare_batch(connection.dialect, outcomes)
    return write_prepared(connection, batch, known, vanished)


def write_prepared(
    connection: Connection,
    batch: PreparedBatch,
    known: Mapping[str, FileStamp],
    vanished: Mapping[str, FileStamp] = _NONE,
) -> IngestReport:
    """``write_batch`` for a batch already through ``prepare_batch``."""
    batch = _keep_identities(connection.dialect, batch, known, vanished)
    report = IngestReport()
    parsed = [outcome for outcome in batch.outcomes if isinstance(outcome, Parsed)]
    owners = _Owners(file_owners(connection, {outcome.post.id for outcome in parsed}))
    saved: list[tuple[PreparedPost, FileStamp]] = []
    touched: list[FileStamp] = []
    moved_from: list[str] = []  # files whose post another file now holds
    for outcome, prepared in zip(batch.outcomes, batch.posts, strict=True):
        if isinstance(outcome, Rejected):
            report.rejected.append(Problem(outcome.path, outcome.reason))
        elif isinstance(outcome, Touched):
            touched.append(_stamp(outcome.facts, known[outcome.facts.path].post_id))
            report.unchanged += 1
        elif prepared is not None and _accept(outcome, owners, report):
            stamp = _stamp(outcome.facts, outcome.post.id)
            saved.append((prepared, stamp))
            moved_from.extend(filter(None, [owners.claim(stamp)]))
    forget_files(connection, moved_from)
    save_prepared(connection, saved)
    save_stamps(connection, touched)
    return report


def _keep_identities(
    dialect: Dialect,
    batch: PreparedBatch,
    known: Mapping[str, FileStamp],
    vanished: Mapping[str, FileStamp],
) -> PreparedBatch:
    """The batch with each file's post id the one its file already holds: its own stored post,
    or, for a new file, the post of a vanished file with the same content. Rare: prepared
    again only for the files whose id changed."""
    outcomes = list(batch.outcomes)
    posts = list(batch.posts)
    claimed: set[str] = set()
    for index, outcome in enumerate(outcomes):
        if not isinstance(outcome, Parsed):
            continue
        held = _held_id(outcome, known, vanished, claimed)
        if held is not None and held != outcome.post.id:
            record = outcome.post._replace(id=held)
            outcomes[index] = outcome._replace(post=record)
            posts[index] = prepare_posts(dialect, [(record, outcome.facts.path)])[0]
    return PreparedBatch(outcomes, posts)


def _held_id(
    outcome: Parsed,
    known: Mapping[str, FileStamp],
    vanished: Mapping[str, FileStamp],
    claimed: set[str],
) -> str | None:
    stamp = known.get(outcome.facts.path)
    if stamp is not None:
        return stamp.post_id
    former = vanished.get(outcome.facts.content_hash)
    if former is None or former.path in claimed:
        return None
    claimed.add(former.path)  # one rename per vanished file, if it was copied twice
    return former.post_id


class _Owners:
    """The file holding each post id of the batch: as stored, then as the batch claims them."""

    def __init__(self, stored: dict[str, FileOwner]) -> None:
        self.owners = stored
        self.held = {owner.path: post_id for post_id, owner in stored.items()}

    def get(self, post_id: str) -> FileOwner | None:
        return self.owners.get(post_id)

    def rival(self, post_id: str, path: str) -> str | None:
        """Another file that still exists and holds this post id, if there is one."""
        owner = self.owners.get(post_id)
        if owner is None or owner.path == path or not os.path.exists(owner.path):
            return None
        return owner.path

    def claim(self, stamp: FileStamp) -> str | None:
        """Record ``stamp``'s file as its post's owner; returns a vanished former owner's path."""
        released = self.held.get(stamp.path)
        if released is not None and released != stamp.post_id:
            self._release(released, stamp.path)
        former = self.owners.get(stamp.post_id)
        self.owners[stamp.post_id] = FileOwner(stamp.path, stamp.content_hash)
        self.held[stamp.path] = stamp.post_id
        return former.path if former is not None and former.path != stamp.path else None

    def _release(self, post_id: str, path: str) -> None:
        """``path`` no longer holds ``post_id`` (its title, and so its id, changed)."""
        owner = self.owners.get(post_id)
        if owner is not None and owner.path == path:
            del self.owners[post_id]


def _stamp(facts: FileFacts, post_id: str) -> FileStamp:
    return FileStamp(facts.path, post_id, facts.size, facts.mtime_ns, facts.content_hash)


def _accept(outcome: Parsed, owners: _Owners, report: IngestReport) -> bool:
    post, path = outcome.post, outcome.facts.path
    rival = owners.rival(post.id, path)
    if rival is not None:
        reason = messages.DUPLICATE_ID.format(post_id=post.id, other=rival)
        report.rejected.append(Problem(path, reason))
        return False
    report.warnings.extend(Problem(path, text) for text in outcome.warnings)
    previous = owners.get(post.id)
    if previous is None:
        report.new += 1
    elif previous.content_hash == post.content_hash:
        report.unchanged += 1
    else:
        report.updated += 1
    return True
