"""Checking answers with ``validation.compute`` and ``validation.validate``, in
worker processes when the file is large.

The check is pure Python over one response at a time and is most of a
preview's time; on a server with several processors, batches of responses are
checked by as many forked workers while the main process reads the next rows
and asks the database about the previous ones. Results come back in file
order. Workers never touch the database: they receive answers and return
answers and messages, and, when the responses are written as they are checked
(``import_file`` on PostgreSQL), the COPY text of each accepted response
(``writing.copy_rows_maker``), so that the main process only joins strings.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from django.utils import translation

from polo.surveys import validation
from polo.surveys.importing.writing import copy_rows_maker
from polo.surveys.spec import FormSpec

# Files with at least this many responses are checked in parallel.
PARALLEL_ROWS = 10_000
MAX_WORKERS = 4

T = TypeVar("T")
CopyRows = Callable[[dict[str, Any]], tuple[str, str]]
# (computed answers, problems, COPY text of an accepted response or None)
Result = tuple[dict[str, Any], list[str], tuple[str, str] | None]

_state: tuple[FormSpec, dt.date, str | None, CopyRows | None] | None = None


def check_all(
    spec: FormSpec,
    items: list[dict],
    today: dt.date,
    language: str | None,
    copy_rows: CopyRows | None = None,
) -> list[Result]:
    out: list[Result] = []
    for data in items:
        computed = validation.compute(spec, data, today=today)
        problems = [
            str(problem)
            for problem in validation.validate(spec, computed, today=today, language=language)
        ]
        text = copy_rows(computed) if copy_rows is not None and not problems else None
        out.append((computed, problems, text))
    return out


def _init_worker(spec_json: dict, today: dt.date, language: str | None, copies: bool) -> None:
    global _state
    spec = FormSpec.from_json(spec_json)
    _state = (spec, today, language, copy_rows_maker(spec) if copies else None)
    if language:
        translation.activate(language)


def _check_in_worker(items: list[dict]) -> list[Result]:
    assert _state is not None
    spec, today, language, copy_rows = _state
    return check_all(spec, items, today, language, copy_rows)


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
    copies: bool = False,
) -> Iterator[tuple[T, list[Result]]]:
    """For each (payload, answers) batch, in order: (payload, [(computed answers,
    problems, COPY text)]); the COPY text of the responses without problems
    when ``copies``, else None."""
    if workers <= 1:
        copy_rows = copy_rows_maker(spec) if copies else None
        for payload, items in batches:
            yield payload, check_all(spec, items, today, language, copy_rows)
        return
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker,
        initargs=(spec.to_json(), today, language, copies),
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
