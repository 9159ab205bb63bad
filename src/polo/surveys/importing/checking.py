"""Checking answers with ``validation.compute`` and ``validation.validate``, in
worker processes when the file is large.

The check is pure Python over one response at a time and is most of a
preview's time; on a server with several processors, batches of responses are
checked by as many forked workers while the main process reads the next rows
and asks the database about the previous ones. Results come back in file
order. Workers never touch the database: they receive answers and return
answers and messages.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from django.utils import translation

from polo.surveys import validation
from polo.surveys.spec import FormSpec

# Files with at least this many responses are checked in parallel.
PARALLEL_ROWS = 10_000
MAX_WORKERS = 4

T = TypeVar("T")
Result = tuple[dict[str, Any], list[str]]

_state: tuple[FormSpec, dt.date, str | None] | None = None


def check_all(spec: FormSpec, items: list[dict], today: dt.date, language: str | None) -> list:
    out: list[Result] = []
    for data in items:
        computed = validation.compute(spec, data, today=today)
        problems = validation.validate(spec, computed, today=today, language=language)
        out.append((computed, [str(problem) for problem in problems]))
    return out


def _init_worker(spec_json: dict, today: dt.date, language: str | None) -> None:
    global _state
    _state = (FormSpec.from_json(spec_json), today, language)
    if language:
        translation.activate(language)


def _check_in_worker(items: list[dict]) -> list[Result]:
    assert _state is not None
    spec, today, language = _state
    return check_all(spec, items, today, language)


def workers_for(estimated_rows: int) -> int:
    """How many processes check a file of this size: one (this one) for small
    files, where starting workers would cost more than it saves."""
    if estimated_rows < PARALLEL_ROWS:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(MAX_WORKERS, available or 1))


def check_batches(
    spec: FormSpec,
    batches: Iterable[tuple[T, list[dict]]],
    *,
    today: dt.date,
    language: str | None,
    workers: int = 1,
) -> Iterator[tuple[T, list[Result]]]:
    """For each (payload, answers) batch, in order: (payload, [(computed answers,
    problems)])."""
    if workers <= 1:
        for payload, items in batches:
            yield payload, check_all(spec, items, today, language)
        return
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker,
        initargs=(spec.to_json(), today, language),
    )
    pending: deque[tuple[T, Future]] = deque()
    try:
        for payload, items in batches:
            pending.append((payload, executor.submit(_check_in_worker, items)))
            # Enough in flight to keep every worker busy, not the whole file.
            while len(pending) > workers * 2:
                head, future = pending.popleft()
                yield head, future.result()
        while pending:
            head, future = pending.popleft()
            yield head, future.result()
    finally:
        for _payload, future in pending:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)
