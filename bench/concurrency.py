"""Many writers at once: the scaffolding the concurrency benchmarks share
(ballots in ``bench/consultations.py``, supports in ``bench/agendas_supports.py``).

``run(target, shares)`` forks one process per share, each with its own database
connection (the parent's are closed first, so that none is shared). A process
calls ``target(share, worker, outcome, ready)``: it prepares what it needs, calls
``ready()`` (every process waits there for the others, then the clock starts)
and does its writes, timing each with ``clock(outcome)`` and counting them in
``outcome``. The outcomes come back through a queue; ``Run`` sums them up.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def p95(values: Sequence[float]) -> float:
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def new_outcome() -> dict:
    return {"accepted": 0, "refused": 0, "errors": [], "latencies_ms": [], "receipts": []}


@contextmanager
def clock(outcome: dict) -> Iterator[None]:
    """Time one write (its latency is kept whatever happens inside)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        outcome["latencies_ms"].append((time.perf_counter() - started) * 1000)


@dataclass
class Run:
    outcomes: list[dict]
    load_before: str
    load_after: str

    @property
    def accepted(self) -> int:
        return sum(o["accepted"] for o in self.outcomes)

    @property
    def refused(self) -> int:
        return sum(o["refused"] for o in self.outcomes)

    @property
    def errors(self) -> list[str]:
        return [e for o in self.outcomes for e in o["errors"]]

    @property
    def wall(self) -> float:
        return max(o["ended"] for o in self.outcomes) - min(o["began"] for o in self.outcomes)

    @property
    def rate(self) -> float:
        return self.accepted / self.wall if self.wall else 0.0

    @property
    def latencies(self) -> list[float]:
        return sorted(ms for o in self.outcomes for ms in o["latencies_ms"])

    @property
    def receipts(self) -> list:
        return [r for o in self.outcomes for r in o["receipts"]]

    def median_ms(self) -> float | None:
        values = self.latencies
        return statistics.median(values) if values else None

    def p95_ms(self) -> float | None:
        values = self.latencies
        return p95(values) if values else None


Target = Callable[[list, int, dict, Callable[[], None]], None]


def run(target: Target, shares: list[list]) -> Run:
    """One process per share, all starting together; their outcomes."""
    from django.db import connections

    connections.close_all()  # the children must not share the parent's connection
    forked = multiprocessing.get_context("fork")
    start = forked.Barrier(len(shares))
    results = forked.Queue()
    processes = [
        forked.Process(target=_child, args=(target, share, n, start, results))
        for n, share in enumerate(shares)
    ]
    load_before = load()
    for process in processes:
        process.start()
    outcomes = [results.get() for _ in processes]
    for process in processes:
        process.join()
    return Run(outcomes, load_before, load())


def _child(target: Target, share: list, worker: int, start, results) -> None:
    from django.db import connections

    outcome = new_outcome()

    def ready() -> None:
        start.wait()
        outcome["began"] = time.time()

    try:
        target(share, worker, outcome, ready)
        outcome["ended"] = time.time()
    except Exception as error:  # noqa: BLE001 - reported, not hidden
        if "began" not in outcome:
            start.abort()  # the others must not wait for this one for ever
        outcome["errors"].append(repr(error))
        outcome.setdefault("began", time.time())
        outcome.setdefault("ended", time.time())
    finally:
        connections.close_all()
        results.put(outcome)
