"""An agenda's proposals list as anyone sees it, kept in the cache.

A list is read far more often than it changes: during a forum, hundreds of
people open it between two supports. Its parts that come from the database
(how many proposals the filters find, the page's rows with their counts, the
themes in use) are kept under keys that carry the agenda's list version. Every
change a list shows — a proposal written, edited, hidden or restored, its
themes, a support given or withdrawn, a comment — moves the version at once
and again when its transaction commits (``changed``), so the next visit reads
afresh. A theme renamed elsewhere shows once the cached parts expire
(``CACHE_SECONDS``).

The default cache (locmem) is per process: another worker process sees a
change within ``CACHE_SECONDS``; with a shared cache (``CACHE_URL=redis://…``)
every process sees it at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from math import ceil

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from polo.agendas import selectors
from polo.agendas.models import Agenda, Proposal

PAGE_SIZE = 20
CACHE_SECONDS = 60


@dataclass(frozen=True)
class ProposalPage:
    """One page of the list, with what its pagination needs."""

    count: int
    number: int
    num_pages: int
    rows: list[selectors.ProposalRow]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass(frozen=True)
class ThemeOption:
    slug: str
    name: str


def _version_key(agenda_id: int) -> str:
    return f"agendas:list-version:{agenda_id}"


def _version(agenda_id: int) -> int:
    version = cache.get(_version_key(agenda_id))
    if version is None:
        version = time.time_ns()
        cache.set(_version_key(agenda_id), version, None)
    return version


def changed(agenda_id: int) -> None:
    """The agenda's list changed: read it afresh now (this transaction sees its
    own change) and again once the transaction commits (another reader in
    between would have cached what it saw before the commit)."""

    def bump() -> None:
        cache.set(_version_key(agenda_id), time.time_ns(), None)

    bump()
    transaction.on_commit(bump)


def _requested(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def proposal_page(
    agenda: Agenda, filters: selectors.ProposalFilters, page: str | None
) -> tuple[ProposalPage, list[ThemeOption]]:
    """The page asked for (not a number: the first; past the end: the last)
    and the themes to filter by."""
    prefix = f"agendas:list:{agenda.pk}:{_version(agenda.pk)}:{get_language()}"
    summary_key = f"{prefix}:{filters.theme}"
    summary = cache.get(summary_key)
    if summary is None:
        found = selectors.proposals(agenda, filters)
        themes = [ThemeOption(t.slug, t.name) for t in selectors.themes_in_use(agenda)]
        summary = (found.count(), themes)
        cache.set(summary_key, summary, CACHE_SECONDS)
    count, themes = summary
    num_pages = max(1, ceil(count / PAGE_SIZE))
    number = min(_requested(page), num_pages)
    rows_key = f"{summary_key}:{filters.sort}:{number}"
    rows = cache.get(rows_key)
    if rows is None:
        start = (number - 1) * PAGE_SIZE
        found = selectors.proposals(agenda, filters)[start : start + PAGE_SIZE]
        rows = selectors.proposal_rows(agenda, found)
        cache.set(rows_key, rows, CACHE_SECONDS)
    return ProposalPage(count=count, number=number, num_pages=num_pages, rows=rows), themes


def _proposal_saved(sender, instance: Proposal, **kwargs) -> None:
    changed(instance.agenda_id)


def _themes_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if reverse:  # a theme's proposals changed
        agendas = Proposal.objects.filter(pk__in=pk_set or ()).values_list("agenda_id", flat=True)
        for agenda_id in set(agendas):
            changed(agenda_id)
    else:
        changed(instance.agenda_id)


def connect() -> None:
    post_save.connect(_proposal_saved, sender=Proposal, dispatch_uid="agendas-list-saved")
    post_delete.connect(_proposal_saved, sender=Proposal, dispatch_uid="agendas-list-deleted")
    m2m_changed.connect(
        _themes_changed, sender=Proposal.themes.through, dispatch_uid="agendas-list-themes"
    )
