"""The printable report of one assessment, for the organisation's own use:
its profile (charts and tables), the item-level detail with the evidence, the
exercises, the improvement plan and the advocacy route. HTML laid out as a PDF
by WeasyPrint, the charts inline as SVG.

A report is a few pages, so it is made in the request (about a second);
fonts are the system's and the renderer fetches nothing, not even a file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation

from polo.assessments import charts, selectors
from polo.assessments.models import Assessment

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass
class Report:
    pdf: bytes
    pages: int
    html: str


def report_html(assessment: Assessment, *, language: str) -> str:
    profile = selectors.profile(assessment, language=language)
    return render_to_string(
        "assessments/report_print.html",
        {
            "assessment": assessment,
            "profile": profile,
            "charts": charts.profile_charts(profile, uid="reporte"),
            "actions": selectors.plan_actions(assessment),
            "route": selectors.advocacy_route(assessment, language=language)
            if assessment.is_completed
            else None,
            "generated": timezone.localtime(),
        },
    )


def render_report(assessment: Assessment, *, language: str = "es-mx") -> Report:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with translation.override(language):
        html = report_html(assessment, language=language)
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=set())).render()
    return Report(pdf=document.write_pdf(), pages=len(document.pages), html=html)
