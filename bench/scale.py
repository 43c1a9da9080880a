"""Scale benchmark: how newsbot's costs grow from 10,000 to 100,000 to 1,000,000 posts.

For each size and each --database-url it measures, on the posts of bench/ingest.py's generator
(generated once for the largest size; each smaller size is a hard-linked subset, the oldest
posts):
  * the cold ingest (``newsbot ingest`` into an emptied database), in its own process, of files
    the page cache holds (read once just before, for every engine alike; see warm_page_cache
    in bench/ingest.py): posts/s and the peak of the memory of that process and all its
    workers together (sampled every 20 ms);
  * the re-scan of the unchanged directory, in the same process (what ``serve`` does at a
    restart), in seconds;
  * search: p99 of Q timed queries in each class of bench/search.py (its Chinese class aside:
    these posts are in one language), through the search use case, after distinct warm-up
    queries; on PostgreSQL after an ANALYZE, as autovacuum would run one after such a load;
  * ``/news latest`` and ``/news latest CATEGORY 5`` with no answer memo, through the path a
    slash command takes to its rendered message (``converse``), p99 of Q each.

There is no peer here: these are the absolute figures of issue #16's million-post targets, which
--check applies at every size (exit status 1 when one is missed): memory <= 400 MB, re-scan
<= 5 s, search p99 <= 50 ms per class, latest p99 <= 50 ms.

    python bench/scale.py --sizes 10000,100000 --database-url sqlite+aiosqlite:////tmp/s.db
    python bench/scale.py --work /var/tmp/scale --database-url postgresql+asyncpg://…/scale

--work keeps the generated posts between runs (a million posts are about 3 GB). A
--database-url must name a database you can throw away.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

# The checkout instead of bench/, whose http.py would shadow the standard library's http.
sys.path[0] = str(Path(__file__).resolve().parents[1])
from bench.ingest import CATEGORIES, engine, generate, warm_page_cache, watched
from bench.machine import described
from bench.search import distinct, p99, query_classes

SHARD = 1000  # files per directory, as bench/ingest.py writes them
START = datetime(2025, 1, 1, 6, 0, tzinfo=UTC)  # bench/ingest.py's first post
TARGETS = {"memory MB": 400.0, "re-scan s": 5.0, "search p99 ms": 50.0, "latest p99 ms": 50.0}


class Figures(NamedTuple):
    size: int
    engine: str
    rate: float
    peak_mb: float
    rescan_seconds: float
    search_p99: dict[str, float]
    latest_p99: dict[str, float]

    def misses(self) -> list[str]:
        worst_search = max(self.search_p99.values())
        worst_latest = max(self.latest_p99.values())
        measured = {
            "memory MB": self.peak_mb,
            "re-scan s": self.rescan_seconds,
            "search p99 ms": worst_search,
            "latest p99 ms": worst_latest,
        }
        missed = [name for name in TARGETS if measured[name] > TARGETS[name]]
        return [f"{name} {measured[name]:.1f}" for name in missed]


def posts_for(work: Path, size: int, largest: int) -> Path:
    """A directory of the oldest ``size`` generated posts (hard links into the largest set)."""
    everything = work / f"posts-{largest}"
    if not (everything / "COMPLETE").exists():
        print(f"generating {largest:,} posts into {everything} …", flush=True)
        everything.mkdir(parents=True, exist_ok=True)
        generate(everything, largest)
        (everything / "COMPLETE").write_text(str(largest))
    if size == largest:
        return everything
    subset = work / f"posts-{size}"
    if not (subset / "COMPLETE").exists():
        for shard in sorted(everything.iterdir())[: size // SHARD]:
            if shard.is_dir():
                (subset / shard.name).mkdir(parents=True, exist_ok=True)
                for file in shard.iterdir():
                    target = subset / shard.name / file.name
                    if not target.exists():
                        os.link(file, target)
        (subset / "COMPLETE").write_text(str(size))
    return subset


async def child_ingest(directory: Path, database_url: str) -> dict[str, float]:
    from bot.news.ingest.scan import ingest
    from bot.store import migrations, open_store
    from bot.store.database import create_engine

    engine = create_engine(database_url)
    await migrations.downgrade(engine, "base")
    await migrations.upgrade(engine)
    await engine.dispose()
    store = await open_store(database_url)
    try:
        started = time.perf_counter()
        cold = await ingest(store, [directory])
        cold_seconds = time.perf_counter() - started
        for worker in multiprocessing.active_children():
            worker.join()
        started = time.perf_counter()
        rescan = await ingest(store, [directory])
        rescan_seconds = time.perf_counter() - started
    finally:
        await store.close()
    if cold.new != cold.files or cold.rejected or rescan.unchanged != rescan.files:
        raise SystemExit(f"unexpected ingest reports: {cold}, {rescan}")
    return {"posts": cold.new, "seconds": cold_seconds, "rescan_seconds": rescan_seconds}


def run_ingest(directory: Path, database_url: str) -> tuple[dict[str, float], float]:
    """The ingest in its own process; its result and the peak memory of its process tree."""
    command = [sys.executable, __file__, "--child", str(directory), "--database-url", database_url]
    output, status, peak = watched(command)
    if status != 0:
        raise SystemExit(f"the ingest of {directory} failed with status {status}")
    return json.loads(output), peak


async def timed_ms(action: Awaitable[object]) -> float:
    started = time.perf_counter()
    await action
    return (time.perf_counter() - started) * 1000


async def search_p99(database_url: str, size: int, queries: int) -> dict[str, float]:
    from bot.news.search.verbs import search
    from bot.runtime.serve import settle_startup_objects
    from bot.store import open_store

    store = await open_store(database_url)
    try:
        if store.engine.dialect.name == "postgresql":
            # As autovacuum would soon after such a load: statistics for the planner, the
            # visibility map, and the GIN indexes' pending lists flushed.
            autocommit = store.engine.execution_options(isolation_level="AUTOCOMMIT")
            async with autocommit.connect() as connection:
                await connection.exec_driver_sql("VACUUM ANALYZE")
        newest = START + timedelta(minutes=37 * size)
        classes = query_classes(7, queries, newest)
        warm = distinct(classes, query_classes(8, max(10, queries // 10), newest))
        for texts in warm.values():
            for typed in texts:
                await search(store, typed, newest)
        settle_startup_objects()  # as `newsbot serve` does once started (see bench/search.py)
        result = {}
        for name, texts in classes.items():
            if name == "CJK":
                continue
            result[name] = p99([await timed_ms(search(store, typed, newest)) for typed in texts])
        return result
    finally:
        await store.close()


async def latest_p99(database_url: str, queries: int) -> dict[str, float]:
    from bot.news.context import CLI_ASKER
    from bot.runtime.serve import settle_startup_objects
    from bot.slack.conversation import Deps, converse
    from bot.store import open_store

    store = await open_store(database_url)
    deps = Deps(store)  # no memo: every answer is read and rendered afresh
    settle_startup_objects()  # as `newsbot serve` does once started

    async def answer(text: str) -> None:
        message = await converse(deps, CLI_ASKER, text, shareable=True)
        json.dumps(message.payload())

    try:
        result = {}
        for text in ("/news latest", f"/news latest {CATEGORIES[0]} 5"):
            for _ in range(max(10, queries // 10)):
                await answer(text)
            result[text] = p99([await timed_ms(answer(text)) for _ in range(queries)])
        return result
    finally:
        await store.close()


def measure(
    work: Path, size: int, largest: int, url: str, queries: int, ingest: bool = True
) -> Figures:
    ingested, peak = {"posts": 0.0, "seconds": 1.0, "rescan_seconds": 0.0}, 0.0
    if ingest:
        directory = posts_for(work, size, largest)
        warm_page_cache(directory)
        ingested, peak = run_ingest(directory, url)
    searched = asyncio.run(search_p99(url, size, queries))
    latest = asyncio.run(latest_p99(url, queries))
    return Figures(
        size,
        engine(url),
        ingested["posts"] / ingested["seconds"],
        peak,
        ingested["rescan_seconds"],
        searched,
        latest,
    )


def print_figures(figures: Figures) -> None:
    misses = figures.misses()
    ingested = (
        f"ingest {figures.rate:,.0f} posts/s, peak {figures.peak_mb:.0f} MB summed over its "
        f"processes, re-scan {figures.rescan_seconds:.2f} s"
        if figures.peak_mb
        else "queries only"
    )
    print(f"\n{figures.size:,} posts, {figures.engine} ({described()}): {ingested}")
    print("  search p99 ms: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.search_p99.items()))
    print("  latest p99 ms: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.latest_p99.items()))
    print("  targets: " + ("met" if not misses else "MISSED " + "; ".join(misses)), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated")
    parser.add_argument("--database-url", action="append", help="repeat for several engines")
    parser.add_argument("--queries", type=int, default=500, help="timed queries per class")
    parser.add_argument("--work", type=Path, help="where generated posts are kept (default: temp)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="no ingest: time the queries on the database as an earlier run of one size left it",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(asyncio.run(child_ingest(args.child, args.database_url[0]))))
        return
    sizes = sorted(int(size) for size in args.sizes.split(","))
    if any(size % SHARD for size in sizes):
        raise SystemExit(f"--sizes must be multiples of {SHARD:,}")
    with tempfile.TemporaryDirectory(prefix="newsbot-scale-") as temp:
        work = args.work or Path(temp)
        urls = args.database_url or [f"sqlite+aiosqlite:///{temp}/scale.db"]
        results = []
        for size in sizes:
            for url in urls:
                ingest = not args.queries_only
                results.append(measure(work, size, sizes[-1], url, args.queries, ingest))
                print_figures(results[-1])
    if args.check and any(figures.misses() for figures in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
