"""Shared set-up for benchmarks: Django configured, results written as Markdown tables."""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "azad.settings")
    import django

    django.setup()


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """The fastest of ``repeats`` runs, in seconds (least disturbed by the machine)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def best_of_interleaved(
    repeats: int, *works: Callable[[], object], clock: Callable[[], float] = time.process_time
) -> list[float]:
    """The fastest CPU time of each of ``works``, run in turn ``repeats`` times.

    Interleaving and CPU time (not wall time) keep a side-by-side comparison
    fair on a machine where other work comes and goes. Where the work is done
    in another process (a database server), pass ``clock=time.perf_counter``:
    the fastest wall time is then the least disturbed.
    """
    best = [float("inf")] * len(works)
    for _ in range(repeats):
        for index, work in enumerate(works):
            start = clock()
            work()
            best[index] = min(best[index], clock() - start)
    return best


def write_table(name: str, title: str, header: list[str], rows: list[list[object]], notes: str = "") -> Path:
    """Write a Markdown result table to bench/results/<name>.md and print it."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# {title}",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M:%S %Z')} on {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    if notes:
        lines += ["", notes]
    text = "\n".join(lines) + "\n"
    path = RESULTS / f"{name}.md"
    path.write_text(text)
    print(text)
    return path
