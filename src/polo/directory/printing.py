"""The printable edition of the Thematic Directory: HTML laid out as a PDF by
WeasyPrint.

Cover, contents, organisations grouped by state → region → theme, an index by
name and one by theme, page numbers everywhere through CSS ``target-counter``.
An organisation with several themes is described once, under its first theme
(the first one given to it), and listed under every theme in the theme index.
Only public fields and public contacts are printed. Fonts are the system's
(DejaVu through fontconfig): the renderer fetches nothing, not even a file.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _g

from polo.directory import exporting
from polo.directory.models import ContactPoint, Organization, Theme
from polo.directory.selectors import DirectoryFilters, organization_search
from polo.directory.text import fold

MAX_ORGANIZATIONS = 5_000  # one printed volume; larger selections are filtered first
STORAGE_DIR = "prints"
DESCRIPTION_CHARS = 900
# WeasyPrint reports every laid-out page at INFO: too much for a worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def pdf_path(job_id) -> str:
    return f"{STORAGE_DIR}/{job_id}.pdf"


class _Progress:
    def __init__(self, job) -> None:
        self.job = job
        self.done = 0

    def to(self, percent: int) -> None:
        if self.job is not None and percent > self.done:
            self.job.advance(percent - self.done)
            self.done = percent


@dataclass
class Group:
    title: str
    anchor: str
    children: list[Any] = field(default_factory=list)


@dataclass
class PrintResult:
    pdf: bytes
    pages: int
    count: int
    html: str  # the directory, as laid out (for tests and debugging)
    index_html: str  # the indexes, with their page numbers


def _sort_key(name: str) -> str:
    return fold(name).strip(" «»\"'¡¿(")


def directory_context(filters: DirectoryFilters) -> dict[str, Any]:
    """The organisations of a search, grouped for print, with both indexes."""
    organizations = list(
        organization_search(filters)
        .select_related("municipality__state", "municipality__region", "community")
        .prefetch_related(
            "populations",
            "languages",
            Prefetch(
                "contacts",
                queryset=ContactPoint.objects.filter(is_public=True),
                to_attr="public_contacts",
            ),
        )
    )
    themes = {theme.pk: theme for theme in Theme.objects.all()}
    order: dict[int, list[Theme]] = defaultdict(list)
    through = Organization.themes.through
    ids = [org.pk for org in organizations]
    for start in range(0, len(ids), 500):
        links = (
            through.objects.filter(organization_id__in=ids[start : start + 500])
            .order_by("id")
            .values_list("organization_id", "theme_id")
        )
        for org_id, theme_id in links:
            order[org_id].append(themes[theme_id])
    no_theme = _g("Sin tema asignado")
    no_region = _g("Sin región del programa")

    tree: dict[Any, dict[Any, dict[str, list[Organization]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    by_theme: dict[str, list[Organization]] = defaultdict(list)
    for org in organizations:
        org.ordered_themes = order.get(org.pk, [])
        org.other_themes = org.ordered_themes[1:]
        org.anchor = f"org-{org.pk}"
        org.short_description = _shorten(org.description)
        municipality = org.municipality
        first = org.ordered_themes[0].name if org.ordered_themes else no_theme
        tree[municipality.state][municipality.region][first].append(org)
        for theme in org.ordered_themes or [None]:
            by_theme[theme.name if theme else no_theme].append(org)

    sections: list[Group] = []
    for s_index, state in enumerate(sorted(tree, key=lambda st: _sort_key(st.name))):
        state_group = Group(state.name, f"estado-{state.code}")
        regions = sorted(
            tree[state],
            key=lambda r: (r is None, getattr(r, "ordering", 0), _sort_key(getattr(r, "name", ""))),
        )
        for r_index, region in enumerate(regions):
            region_group = Group(
                region.name if region else no_region, f"region-{s_index}-{r_index}"
            )
            theme_names = sorted(
                tree[state][region], key=lambda name: (name == no_theme, _sort_key(name))
            )
            for t_index, name in enumerate(theme_names):
                entries = sorted(tree[state][region][name], key=lambda o: _sort_key(o.name))
                region_group.children.append(
                    Group(name, f"tema-{s_index}-{r_index}-{t_index}", entries)
                )
            state_group.children.append(region_group)
        sections.append(state_group)

    name_index = sorted(organizations, key=lambda o: (_sort_key(o.name), o.pk))
    theme_index = [
        Group(name, f"indice-tema-{i}", sorted(by_theme[name], key=lambda o: _sort_key(o.name)))
        for i, name in enumerate(sorted(by_theme, key=lambda n: (n == no_theme, _sort_key(n))))
    ]
    return {
        "sections": sections,
        "name_index": name_index,
        "theme_index": theme_index,
        "count": len(organizations),
        "filters_text": exporting.filters_description(filters) if not filters.is_empty else "",
        "generated": timezone.localtime(),
        "credit": exporting.credit(),
    }


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_CHARS:
        return text
    return text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"


def render_pdf(filters: DirectoryFilters, *, progress=None) -> PrintResult:
    """The PDF of a search. ``progress`` (a Job) goes from 0 to 100.

    Two documents laid out one after the other and bound into one PDF: the
    directory (its contents use ``target-counter``), then the indexes, whose
    page numbers are read from where the first layout put each entry. Page
    references by the thousand in one document make WeasyPrint's layout
    quadratic (half the time for 1,000 organisations); this way it stays linear.
    """
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    steps = _Progress(progress)
    if progress is not None:
        progress.start(100)
    # Nothing to fetch: no images, fonts from the system; refuse any URL at all.
    fetcher = URLFetcher(allowed_protocols=set())
    with translation.override("es-mx"):
        context = directory_context(filters)
        html = render_to_string("directory/io/print.html", context)
        steps.to(10)
        main = HTML(string=html, url_fetcher=fetcher).render()
        steps.to(60)
        pages = {
            anchor: number for number, page in enumerate(main.pages, 1) for anchor in page.anchors
        }
        for org in context["name_index"]:
            org.page = pages.get(org.anchor, "")
        index_html = render_to_string(
            "directory/io/print_index.html", {**context, "first_page": len(main.pages) + 1}
        )
        index = HTML(string=index_html, url_fetcher=fetcher).render()
    steps.to(80)
    document = main.copy(main.pages + index.pages)
    pdf = document.write_pdf()
    steps.to(100)
    return PrintResult(
        pdf=pdf, pages=len(document.pages), count=context["count"], html=html, index_html=index_html
    )
