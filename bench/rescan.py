"""Re-scan benchmark: the unchanged re-scan of a posts directory already in the store.

Issue #16 wants the re-scan of a million unchanged posts (what ``serve`` does at a restart and
``ingest`` on every run) in 5 s or less. bench/scale.py measures it once per size, after a cold
ingest of several minutes; this times only the re-scan, of a database that an earlier run (or
``newsbot ingest``) filled, so that a change to it can be tried in minutes. Each re-scan runs in
a fresh process, as after a restart, in rounds that take the --database-url values in turn (on
a shared machine a core's speed drifts within a minute). For each it prints the wall time, the
process's CPU time (user and system: on a busy machine the fairer figure), its peak memory and,
on a PostgreSQL server on this machine, its backend's CPU time. --profile writes a cProfile of
one re-scan per database (read with ``python -m pstats FILE``).

    python bench/rescan.py /var/tmp/scale/posts-1000000 \\
        --database-url sqlite+aiosqlite:////var/tmp/scale.db \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/scale --rounds 3

The page cache is what it is: a first round after the tree was last read may find its inodes
gone, later rounds find them cached. The load average is printed with each round.
"""

import argparse
import asyncio
import cProfile
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

# The checkout instead of bench/, whose http.py would shadow the standard library's http.
sys.path[0] = str(Path(__file__).resolve().parents[1])
from bench.ingest import ServerCpu, engine
from bench.machine import described


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


async def child_rescan(
    directory: Path, database_url: str, profile: Path | None
) -> dict[str, float]:
    from bot.news.ingest.scan import ingest
    from bot.store import open_store

    store = await open_store(database_url)
    profiler = cProfile.Profile() if profile else None
    try:
        with ServerCpu(database_url) as server:
            cpu, started = cpu_seconds(), time.perf_counter()
            if profiler:
                profiler.enable()
            report = await ingest(store, [directory])
            if profiler:
                profiler.disable()
            seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
            await asyncio.sleep(0.05)  # a last sample of the backend
    finally:
        await store.close()
    if profiler and profile:
        profiler.dump_stats(profile)
    if report.unchanged != report.files or report.saved:
        raise SystemExit(f"the directory is not what the store holds: {report}")
    return {
        "files": report.files,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "server_cpu_seconds": server.seconds() or 0.0,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(directory: Path, url: str, profile: Path | None) -> dict[str, float]:
    command = [sys.executable, "-P", __file__, str(directory), "--child", "--database-url", url]
    if profile:
        command += ["--profile", str(profile)]
    finished = subprocess.run(command, stdout=subprocess.PIPE, check=True)
    result: dict[str, float] = json.loads(finished.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("directory", type=Path, help="the posts directory the store holds")
    parser.add_argument("--database-url", action="append", required=True, help="repeatable")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="file name stem for one cProfile each")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = asyncio.run(child_rescan(args.directory, args.database_url[0], args.profile))
        print(json.dumps(result))
        return
    seconds: dict[str, list[float]] = {url: [] for url in args.database_url}
    for round_number in range(1, args.rounds + 1):
        print(f"round {round_number} ({described()})", flush=True)
        for url in args.database_url:
            profile = None
            if args.profile and round_number == args.rounds:
                profile = args.profile.with_name(f"{args.profile.name}-{engine(url)}.prof")
            result = run_child(args.directory, url, profile)
            seconds[url].append(result["seconds"])
            print(
                f"  {engine(url)}: {result['files']:,.0f} files, {result['seconds']:.2f} s,"
                f" CPU {result['cpu_seconds']:.2f} s (server {result['server_cpu_seconds']:.2f} s),"
                f" peak {result['peak_mb']:.0f} MB",
                flush=True,
            )
    for url, values in seconds.items():
        print(f"{engine(url)}: median {statistics.median(values):.2f} s of {len(values)}")


if __name__ == "__main__":
    main()
