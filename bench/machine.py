"""What the machine was doing and how fast it ran, printed with every benchmark's figures.

The load average says how busy the machine was; the reference loop how fast one of its cores
ran CPython at that moment. A core's speed here has drifted by a factor of two from one day to
the next, so absolute figures from two runs compare only as far as their reference loops do.
"""

import os
import time

REFERENCE_ITERATIONS = 1_000_000


def reference_loop_ms() -> float:
    """The fastest of three runs of a plain CPython loop of a million additions, in ms."""
    fastest = float("inf")
    for _ in range(3):
        started = time.process_time()
        total = 0
        for number in range(REFERENCE_ITERATIONS):
            total += number
        fastest = min(fastest, time.process_time() - started)
    return fastest * 1000


def described() -> str:
    """``load average 1.0, 0.8, 0.5 on 2 cores, reference loop 28 ms``."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    reference = reference_loop_ms()
    return f"load average {load} on {os.cpu_count()} cores, reference loop {reference:.0f} ms"
