"""Telling readers that posts changed: a counter that goes up after each committed write to
posts, so a memo of answers made from posts knows when it is out of date.

Store functions that write posts call ``mark_posts_changed`` on their session; the counter
goes up only once that session commits, never before: an answer read while the write was still
uncommitted is then filed under the old count and is not served after the commit.
"""

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, sessionmaker

_WROTE_POSTS = "newsbot.wrote_posts"


class PostChanges:
    """How many transactions of this process have written posts; only ever goes up."""

    def __init__(self) -> None:
        self.count = 0

    def bump(self) -> None:
        self.count += 1


def mark_posts_changed(session: AsyncSession) -> None:
    session.info[_WROTE_POSTS] = True


def track_post_changes(sessions: sessionmaker[Session], changes: PostChanges) -> None:
    """Count ``sessions``' commits that wrote posts into ``changes``."""

    def after_commit(session: Session) -> None:
        if session.info.pop(_WROTE_POSTS, False):
            changes.bump()

    def after_rollback(session: Session) -> None:
        session.info.pop(_WROTE_POSTS, None)

    event.listen(sessions, "after_commit", after_commit)
    event.listen(sessions, "after_rollback", after_rollback)
