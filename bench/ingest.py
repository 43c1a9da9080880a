"""Ingest benchmark: newsbot's cold ingest against the raw python-frontmatter parse rate.

Generates N seed-like posts (Zipf-distributed vocabulary, so later search benchmarks see realistic
text) into a temporary directory, then measures in one run, each part in its own process:
  * baseline: ``frontmatter.load`` of every file (read + YAML parse), posts/s;
  * newsbot: cold ``ingest`` into a fresh database, posts/s, and the ratio to the baseline;
  * the re-scan of the unchanged directory, in seconds;
  * the ingest process's peak RSS.

It does so in rounds (default 3), each a baseline run and a cold ingest one after the other
(the ingest first in even rounds), and reports each round and the median ratio: on a shared
machine the speed of a core drifts by 20% or more within a minute, so a ratio is only fair
between runs made close together, and one round can land on a slow moment for either side.

    python bench/ingest.py                 # 20,000 posts, SQLite
    python bench/ingest.py --posts 100000  # the scale the targets are set for
    python bench/ingest.py --database-url postgresql+asyncpg://127.0.0.1/newsbot_bench

A --database-url must name a database you can throw away: each round empties it (migrating it
down to nothing), migrates it up and fills it with the generated posts.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

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


def child_baseline(directory: Path) -> dict[str, float]:
    import frontmatter

    paths = sorted(directory.rglob("*.md"))
    started = time.perf_counter()
    for path in paths:
        frontmatter.load(path)
    return {"posts": len(paths), "seconds": time.perf_counter() - started}


async def child_ingest(directory: Path, database_url: str) -> dict[str, float]:
    from bot.news.ingest.scan import ingest
    from bot.store import migrations, open_store
    from bot.store.database import create_engine

    engine = create_engine(database_url)
    await migrations.downgrade(engine, "base")  # a round before this one filled it
    await migrations.upgrade(engine)
    await engine.dispose()
    store = await open_store(database_url)
    try:
        started = time.perf_counter()
        cold = await ingest(store, [directory])
        cold_seconds = time.perf_counter() - started
        started = time.perf_counter()
        rescan = await ingest(store, [directory])
        rescan_seconds = time.perf_counter() - started
    finally:
        await store.close()
    assert cold.new == cold.files and not cold.rejected, cold
    assert rescan.unchanged == rescan.files, rescan
    return {"posts": cold.new, "seconds": cold_seconds, "rescan_seconds": rescan_seconds}


def run_child(*args: str) -> tuple[dict[str, float], float]:
    """Run this script in a child process; returns its JSON result and its peak RSS in MB."""
    process = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"benchmark child {args[0]} failed with status {process.returncode}")
    return json.loads(output), usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3, help="baseline-then-ingest pairs")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in the temp directory")
    parser.add_argument("--child", choices=["baseline", "ingest"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "baseline":
        print(json.dumps(child_baseline(args.dir)))
    elif args.child == "ingest":
        print(json.dumps(asyncio.run(child_ingest(args.dir, args.database_url))))
    else:
        compare(args.posts, max(1, args.rounds), args.database_url)


class Round(NamedTuple):
    baseline_rate: float
    ingest_rate: float
    rescan_seconds: float
    peak_mb: float

    @property
    def ratio(self) -> float:
        return self.ingest_rate / self.baseline_rate


def compare(count: int, rounds: int, database_url: str | None) -> None:
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
        results = []
        for number in range(1, rounds + 1):
            url = database_url or f"sqlite+aiosqlite:///{temp}/bench-{number}.db"
            results.append(run_round(posts, url, number))
            print_round(number, results[-1])
    report(count, url, results)


def run_round(posts: Path, url: str, number: int) -> Round:
    """One baseline run and one cold ingest; even rounds run the ingest first, so that neither
    side always gets the moment just after a pause or after the other's heavy run."""
    baseline = ("--child", "baseline", "--dir", str(posts))
    ingest = ("--child", "ingest", "--dir", str(posts), "--database-url", url)
    if number % 2:
        base, _ = run_child(*baseline)
        ours, peak_mb = run_child(*ingest)
    else:
        ours, peak_mb = run_child(*ingest)
        base, _ = run_child(*baseline)
    return Round(
        base["posts"] / base["seconds"],
        ours["posts"] / ours["seconds"],
        ours["rescan_seconds"],
        peak_mb,
    )


def print_round(number: int, result: Round) -> None:
    print(
        f"round {number}: baseline {result.baseline_rate:8,.0f} posts/s, "
        f"cold ingest {result.ingest_rate:8,.0f} posts/s, ratio {result.ratio:.2f}"
    )


def report(count: int, url: str, results: list[Round]) -> None:
    engine = url.split(":", 1)[0]
    # The rates shown are one round's: the middle one by ratio (the upper of the two middle ones
    # when there is an even number of rounds, whose median ratio lies between them).
    middle = sorted(results, key=lambda r: r.ratio)[len(results) // 2]
    ratios = [r.ratio for r in results]
    print(
        f"baseline  python-frontmatter load:    {middle.baseline_rate:8,.0f} posts/s (middle round)"
    )
    print(f"newsbot   cold ingest ({engine}): {middle.ingest_rate:8,.0f} posts/s (middle round)")
    print(
        f"ratio     ingest / raw parse: {statistics.median(ratios):.2f} median of {len(ratios)}"
        f" (range {min(ratios):.2f}-{max(ratios):.2f})   (target >= 0.70)"
    )
    rescan = statistics.median(r.rescan_seconds for r in results)
    print(
        f"re-scan   unchanged {count:,} files: {rescan:.2f} s median   (target <= 2 s at 100,000)"
    )
    peak = max(r.peak_mb for r in results)
    print(f"peak RSS  ingest process: {peak:.0f} MB, highest round   (target <= 300 MB at 100,000)")


if __name__ == "__main__":
    main()
