"""An indicator's figures, computed by aggregate queries in the database.

The unit of analysis is the response. For one survey indicator:

- the *base* is the counted responses (``Response.objects.counted()``) of the
  campaign's rounds that satisfy every filter and the denominator condition;
  each condition is an EXISTS over ``Answer`` (see conditions.py);
- a count is the responses of the base that satisfy the numerator (all of
  the base without one); a percentage is that over the base;
- a mean, median or sum is over the numeric answers of one question among the
  base responses that answered it; a percentage of sums is 100 × the sum of one
  question over the sum of another, among those that answered both.

Each breakdown is one query grouped by round and group, so a figure by
municipality for every round costs one query whatever the number of
responses: ``GROUP BY round, municipality`` over the base with the numerator
as a conditional count, and sums and averages over the numeric answer joined
once. The median is ``percentile_cont`` on PostgreSQL; elsewhere (SQLite) it
is taken with window functions in the same query (the middle row or two of
each group, ordered), so the numbers never come to Python one by one.

Polo's own data (``sources.py``) is computed by the metric's own function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    F,
    FilteredRelation,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.utils import translation
from django.utils.translation import gettext as _g

from polo.indicators.models import (
    MUNICIPALITY,
    ORGANIZATION_KIND,
    QUESTION_PREFIX,
    REGION,
    TOTAL,
    Indicator,
)


@dataclass
class CellData:
    """A computed figure before it is stored (see models.Cell)."""

    round_id: int | None
    breakdown: str
    key: str
    label: str
    parent_key: str = ""
    position: int = 0
    size: int = 0
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    suppression: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Median(Aggregate):
    """PostgreSQL's continuous median (the mean of the two middle values)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class IndicatorError(Exception):
    """The indicator cannot be computed (its form is gone, its metric unknown)."""


def compute(indicator: Indicator, *, round_ids: list[int] | None = None) -> list[CellData]:
    """Every cell of the indicator, exact (suppression is suppression.py's)."""
    if indicator.source == Indicator.Source.POLO:
        from polo.indicators import sources

        metric = sources.get(indicator.metric)
        if metric is None:
            raise IndicatorError(f"unknown metric {indicator.metric!r}")
        return metric.compute(indicator.breakdowns)
    with translation.override("es"):
        return SurveyComputation(indicator, round_ids=round_ids).cells()


class SurveyComputation:
    def __init__(self, indicator: Indicator, *, round_ids: list[int] | None = None) -> None:
        self.indicator = indicator
        self.spec = indicator.spec
        if self.spec is None:
            raise IndicatorError("the campaign's instrument has no form")
        if round_ids is None:
            round_ids = list(indicator.campaign.rounds.values_list("pk", flat=True))
        self.round_ids = round_ids

    # --- The query ----------------------------------------------------------------

    def base(self) -> QuerySet:
        from polo.surveys.models import Response

        indicator = self.indicator
        responses = Response.objects.counted().filter(round_id__in=self.round_ids).order_by()
        conditions = list(indicator.filter_conditions)
        if indicator.denominator_condition is not None:
            conditions.append(indicator.denominator_condition)
        for condition in conditions:
            responses = responses.filter(condition.q(self.spec, round_ids=self.round_ids))
        unit = indicator.unit
        if unit in {Indicator.Unit.COUNT, Indicator.Unit.PERCENT}:
            return responses
        # Numeric answers join once (a question outside repeats: at most one row);
        # the round in the join lets the database read them by (round, name).
        responses = responses.annotate(
            value_answer=FilteredRelation(
                "answers", condition=self.answer_of(indicator.value_question)
            )
        ).filter(value_answer__number__isnull=False)
        if unit == Indicator.Unit.RATIO:
            responses = responses.annotate(
                ratio_answer=FilteredRelation(
                    "answers", condition=self.answer_of(indicator.ratio_question)
                )
            ).filter(ratio_answer__number__isnull=False)
        return responses

    def answer_of(self, question: str) -> Q:
        return Q(answers__name=question, answers__round_id__in=self.round_ids)

    def grouped(self, breakdown: str) -> QuerySet:
        """The base annotated with ``grp``, the group's key for this breakdown."""
        responses = self.base()
        if breakdown == TOTAL:
            group: Any = Value("")
        elif breakdown == REGION:
            group = F("municipality__region_id")
        elif breakdown == MUNICIPALITY:
            group = F("municipality_id")
        elif breakdown == ORGANIZATION_KIND:
            group = F("organization__kind")
        elif breakdown.startswith(QUESTION_PREFIX):
            name = breakdown[len(QUESTION_PREFIX) :]
            # LEFT JOIN: responses without that answer form the "no answer" group;
            # a multiple choice puts a response in the group of each option chosen.
            responses = responses.annotate(
                group_answer=FilteredRelation("answers", condition=self.answer_of(name))
            )
            group = F("group_answer__value")
        else:
            raise IndicatorError(f"unknown breakdown {breakdown!r}")
        return responses.annotate(grp=group)

    def measures(self) -> dict[str, Any]:
        indicator = self.indicator
        measures: dict[str, Any] = {"size": Count("pk")}
        unit = indicator.unit
        if unit in {Indicator.Unit.COUNT, Indicator.Unit.PERCENT}:
            numerator = indicator.numerator_condition
            if numerator is not None:
                measures["hits"] = Count(
                    "pk", filter=numerator.q(self.spec, round_ids=self.round_ids)
                )
        elif unit == Indicator.Unit.RATIO:
            measures["top"] = Sum("value_answer__number")
            measures["bottom"] = Sum("ratio_answer__number")
        elif unit == Indicator.Unit.MEDIAN:
            if connection.vendor == "postgresql":
                measures["middle"] = Median("value_answer__number")
        else:
            measures["total"] = Sum("value_answer__number")
            measures["mean"] = Avg("value_answer__number")
        return measures

    def rows(self, breakdown: str) -> list[dict[str, Any]]:
        grouped = self.grouped(breakdown)
        rows = list(grouped.values("round_id", "grp").annotate(**self.measures()).order_by())
        if self.indicator.unit == Indicator.Unit.MEDIAN and connection.vendor != "postgresql":
            medians = window_medians(grouped.annotate(v=F("value_answer__number")))
            for row in rows:
                row["middle"] = medians.get((row["round_id"], row["grp"]))
        return rows

    # --- Cells --------------------------------------------------------------------

    def cells(self) -> list[CellData]:
        cells: list[CellData] = []
        for breakdown in self.indicator.breakdowns:
            rows = self.rows(breakdown)
            labels = self.labels(breakdown, {row["grp"] for row in rows})
            for row in rows:
                key, label, parent, position = labels(row["grp"])
                cell = CellData(
                    round_id=row["round_id"],
                    breakdown=breakdown,
                    key=key,
                    label=label,
                    parent_key=parent,
                    position=position,
                    size=row["size"],
                )
                self.fill(cell, row)
                cells.append(cell)
        return cells

    def fill(self, cell: CellData, row: dict[str, Any]) -> None:
        unit = self.indicator.unit
        size = row["size"]
        if unit == Indicator.Unit.COUNT:
            hits = row.get("hits", size)
            cell.numerator, cell.denominator, cell.value = hits, size, float(hits)
        elif unit == Indicator.Unit.PERCENT:
            hits = row.get("hits", size)
            cell.numerator, cell.denominator = hits, size
            cell.value = 100.0 * hits / size if size else None
        elif unit == Indicator.Unit.RATIO:
            top, bottom = row["top"], row["bottom"]
            cell.numerator, cell.denominator = top, bottom
            cell.value = 100.0 * top / bottom if bottom else None
        elif unit == Indicator.Unit.MEDIAN:
            cell.value = row.get("middle")
        elif unit == Indicator.Unit.SUM:
            cell.numerator, cell.value = row["total"], row["total"]
        else:  # mean
            cell.numerator, cell.denominator = row["total"], size
            cell.value = row["mean"]

    def labels(self, breakdown: str, keys: set[Any]):
        """A function from a group's key (as grouped) to (key, label, parent, position);
        ``keys`` are the groups found."""
        from polo.directory.models import Organization
        from polo.territory.models import Municipality, Region

        if breakdown == TOTAL:
            total = _g("Total")
            return lambda value: ("", total, "", 0)
        if breakdown == REGION:
            regions = list(Region.objects.order_by("ordering", "name").values("pk", "slug", "name"))
            by_pk = {r["pk"]: (r["slug"], r["name"], "", i) for i, r in enumerate(regions)}
            outside = ("", _g("Fuera de las regiones del programa"), "", len(regions))
            return lambda value: by_pk.get(value, outside)
        if breakdown == MUNICIPALITY:
            places = Municipality.objects.filter(pk__in=[k for k in keys if k]).values(
                "pk", "code", "name", "region__slug"
            )
            ordered = sorted(places, key=lambda m: (m["name"].casefold(), m["code"]))
            by_pk = {
                m["pk"]: (m["code"], m["name"], m["region__slug"] or "", i)
                for i, m in enumerate(ordered)
            }
            nowhere = ("", _g("Sin municipio"), "", len(ordered))
            return lambda value: by_pk.get(value, nowhere)
        if breakdown == ORGANIZATION_KIND:
            kinds = {
                kind: (kind, str(label), "", i)
                for i, (kind, label) in enumerate(Organization.Kind.choices)
            }
            none = ("", _g("Sin organización"), "", len(kinds))
            return lambda value: kinds.get(value, none if not value else (value, value, "", 99))
        name = breakdown[len(QUESTION_PREFIX) :]
        node = self.spec.question(name)
        choices = self.spec.choices_for(node) if node is not None else []
        options = {
            choice.name: (choice.name, choice.text(self.spec.languages, "es"), "", i)
            for i, choice in enumerate(choices)
        }
        unanswered = ("", _g("Sin respuesta"), "", len(options) + 1)
        # An answer no longer among the choices (an older version of the form).
        return lambda value: (
            unanswered if not value else options.get(value, (value, value, "", len(options)))
        )


def window_medians(queryset: QuerySet) -> dict[tuple[Any, Any], float]:
    """Medians per (round, group) of ``v`` over a queryset annotated with ``grp``
    and ``v``, with window functions (for databases without percentile_cont).

    The queryset's own SQL, with its parameters, is wrapped: each group's rows
    are numbered in order and the middle one (odd count) or two (even) averaged.
    """
    inner, params = queryset.values("round_id", "grp", "v").query.sql_with_params()
    sql = f"""
        SELECT round_id, grp, AVG(v) FROM (
            SELECT round_id, grp, v,
                   ROW_NUMBER() OVER (PARTITION BY round_id, grp ORDER BY v) AS position,
                   COUNT(*) OVER (PARTITION BY round_id, grp) AS size
            FROM ({inner}) AS base
            WHERE v IS NOT NULL
        ) AS ranked
        WHERE position IN ((size + 1) / 2, (size + 2) / 2)
        GROUP BY round_id, grp
    """  # noqa: S608 (the inner SQL is Django's own, with its parameters apart)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(round_id, grp): value for round_id, grp, value in cursor.fetchall()}
