"""Ingest benchmark: newsbot's cold ingest against python-frontmatter parsing the same files on
every core, in one run.

Generates N seed-like posts (Zipf-distributed vocabulary, so later search benchmarks see realistic
text) into a temporary directory, then measures, each part in its own process:
  * baseline: ``frontmatter.load`` of every file (read + YAML parse) in a process pool with one
    worker per core, posts/s;
  * newsbot: cold ``ingest`` into a fresh database (for each --database-url), posts/s, and the
    ratio to the baseline (target >= 0.70);
  * both sides' CPU time per post, summed over all their processes (a parent's own and that of
    the workers it waited for) and, on PostgreSQL, over the server's backends that served the
    ingest (read from /proc, so only for a server on this machine), shown apart as well;
  * both sides' peak memory, summed over all their processes (sampled every 20 ms);
  * the re-scan of the unchanged directory, in seconds.

It does so in rounds (default 3) that run every side once, in an order that rotates from round to
round: on a shared machine the speed of a core drifts by 20% or more within a minute, so a ratio
is only fair between runs made close together. Ratios are the medians of each round's ratios.
Given a SQLite and a PostgreSQL --database-url, it also checks PostgreSQL's rate against SQLite's
(target >= 0.5).

    python bench/ingest.py                 # 20,000 posts, SQLite
    python bench/ingest.py --posts 100000  # the scale the targets are set for
    python bench/ingest.py --database-url sqlite+aiosqlite:////tmp/i.db \\
        --database-url postgresql+asyncpg://127.0.0.1/newsbot_bench --check

A --database-url must name a database you can throw away: each round empties it (migrating it
down to nothing), migrates it up and fills it with the generated posts. --check exits with
status 1 when a target is missed.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

from bench.machine import described

CATEGORIES = [
    "Politics",
    "Business",
    "Technology",
    "Science",
    "Health",
    "Climate",
    "Sports",
    "World",
    "Culture",
    "News",
]
LABELS = ["Very Negative", "Generally Negative", "Neutral", "Generally Positive", "Very Positive"]
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "ze",
    "an",
    "el",
    "or",
    "un",
    "is",
    "pra",
    "ste",
    "gor",
    "lin",
    "dam",
    "vex",
    "quo",
    "bri",
    "tal",
    "mon",
]


class Vocabulary:
    """Pseudo-words drawn with Zipf-like frequencies (weight 1/rank), as in natural text."""

    def __init__(self, rng: random.Random, size: int = 6000) -> None:
        words: set[str] = set()
        while len(words) < size:
            words.add("".join(rng.choices(SYLLABLES, k=rng.randint(1, 4))))
        self.words = sorted(words, key=lambda w: (len(w), w))
        self.cumulative = list(accumulate(1 / rank for rank in range(1, size + 1)))
        self.rng = rng

    def sentence(self, length: int) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=length)
        return " ".join(words).capitalize() + "."


def post_file(vocab: Vocabulary, index: int, start: datetime) -> tuple[str, str]:
    rng = vocab.rng
    moment = start + timedelta(minutes=37 * index + rng.randint(0, 30))
    title = vocab.sentence(rng.randint(5, 10))[:-1]
    score = rng.randint(0, 10)
    tldr = "\n".join(f'  - "{vocab.sentence(rng.randint(15, 30))}"' for _ in range(3))
    paragraphs = "\n".join(vocab.sentence(rng.randint(12, 25)) for _ in range(rng.randint(6, 10)))
    bullets = "\n".join(f"* {vocab.sentence(rng.randint(8, 16))}" for _ in range(3))
    sources = "\n".join(
        f"- [{vocab.sentence(6)[:-1]}](https://news{i}.example.org/{index}/{i})" for i in range(3)
    )
    text = f"""---
layout: post
title: "{title}"
category: "{rng.choice(CATEGORIES)}"
date: {moment:%Y-%m-%d %H:%M:%S}
source_url: "https://source.example.com/story/{index}"
sentiment_score: {score}
sentiment_label: "{LABELS[min(score // 2, 4)]}"
tldr:
{tldr}
---

# {title}
{paragraphs}
## Key Points
{bullets}

### Sources
{sources}
"""
    return f"{moment:%Y-%m-%d}-post-{index}.md", text


def generate(directory: Path, count: int) -> None:
    vocab = Vocabulary(random.Random(20261124))
    start = datetime(2025, 1, 1, 6, 0)
    for index in range(count):
        name, text = post_file(vocab, index, start)
        shard = directory / f"{index // 1000:03d}"  # a realistic tree, not one huge directory
        shard.mkdir(exist_ok=True)
        (shard / name).write_text(text, encoding="utf-8")


def _parse(paths: list[Path]) -> int:
    import frontmatter

    for path in paths:
        frontmatter.load(path)
    return len(paths)


def child_baseline(directory: Path) -> dict[str, float]:
    from concurrent.futures import ProcessPoolExecutor

    paths = sorted(directory.rglob("*.md"))
    cores = os.cpu_count() or 1
    chunks = [paths[i : i + 500] for i in range(0, len(paths), 500)]
    cpu = _cpu_seconds()
    started = time.perf_counter()
    with ProcessPoolExecutor(cores) as pool:  # started inside the clock, as newsbot's lanes are
        parsed = sum(pool.map(_parse, chunks))
    seconds = time.perf_counter() - started
    return {"posts": parsed, "seconds": seconds, "cpu_seconds": _cpu_seconds() - cpu}


def _cpu_seconds() -> float:
    """User and system CPU of this process and of every child it has waited for."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class ServerCpu:
    """The CPU time of the PostgreSQL backends serving one database, when the server runs on
    this machine: read from /proc every 20 ms while they run, as a backend's time is gone once
    it exits (``seconds`` misses at most each backend's last 20 ms). 0 for SQLite, and None
    when the server's processes cannot be read."""

    def __init__(self, database_url: str) -> None:
        self.dsn = database_url.replace("+asyncpg", "", 1)
        self.postgres = database_url.startswith("postgresql")
        self.seen: dict[int, float] = {}
        self.before: dict[int, float] = {}
        self.sampled = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "ServerCpu":
        if self.postgres:
            self.thread.start()
            self.sampled.wait(10)
            self.before = dict(self.seen)  # the backends there before the ingest
        return self

    def __exit__(self, *_: object) -> None:
        self.stopping.set()
        if self.postgres:
            self.thread.join()

    def seconds(self) -> float | None:
        if self.postgres and not self.seen:
            return None  # a server on another machine
        return sum(cpu - self.before.get(pid, 0.0) for pid, cpu in self.seen.items())

    def _sample(self) -> None:
        import asyncpg

        loop = asyncio.new_event_loop()
        connection = loop.run_until_complete(asyncpg.connect(self.dsn))
        query = (
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        ticks = os.sysconf("SC_CLK_TCK")
        try:
            while not self.stopping.is_set():
                for (pid,) in loop.run_until_complete(connection.fetch(query)):
                    try:
                        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    except OSError:
                        continue  # gone meanwhile, or on another machine
                    self.seen[pid] = (int(fields[11]) + int(fields[12])) / ticks
                self.sampled.set()
                time.sleep(0.02)
        finally:
            loop.run_until_complete(connection.close())
            loop.close()


async def child_ingest(directory: Path, database_url: str) -> dict[str, float | None]:
    from bot.news.ingest.scan import ingest
    from bot.store import migrations, open_store
    from bot.store.database import create_engine

    engine = create_engine(database_url)
    await migrations.downgrade(engine, "base")  # a round before this one filled it
    await migrations.upgrade(engine)
    await engine.dispose()
    store = await open_store(database_url)
    try:
        with ServerCpu(database_url) as server:
            cpu = _cpu_seconds()
            started = time.perf_counter()
            cold = await ingest(store, [directory])
            cold_seconds = time.perf_counter() - started
            for worker in multiprocessing.active_children():  # left to exit on their own: their
                worker.join()  # CPU counts once they are waited for
            cold_cpu = _cpu_seconds() - cpu
            await asyncio.sleep(0.05)  # a last sample of the backends still there
        started = time.perf_counter()
        rescan = await ingest(store, [directory])
        rescan_seconds = time.perf_counter() - started
    finally:
        await store.close()
    assert cold.new == cold.files and not cold.rejected, cold
    assert rescan.unchanged == rescan.files, rescan
    return {
        "posts": cold.new,
        "seconds": cold_seconds,
        "cpu_seconds": cold_cpu,
        "server_cpu_seconds": server.seconds(),
        "rescan_seconds": rescan_seconds,
    }


def _tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants, from /proc (Linux).

    Follows each process's ``children`` lists instead of reading every process's status: that
    took 4 ms a sample on a machine running 90 processes, a fifth of a core at one every 20 ms.
    """
    pages = 0
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            pages += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            for task in os.scandir(f"/proc/{pid}/task"):
                pending += map(int, Path(task.path, "children").read_text().split())
        except OSError:
            continue  # gone meanwhile
    return pages * PAGE_BYTES / 2**20


def run_child(*args: str) -> tuple[dict[str, Any], float]:
    """Run this script in a child process; returns its JSON result and the peak of the memory
    of it and its workers together, in MB."""
    # -P: not this script's directory first on the path, where bench/http.py would shadow the
    # standard library's http package for everything the child imports.
    output, status, peak = watched([sys.executable, "-P", __file__, *args])
    if status != 0:
        raise SystemExit(f"benchmark child {args[1]} failed with status {status}")
    return json.loads(output), peak


def watched(command: list[str]) -> tuple[bytes, int, float]:
    """Run ``command``: its output, its exit status, and the peak of the memory of it and its
    workers together, in MB (sampled every 20 ms)."""
    if not Path(f"/proc/self/task/{threading.get_native_id()}/children").exists():
        raise SystemExit("/proc lists no children here (CONFIG_PROC_CHILDREN): cannot sum memory")
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _tree_rss_mb(process.pid))
        time.sleep(0.02)
    assert process.stdout is not None
    return process.stdout.read(), process.returncode, peak


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3, help="rounds running every side once")
    parser.add_argument(
        "--database-url",
        action="append",
        help="a database to ingest into, once per round (repeat for several; default: SQLite)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--child", choices=["baseline", "ingest"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "baseline":
        print(json.dumps(child_baseline(args.dir)))
    elif args.child == "ingest":
        print(json.dumps(asyncio.run(child_ingest(args.dir, args.database_url[0]))))
    else:
        met = compare(args.posts, max(1, args.rounds), args.database_url or [])
        if args.check and not met:
            raise SystemExit(1)


class Run(NamedTuple):
    """One side's run in one round. ``cpu_ms_per_post`` counts all the side's processes, and
    on PostgreSQL the server's backends too, which ``server_ms_per_post`` shows apart (None
    when the server runs on another machine)."""

    rate: float
    cpu_ms_per_post: float
    peak_mb: float
    rescan_seconds: float = 0.0
    server_ms_per_post: float | None = 0.0


def compare(count: int, rounds: int, database_urls: list[str]) -> bool:
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as temp:
        posts = Path(temp) / "posts"
        posts.mkdir()
        started = time.perf_counter()
        generate(posts, count)
        os.sync()  # the generated files go to disk now, not during a measured run
        size = sum(p.stat().st_size for p in posts.rglob("*.md"))
        print(
            f"generated {count:,} posts ({size / count / 1024:.1f} KiB each) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        urls = database_urls or [f"sqlite+aiosqlite:///{temp}/bench.db"]
        sides = ["baseline", *urls]
        runs: dict[str, list[Run]] = {side: [] for side in sides}
        for number in range(rounds):
            for side in sides[number % len(sides) :] + sides[: number % len(sides)]:
                runs[side].append(run_side(posts, side))
            print_round(number + 1, runs, urls)
    return report(count, runs, urls)


def warm_page_cache(directory: Path) -> None:
    """Read every file under ``directory`` once, so that each timed side finds them in the page
    cache. The development machine pages out files left untouched for a while, free memory or
    not (DAMON's proactive reclaim): without this, the side that ran first could read them from
    disk and the next find them cached, as PostgreSQL did after SQLite in bench/scale.py."""
    for folder, _, names in os.walk(directory):
        for name in names:
            (Path(folder) / name).read_bytes()


def run_side(posts: Path, side: str) -> Run:
    warm_page_cache(posts)
    if side == "baseline":
        result, peak = run_child("--child", "baseline", "--dir", str(posts))
    else:
        result, peak = run_child("--child", "ingest", "--dir", str(posts), "--database-url", side)
    posts = result["posts"]
    server = result.get("server_cpu_seconds", 0.0)
    return Run(
        posts / result["seconds"],
        (result["cpu_seconds"] + (server or 0.0)) / posts * 1000,
        peak,
        result.get("rescan_seconds", 0.0),
        None if server is None else server / posts * 1000,
    )


def engine(url: str) -> str:
    return url.split(":", 1)[0].split("+")[0]


def print_round(number: int, runs: dict[str, list[Run]], urls: list[str]) -> None:
    base = runs["baseline"][-1]
    ours = ", ".join(
        f"{engine(url)} {runs[url][-1].rate:,.0f} posts/s ({runs[url][-1].rate / base.rate:.2f})"
        for url in urls
    )
    print(f"round {number}: baseline {base.rate:,.0f} posts/s; {ours}", flush=True)


def _server_column(side: str, runs: list[Run]) -> str:
    if engine(side) != "postgresql":
        return "-"
    known = [r.server_ms_per_post for r in runs if r.server_ms_per_post is not None]
    return f"{statistics.median(known):.3f}" if len(known) == len(runs) else "n/a"


def _median_ratio(ours: list[Run], theirs: list[Run]) -> float:
    return statistics.median(o.rate / t.rate for o, t in zip(ours, theirs, strict=True))


def report(count: int, runs: dict[str, list[Run]], urls: list[str]) -> bool:
    """Print the figures; True when every target is met."""
    print(f"\n{count:,} posts, {len(runs['baseline'])} rounds; {described()}")
    print(
        f"{'side':28} {'posts/s':>9} {'CPU ms/post':>12} {'of it server':>13} "
        f"{'peak MB (sum)':>14} {'re-scan s':>10}"
    )
    for side, name in [("baseline", "python-frontmatter pool"), *((u, engine(u)) for u in urls)]:
        rate = statistics.median(r.rate for r in runs[side])
        cpu = statistics.median(r.cpu_ms_per_post for r in runs[side])
        server = _server_column(side, runs[side])
        peak = max(r.peak_mb for r in runs[side])
        rescan = statistics.median(r.rescan_seconds for r in runs[side])
        print(f"{name:28} {rate:9,.0f} {cpu:12.3f} {server:>13} {peak:14.0f} {rescan:10.2f}")
    checks = []
    for url in urls:
        ratio = _median_ratio(runs[url], runs["baseline"])
        checks.append((f"{engine(url)} / baseline: {ratio:.2f} (target >= 0.70)", ratio >= 0.70))
    engines = {engine(url): url for url in urls}
    if {"sqlite", "postgresql"} <= engines.keys():
        ratio = _median_ratio(runs[engines["postgresql"]], runs[engines["sqlite"]])
        checks.append((f"postgresql / sqlite: {ratio:.2f} (target >= 0.50)", ratio >= 0.5))
    for text, met in checks:
        print(f"{'met   ' if met else 'MISSED'} {text}")
    return all(met for _, met in checks)


if __name__ == "__main__":
    main()
