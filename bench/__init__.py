"""Polo's benchmarks, run with `make bench` (`python -m bench` from the repo root).

They print figures; they are never timed assertions in the test suite.

A module per area adds its own measurements: write ``bench/<area>.py`` with
``pages(ctx) -> list[Page]`` and/or ``operations(ctx) -> list[Operation]``
(see bench.harness) and append it to ``MODULES``. Every module runs at each
scale measured (the programme's demo data, then the national set), on an
isolated database that ``python -m bench`` creates and fills itself.
"""

MODULES: list[str] = [
    "bench.core",
    "bench.directory",
    "bench.surveys_import",
    "bench.surveys_openrosa",
    "bench.indicators",
    "bench.assessments",
    "bench.meetings",
    "bench.agreements",
    "bench.consultations",
    "bench.practices",
    "bench.agendas",
    "bench.agendas_supports",
]
