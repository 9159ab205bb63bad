"""Content on Polo related to an organisation's advocacy route: forums,
common agendas, consultations... A small registry that later modules fill.

The advocacy-route page shows which forums and agendas on Polo relate to the
organisation's public problem. Those modules (participation, agreements) do
not exist yet, so this app does not import them: each registers a
*provider* once, from its ``AppConfig.ready()``::

    from polo.assessments import related

    def forums_for_route(context):
        forums = Forum.objects.upcoming().filter(
            themes__slug__in=context.theme_slugs, municipality=context.municipality
        )
        return [
            related.RelatedItem(f.title, f.get_absolute_url(), kind=_("Foro"), when=f.date)
            for f in forums[:5]
        ]

    related.register("participation.forums", forums_for_route)

A provider gets the route's context (the organisation, the themes, the
municipality, the problem as written) and returns public content only: the
page is the organisation's, but what a provider lists must be something
anyone may see. A provider that fails is left out and logged; the page still
draws.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)
LIMIT = 12


@dataclass(frozen=True)
class RouteContext:
    organization: Any
    theme_slugs: tuple[str, ...]
    municipality: Any
    problem: str = ""
    language: str | None = None


@dataclass(frozen=True)
class RelatedItem:
    title: str
    url: str
    kind: str  # what it is, for the reader: "Foro", "Agenda común"...
    when: Any = None  # a date, when it has one
    description: str = ""


Provider = Callable[[RouteContext], Iterable[RelatedItem]]
_PROVIDERS: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    """Add (or replace, on a reload) the provider named ``key``."""
    _PROVIDERS[key] = provider


def unregister(key: str) -> None:
    _PROVIDERS.pop(key, None)


def providers() -> list[str]:
    return sorted(_PROVIDERS)


def related_content(context: RouteContext, *, limit: int = LIMIT) -> list[RelatedItem]:
    found: list[RelatedItem] = []
    for key in sorted(_PROVIDERS):
        try:
            found.extend(_PROVIDERS[key](context))
        except Exception:  # one module's failure must not break the page
            logger.exception("related-content provider %s failed", key)
    return found[:limit]
