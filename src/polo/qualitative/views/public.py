"""The public dashboard of the qualitative diagnosis: theme frequencies by
region, as a table and a bar chart drawn on the server (inline SVG, no
script), with the quotes a coordinator published. Small cells are suppressed
for the public; programme staff see them, marked."""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from polo.qualitative import selectors
from polo.qualitative.selectors import Dashboard, DashboardFilters
from polo.territory.models import Region

CHART_WIDTH = 640
CHART_LABEL_WIDTH = 250
CHART_VALUE_WIDTH = 110
CHART_ROW = 28
CHART_BAR = 18
CHART_LABEL_CHARS = 34


@dataclass
class Bar:
    # Coordinates as text: a localized float ("12,5") would break the SVG.
    y: str
    text_y: str
    label: str
    width: str
    value_x: str
    value: int | None  # None: suppressed


def chart_bars(data: Dashboard) -> list[Bar]:
    """One horizontal bar per theme: its coded passages (in the chosen region,
    or in all), scaled to the largest shown."""
    room = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_VALUE_WIDTH
    largest = data.chart_max or 1
    bars = []
    for index, row in enumerate(data.rows):
        label = str(row.code)
        if len(label) > CHART_LABEL_CHARS:
            label = label[: CHART_LABEL_CHARS - 1] + "…"
        shown = row.total.shown
        width = round(room * row.total.passages / largest, 1) if shown else 0.0
        bars.append(
            Bar(
                y=str(index * CHART_ROW + (CHART_ROW - CHART_BAR) // 2),
                text_y=str(index * CHART_ROW + CHART_ROW // 2 + 5),
                label=label,
                width=f"{width:.1f}",
                value_x=f"{CHART_LABEL_WIDTH + width + 6:.1f}",
                value=row.total.passages if shown else None,
            )
        )
    return bars


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    regions = list(Region.objects.order_by("ordering", "name"))
    rounds = selectors.rounds_with_qualitative_data()
    filters = DashboardFilters.from_params(request.GET, rounds, regions)
    # rules alone: Django's model backend would add permission queries.
    staff = rules.has_perm("qualitative.view_unsuppressed", request.user)
    data = selectors.dashboard(filters, regions, suppress=not staff)
    bars = chart_bars(data)
    return render(
        request,
        "qualitative/dashboard.html",
        {
            "data": data,
            "filters": filters,
            "rounds": rounds,
            "regions": regions,
            "bars": bars,
            "staff": staff,
            "chart": {
                "width": CHART_WIDTH,
                "height": max(len(bars), 1) * CHART_ROW,
                "label_x": CHART_LABEL_WIDTH - 8,
                "bar_x": CHART_LABEL_WIDTH,
                "bar_height": CHART_BAR,
            },
        },
    )


urlpatterns = [path("", dashboard, name="dashboard")]
