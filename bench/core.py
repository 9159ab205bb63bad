"""The foundation's pages: the home page (live counts, regions) and /healthz."""

from __future__ import annotations

from bench.harness import Context, Operation, Page


def pages(ctx: Context) -> list[Page]:
    return [
        Page("Inicio (visitante)", "/"),
        Page("Inicio (coordinación)", "/", user="coordinacion@polo.demo"),
        Page("/healthz", "/healthz"),
    ]


def operations(ctx: Context) -> list[Operation]:
    from polo.core import selectors

    return [Operation("core.selectors.home_context()", selectors.home_context, repeat=5)]
