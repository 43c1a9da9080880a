"""Text for a terminal: the ingest summary, post listings and the progress bar."""

from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from tqdm import tqdm

from bot import messages
from bot.news.ingest.scan import IngestReport
from bot.posts import Post
from bot.posts.text import UNSAFE_CHARACTERS


def report_lines(report: IngestReport, roots: Sequence[Path]) -> Iterator[str]:
    if report.files == 0 and not report.removed:
        yield messages.INGEST_NOTHING_FOUND.format(paths=", ".join(map(str, roots)))
        return
    for problem in report.warnings:
        yield messages.INGEST_WARNING.format(path=_inert(problem.path), warning=problem.text)
    for problem in report.rejected:
        yield messages.INGEST_REJECTED.format(path=_inert(problem.path), reason=problem.text)
    yield messages.INGEST_SUMMARY.format(
        new=report.new,
        updated=report.updated,
        unchanged=report.unchanged,
        removed=report.removed,
        rejected=len(report.rejected),
    )


def _inert(path: str) -> str:
    """A file name as the terminal should show it: control characters as '?'."""
    return UNSAFE_CHARACTERS.sub("?", path)


def post_line(post: Post) -> str:
    moment = post.published_at.strftime("%Y-%m-%d %H:%M")
    categories = ", ".join(post.categories)
    line = f"{moment}  {post.title}  [{categories}]"
    if post.sentiment_score is not None:
        label = f", {post.sentiment_label}" if post.sentiment_label else ""
        line += f"  (sentiment {post.sentiment_score:g}/10{label})"
    return line


def columns(rows: Sequence[Sequence[str]]) -> Iterator[str]:
    """Rows of cells as aligned columns, two spaces apart; the last column is not padded."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        padded = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        yield "  ".join([*padded, row[-1]])


class ProgressBar:
    """A bar on stderr, shown only on a terminal and only once reading takes a moment."""

    def __init__(self) -> None:
        self._bar: tqdm[Any] | None = None

    def __call__(self, done: int, total: int) -> None:
        bar = self._bar
        if bar is None:
            bar = self._bar = tqdm(
                total=total, desc=messages.INGEST_PROGRESS, unit="file", delay=0.5, disable=None
            )
        bar.update(done - bar.n)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.close()
