"""The printable diagnosis report of a region: every published indicator with
the region's figure in each round and its change, a bar chart and a map of its
municipalities, and the table with the same figures. HTML laid out as a PDF
by WeasyPrint, the charts and maps inline as SVG; public figures only (the
report is made to be shared), whoever asks for it.

Fonts are the system's; the renderer fetches nothing, not even a file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation

from polo.indicators import charts
from polo.indicators.models import MUNICIPALITY, REGION, Cell, Indicator
from polo.indicators.selectors import build_view

STORAGE_DIR = "indicator-reports"
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def pdf_path(job_id) -> str:
    return f"{STORAGE_DIR}/{job_id}.pdf"


@dataclass
class ReportResult:
    pdf: bytes
    pages: int
    indicators: int
    html: str


def report_context(region) -> dict:
    """Each published indicator as the public sees it, narrowed to the region."""
    from polo.territory.models import Municipality

    indicators = list(Indicator.objects.published().select_related("campaign__instrument"))
    cells_by: dict[int, list[Cell]] = {i.pk: [] for i in indicators}
    for cell in (
        Cell.objects.filter(indicator__in=[i.pk for i in indicators])
        .select_related("round")
        .order_by("breakdown", "position", "key")
    ):
        cells_by[cell.indicator_id].append(cell)
    municipalities = list(
        Municipality.objects.filter(region=region)
        .exclude(svg_path="")
        .only("code", "name", "svg_path", "bbox")
    )
    sections = []
    for indicator in indicators:
        view = build_view(
            indicator,
            cells_by[indicator.pk],
            frozenset(),  # the public's figures
            region=region,
            breakdowns=[REGION, MUNICIPALITY],
        )
        region_table = view.table(REGION)
        headline = (
            next((r for r in region_table.rows if r.key == region.slug), None)
            if (region_table)
            else None
        )
        table = view.table(MUNICIPALITY)
        chart = ""
        if table is not None and table.charted:
            chart = charts.bar_chart(
                view,
                table,
                title=f"{indicator.name}: {region.name}",
                description=str(table.title),
            )
        last = len(view.columns) - 1
        choropleth = charts.choropleth(view, last, municipalities) if last >= 0 else None
        sections.append(
            {
                "indicator": indicator,
                "view": view,
                "headline": headline,
                "table": table,
                "chart": chart,
                "map": choropleth,
            }
        )
    return {
        "region": region,
        "sections": sections,
        "generated": timezone.localtime(),
    }


def render_pdf(region, *, progress=None) -> ReportResult:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    if progress is not None:
        progress.start(100)
    fetcher = URLFetcher(allowed_protocols=set())
    with translation.override("es-mx"):
        context = report_context(region)
        html = render_to_string("indicators/report_print.html", context)
    if progress is not None:
        progress.advance(30)
    document = HTML(string=html, url_fetcher=fetcher).render()
    pdf = document.write_pdf()
    if progress is not None:
        progress.advance(70)
    return ReportResult(
        pdf=pdf, pages=len(document.pages), indicators=len(context["sections"]), html=html
    )
