"""Sources benchmark: the time and memory of ``newsbot sources sync`` for a git repository of
1,000 posts and a feed of 100 entries, as an operator would run it.

Makes a repository (one commit of N posts under ``_posts``) and an RSS 2.0 feed of M entries
with HTML descriptions in a temporary directory, serves the feed with ``python -m http.server``
(which answers ``If-Modified-Since`` with 304), adds both as sources, then runs ``newsbot
sources sync ID`` for each, twice: the first sync (clone or fetch, write, ingest) and a second
one with nothing new. Each sync is its own process; its wall time and peak RSS (the newsbot
process; git's own processes are not counted) are reported.

    python bench/sources.py                          # 1,000 posts and 100 entries, SQLite
    python bench/sources.py --posts 5000 --entries 500
    python bench/sources.py --database-url postgresql+asyncpg://127.0.0.1/newsbot_bench
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[1]
AUTHOR = ["-c", "user.name=bench", "-c", "user.email=bench@example.org"]
PARAGRAPH = (
    "The council met on Tuesday to discuss the harbour wall. Residents asked about parking, "
    "the ferry timetable and the new bridge. A decision is expected next month. "
)


class Run(NamedTuple):
    seconds: float
    peak_mb: float
    output: str


def write_repository(root: Path, posts: int) -> None:
    folder = root / "_posts"
    folder.mkdir(parents=True)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(posts):
        day = start + timedelta(hours=n)
        (folder / f"{day:%Y-%m-%d}-story-{n}.md").write_text(
            f'---\ntitle: "Story number {n}"\ncategory: News\ndate: {day:%Y-%m-%d %H:%M:%S}\n'
            f'tldr:\n  - "Point one of story {n}."\n---\n\n{PARAGRAPH * 8}\n',
            encoding="utf-8",
        )
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", *AUTHOR, "commit", "-q", "-m", "posts"], cwd=root, check=True)


def write_feed(path: Path, entries: int) -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    items = [
        f"<item><title>Entry {n}: harbour news</title>"
        f"<link>https://news.example.org/{n}</link><guid>urn:bench:{n}</guid>"
        f"<pubDate>{format_datetime(start + timedelta(hours=n))}</pubDate>"
        f"<category>News</category>"
        f"<description>{escape(f'<p>{PARAGRAPH * 4}</p><ul><li>one</li></ul>')}</description>"
        "</item>"
        for n in range(entries)
    ]
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
        f"<link>https://news.example.org/</link>{''.join(items)}</channel></rss>",
        encoding="utf-8",
    )


def newsbot(workdir: Path, env: dict[str, str], *args: str) -> Run:
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - began
    return Run(seconds, usage.ru_maxrss / 1024, output.strip())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        write_repository(work / "site", args.posts)
        (work / "web").mkdir()
        write_feed(work / "web" / "feed.xml", args.entries)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=work / "web",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _measure(work, port, args)
        finally:
            server.terminate()
            server.wait()


def _measure(work: Path, port: int, args: argparse.Namespace) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": args.database_url or f"sqlite:///{work / 'newsbot.db'}",
        "NEWSBOT_POSTS_DIR": str(work / "posts"),
        "NEWSBOT_SOURCES_DIR": str(work / "sources"),
    }
    newsbot(work, env, "sources", "add", "git", (work / "site").as_uri())
    _wait_for_port(port)
    newsbot(work, env, "sources", "add", "feed", f"http://127.0.0.1:{port}/feed.xml")
    rows = [("git", f"{args.posts} posts", "1"), ("feed", f"{args.entries} entries", "2")]
    print(f"{'source':<6} {'size':<12} {'sync':<7} {'seconds':>8} {'peak MB':>8}  result")
    start = newsbot(work, env, "sources", "list")  # what any newsbot command costs to start
    print(
        f"{'-':<6} {'-':<12} {'list':<7} {start.seconds:8.2f} {start.peak_mb:8.1f}  start-up alone"
    )
    for kind, size, source_id in rows:
        for label in ("first", "again"):
            run = newsbot(work, env, "sources", "sync", source_id)
            result = run.output.splitlines()[-1].split(": ", 1)[-1]
            print(
                f"{kind:<6} {size:<12} {label:<7} {run.seconds:8.2f} {run.peak_mb:8.1f}  {result}"
            )


def _wait_for_port(port: int) -> None:
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)


if __name__ == "__main__":
    main()
