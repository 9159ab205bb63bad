"""Reads of the indicators module for a viewer: the dashboard, one indicator's
tables, who sees exact figures. Everything is read from the stored cells (a
fixed number of queries whatever the number of indicators or municipalities).

Suppression is applied here, per viewer: a suppressed cell shows no figure to
the public; to a coordinator (or a facilitator, in the regions they
facilitate) it shows the exact figure marked as not publishable.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from polo.indicators.models import (
    MUNICIPALITY,
    ORGANIZATION_KIND,
    QUESTION_PREFIX,
    REGION,
    TOTAL,
    Cell,
    Indicator,
)

ALL = "all"  # exact figures everywhere
MAX_CHART_ROWS = 40  # more bars than this make an unreadable chart: the table says it all

BREAKDOWN_TITLES = {
    TOTAL: _("Total"),
    REGION: _("Por región"),
    MUNICIPALITY: _("Por municipio"),
    ORGANIZATION_KIND: _("Por tipo de organización"),
}


# --- Who sees what -----------------------------------------------------------------


def exact_scope(user) -> str | frozenset[str]:
    """Whose suppressed figures this person may see: ALL, the slugs of the
    regions they facilitate, or none (rules.py's ``indicators.see_exact_figures``)."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    if user.is_coordinator:
        return ALL
    if user.is_facilitator:
        return frozenset(user.regions.values_list("slug", flat=True))
    return frozenset()


def sees_exact(cell: Cell, scope: str | frozenset[str]) -> bool:
    if scope == ALL:
        return True
    if cell.breakdown == REGION:
        return bool(cell.key) and cell.key in scope
    if cell.breakdown == MUNICIPALITY:
        return bool(cell.parent_key) and cell.parent_key in scope
    return False


def indicator_for(user, slug: str) -> Indicator:
    """The indicator, if this person may read it; 404 otherwise (an unpublished
    indicator's existence is not revealed)."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("campaign__instrument"), slug=slug
    )
    if not user.has_perm("indicators.read_indicator", indicator):
        raise Http404
    return indicator


# --- Figures as a viewer sees them -----------------------------------------------------


@dataclass
class Figure:
    value: float | None
    size: int | None
    text: str  # the figure as shown ("55.6 %", "—", "< 5")
    suppressed: str = ""  # "small" / "complementary" for the public
    exact: bool = False  # a publicly suppressed figure shown to staff
    note: str = ""

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def size_text(self) -> str:
        return "" if self.size is None else number_format(self.size, force_grouping=True)


EMPTY = Figure(value=None, size=None, text="—", note=_("Sin respuestas"))


def format_value(indicator: Indicator, value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    decimals = 0 if indicator.unit == Indicator.Unit.COUNT else indicator.decimals
    text = number_format(round(value, decimals), decimals, force_grouping=True)
    if signed and round(value, decimals) > 0:
        text = f"+{text}"
    if indicator.is_percent:
        text = f"{text}\u00a0%"  # never "66.7" at a line's end and "%" on the next
    return text


def figure_of(indicator: Indicator, cell: Cell | None, scope) -> Figure:
    if cell is None:
        return EMPTY
    if cell.suppression and not sees_exact(cell, scope):
        if cell.suppression == Cell.Suppression.SMALL:
            return Figure(
                value=None,
                size=None,
                text=_g("< %(n)s") % {"n": indicator.min_cell},
                suppressed=cell.suppression,
                note=_g("Menos de %(n)s respuestas: no se publica.") % {"n": indicator.min_cell},
            )
        return Figure(
            value=None,
            size=None,
            text=_g("oculto"),
            suppressed=cell.suppression,
            note=_g("Oculto para que otra cifra pequeña no pueda deducirse."),
        )
    figure = Figure(value=cell.value, size=cell.size, text=format_value(indicator, cell.value))
    if cell.suppression:
        figure.exact = True
        figure.note = _g("Cifra exacta con pocas respuestas: no publicar.")
    return figure


@dataclass
class Row:
    key: str
    label: str
    parent_key: str
    parent_label: str
    figures: list[Figure]
    change: float | None = None
    change_text: str = ""
    better: bool | None = None
    exact_change: bool = False

    @property
    def change_word(self) -> str:
        if self.better is None:
            return ""
        return _g("mejora") if self.better else _g("empeora")


@dataclass
class Column:
    """A round (or, for Polo's data, the moment of computing)."""

    pk: int | None
    name: str
    is_baseline: bool = False


@dataclass
class Table:
    breakdown: str
    title: str
    columns: list[Column]
    rows: list[Row]
    has_change: bool
    anchor: str = ""

    @property
    def charted(self) -> bool:
        return 0 < len(self.rows) <= MAX_CHART_ROWS

    @property
    def any_exact(self) -> bool:
        return any(f.exact for row in self.rows for f in row.figures)

    @property
    def any_suppressed(self) -> bool:
        return any(f.suppressed for row in self.rows for f in row.figures)


@dataclass
class IndicatorView:
    indicator: Indicator
    columns: list[Column]
    tables: list[Table]
    scope: Any
    region: Any = None  # a Region the view is narrowed to
    cells: list[Cell] = field(default_factory=list)

    @property
    def total(self) -> Table | None:
        return next((t for t in self.tables if t.breakdown == TOTAL), None)

    def table(self, breakdown: str) -> Table | None:
        return next((t for t in self.tables if t.breakdown == breakdown), None)

    @property
    def any_exact(self) -> bool:
        return any(table.any_exact for table in self.tables)

    @property
    def baseline(self) -> Column | None:
        return self.columns[0] if self.columns else None

    @property
    def latest(self) -> Column | None:
        return self.columns[-1] if len(self.columns) > 1 else None


def columns_of(indicator: Indicator, cells: list[Cell]) -> list[Column]:
    """The rounds with figures, in order, the baseline first (the first round of
    kind baseline, else the first round)."""
    if indicator.source == Indicator.Source.POLO:
        return [Column(pk=None, name=_g("Actual"), is_baseline=True)]
    rounds = {cell.round_id: cell.round for cell in cells if cell.round_id is not None}
    ordered = sorted(rounds.values(), key=lambda r: (r.order, r.pk))
    baseline = next((r for r in ordered if r.kind == "baseline"), ordered[0] if ordered else None)
    if baseline is not None:
        ordered = [baseline, *[r for r in ordered if r.pk != baseline.pk]]
    return [Column(pk=r.pk, name=r.name, is_baseline=r is baseline) for r in ordered]


def breakdown_title(indicator: Indicator, breakdown: str) -> str:
    if breakdown in BREAKDOWN_TITLES:
        return str(BREAKDOWN_TITLES[breakdown])
    if breakdown.startswith(QUESTION_PREFIX):
        name = breakdown[len(QUESTION_PREFIX) :]
        spec = indicator.spec
        node = spec.question(name) if spec else None
        label = spec.text(node.label, get_language()) if node is not None else name
        return _g("Por «%(question)s»") % {"question": label or name}
    from polo.indicators import sources

    metric = sources.get(indicator.metric)
    if metric and breakdown in metric.extra_breakdowns:
        return _g("Por %(what)s") % {"what": str(metric.extra_breakdowns[breakdown]).lower()}
    return breakdown


def _relabel(indicator: Indicator, breakdown: str):
    """Labels in the reader's language where the cells keep Spanish ones."""
    language = get_language() or "es"
    if language.startswith("es"):
        return lambda key, label: label
    if breakdown == ORGANIZATION_KIND:
        from polo.directory.models import Organization

        kinds = dict(Organization.Kind.choices)
        return lambda key, label: str(kinds.get(key, label))
    if breakdown.startswith(QUESTION_PREFIX) and indicator.spec is not None:
        spec = indicator.spec
        node = spec.question(breakdown[len(QUESTION_PREFIX) :])
        if node is not None:
            return lambda key, label: spec.choice_label(node, key, language) if key else label
    return lambda key, label: label


def indicator_view(
    indicator: Indicator, user, *, region=None, breakdowns: list[str] | None = None
) -> IndicatorView:
    """The indicator's tables as this person may see them, narrowed to a region
    (its own figure as the headline and only its municipalities) when given."""
    cells = list(
        Cell.objects.filter(indicator=indicator)
        .select_related("round")
        .order_by("breakdown", "position", "key")
    )
    return build_view(indicator, cells, exact_scope(user), region=region, breakdowns=breakdowns)


def build_view(
    indicator: Indicator, cells: list[Cell], scope, *, region=None, breakdowns=None
) -> IndicatorView:
    columns = columns_of(indicator, cells)
    column_index = {column.pk: i for i, column in enumerate(columns)}
    regions = {c.key: c.label for c in cells if c.breakdown == REGION}
    by_breakdown: dict[str, dict[str, dict[int, Cell]]] = defaultdict(lambda: defaultdict(dict))
    meta: dict[str, dict[str, Cell]] = defaultdict(dict)
    for cell in cells:
        if region is not None and cell.breakdown == MUNICIPALITY and cell.parent_key != region.slug:
            continue
        by_breakdown[cell.breakdown][cell.key][column_index.get(cell.round_id, 0)] = cell
        meta[cell.breakdown].setdefault(cell.key, cell)
    tables = []
    wanted = breakdowns or indicator.breakdowns
    for breakdown in wanted:
        if breakdown not in by_breakdown and breakdown != TOTAL:
            continue
        relabel = _relabel(indicator, breakdown)
        rows = []
        ordered = sorted(meta[breakdown].values(), key=lambda c: (c.position, c.label.casefold()))
        if breakdown == MUNICIPALITY and region is None:
            region_order = {c.key: c.position for c in cells if c.breakdown == REGION}
            ordered.sort(key=lambda c: (region_order.get(c.parent_key, 10**6), c.position))
        for first in ordered:
            found = by_breakdown[breakdown][first.key]
            figures = [figure_of(indicator, found.get(i), scope) for i in range(len(columns))]
            row = Row(
                key=first.key,
                label=relabel(first.key, first.label),
                parent_key=first.parent_key,
                parent_label=regions.get(first.parent_key, "") if first.parent_key else "",
                figures=figures,
            )
            if len(columns) > 1:
                _change(indicator, row, figures[0], figures[-1])
            rows.append(row)
        tables.append(
            Table(
                breakdown=breakdown,
                title=breakdown_title(indicator, breakdown),
                columns=columns,
                rows=rows,
                has_change=len(columns) > 1,
                anchor="por-" + breakdown.replace(QUESTION_PREFIX, "pregunta-").replace("_", "-"),
            )
        )
    return IndicatorView(
        indicator=indicator, columns=columns, tables=tables, scope=scope, region=region, cells=cells
    )


def _change(indicator: Indicator, row: Row, baseline: Figure, latest: Figure) -> None:
    if baseline.value is None or latest.value is None:
        row.change_text = "—"
        return
    row.change = latest.value - baseline.value
    row.change_text = format_value(indicator, row.change, signed=True)
    if indicator.is_percent:
        row.change_text = row.change_text.replace("\u00a0%", "\u00a0pp")
    row.better = indicator.is_better(round(row.change, indicator.decimals))
    row.exact_change = baseline.exact or latest.exact


def definition_lines(indicator: Indicator) -> list[tuple[str, str]]:
    """The definition in words, for the page: (term, description)."""
    language = get_language()
    lines: list[tuple[str, str]] = []
    if indicator.source == Indicator.Source.POLO:
        from polo.indicators import sources

        metric = sources.get(indicator.metric)
        lines.append((_g("Dato"), str(metric.label) if metric else indicator.metric))
        if metric and metric.description:
            lines.append((_g("Qué cuenta"), str(metric.description)))
        return lines
    spec = indicator.spec

    def question(name: str) -> str:
        node = spec.question(name) if spec else None
        return f"«{spec.text(node.label, language) or name}»" if node is not None else name

    if indicator.numerator_condition:
        lines.append((_g("Numerador"), indicator.numerator_condition.describe(spec, language)))
    if indicator.value_question:
        lines.append((_g("Pregunta numérica"), question(indicator.value_question)))
    if indicator.ratio_question:
        lines.append((_g("Dividida entre la suma de"), question(indicator.ratio_question)))
    if indicator.denominator_condition:
        lines.append(
            (
                _g("Entre las respuestas en que"),
                indicator.denominator_condition.describe(spec, language),
            )
        )
    else:
        lines.append((_g("Entre"), _g("todas las respuestas contadas (enviadas y no rechazadas)")))
    for condition in indicator.filter_conditions:
        lines.append((_g("Filtro"), condition.describe(spec, language)))
    return lines


# --- The dashboard ----------------------------------------------------------------------


SLUG_RE = re.compile(r"[-\w]{1,80}", re.ASCII)


def slug_param(value: str | None) -> str:
    """A slug from a query string, or "" for anything else (a NUL byte, which
    PostgreSQL refuses in text, included)."""
    value = (value or "").strip()
    return value if SLUG_RE.fullmatch(value) else ""


@dataclass
class DashboardFilters:
    campaign: str = ""
    round: int | None = None
    region: str = ""

    @classmethod
    def from_params(cls, params) -> DashboardFilters:
        round_text = (params.get("ronda") or "").strip()
        return cls(
            campaign=slug_param(params.get("campana")),
            round=int(round_text) if round_text.isdigit() and len(round_text) < 10 else None,
            region=slug_param(params.get("region")),
        )


@dataclass
class DashboardEntry:
    indicator: Indicator
    view: IndicatorView

    @property
    def headline(self) -> Row | None:
        table = self.view.table(REGION if self.view.region is not None else TOTAL)
        if table is None or not table.rows:
            return None
        if self.view.region is not None:
            return next((r for r in table.rows if r.key == self.view.region.slug), None)
        return table.rows[0]


def dashboard(user, filters: DashboardFilters) -> dict[str, Any]:
    """Published indicators with their headline figures (the total, or the
    region's), in five queries whatever their number."""
    from polo.surveys.models import Campaign, Round
    from polo.territory.models import Region

    regions = list(Region.objects.order_by("ordering", "name"))
    region = next((r for r in regions if r.slug == filters.region), None)
    indicators = Indicator.objects.published().select_related("campaign")
    if filters.campaign:
        indicators = indicators.filter(campaign__slug=filters.campaign)
    indicators = list(indicators)
    headline = [TOTAL, REGION] if region is not None else [TOTAL]
    wanted = Q(breakdown__in=headline)
    if region is not None:
        wanted = Q(breakdown=TOTAL) | Q(breakdown=REGION, key=region.slug)
    cells = Cell.objects.filter(wanted, indicator__in=[i.pk for i in indicators]).select_related(
        "round"
    )
    if filters.round is not None:
        # The round asked for, beside the baseline it is compared with.
        cells = cells.filter(
            Q(round_id=filters.round) | Q(round__kind="baseline") | Q(round__isnull=True)
        )
    by_indicator: dict[int, list[Cell]] = defaultdict(list)
    for cell in cells:
        by_indicator[cell.indicator_id].append(cell)
    scope = exact_scope(user)
    entries = [
        DashboardEntry(
            indicator=indicator,
            view=build_view(
                indicator,
                by_indicator.get(indicator.pk, []),
                scope,
                region=region,
                breakdowns=headline,
            ),
        )
        for indicator in indicators
    ]
    campaigns = list(
        Campaign.objects.filter(indicators__is_published=True).distinct().order_by("title")
    )
    rounds = list(
        Round.objects.filter(campaign__in=campaigns)
        .select_related("campaign")
        .order_by("campaign__title", "order")
    )
    return {
        "entries": entries,
        "filters": filters,
        "region": region,
        "regions": regions,
        "campaigns": campaigns,
        "rounds": rounds,
    }
