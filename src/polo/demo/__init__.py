"""Demo data: realistic synthetic content at the programme's scale or the nation's.

Each area has its own module exposing ``populate(*, rng, scale, stdout)``; the
``polo demo`` command runs them in the order of ``STEPS``. A later module adds
its demo data by writing ``polo/demo/<area>.py`` and appending it here.

Every step must be idempotent (keyed on natural keys: names, e-mails, slugs) so
that running the demo twice changes nothing, and deterministic: it draws only
from the ``random.Random`` it is given, seeded from the demo seed and the
step's name, so adding a step does not change what the others make.
"""

from __future__ import annotations

import importlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from django.db import transaction

STEPS: list[str] = [
    "polo.demo.directory",
    "polo.demo.accounts",
    "polo.demo.surveys",
    "polo.demo.indicators",
    "polo.demo.qualitative",
    "polo.demo.assessments",
    "polo.demo.meetings",
    "polo.demo.agreements",
    "polo.demo.consultations",
    "polo.demo.practices",
    "polo.demo.agendas",
]

DEFAULT_SEED = 2017  # the programme started in February 2017
NATIONAL_SIZE = 50_000


class DemoError(Exception):
    """The demo cannot run on this database (no territory, no themes...)."""


@dataclass(frozen=True)
class Scale:
    """How much to make: the programme's own figures, or a national data set."""

    name: str = "programme"
    national_size: int = NATIONAL_SIZE

    @property
    def is_national(self) -> bool:
        return self.name == "national"


def step_rng(seed: int, step: str) -> random.Random:
    return random.Random(f"{seed}:{step}")


def run(
    *, scale: Scale, seed: int = DEFAULT_SEED, stdout: TextIO, steps: list[str] | None = None
) -> list[tuple[str, float]]:
    """Run every step in its own transaction; return (step, seconds) pairs."""
    timings = []
    for path in steps or STEPS:
        populate: Callable = importlib.import_module(path).populate
        started = time.perf_counter()
        with transaction.atomic():
            populate(rng=step_rng(seed, path), scale=scale, stdout=stdout)
        timings.append((path, time.perf_counter() - started))
    return timings
