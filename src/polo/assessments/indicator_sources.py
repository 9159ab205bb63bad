"""The assessments' aggregates as indicator sources for the diagnosis
dashboard: the mean score of each area (and overall) over each organisation's
latest completed assessment, by region, municipality and kind of
organisation.

Registered from ``AssessmentsConfig.ready()`` in the indicators app's
registry of Polo-data metrics (``polo.indicators.sources``), one metric per
area of the shipped Incidence Manual (the registry is filled before any
database is read, so the areas come from the instrument's tables, not from an
uploaded version; an area an adapted version adds is still in this app's own
aggregate page). The figures are about organisations' private assessments,
so the metrics ask for small-cell suppression (``suppress=True``): each
cell's size is its number of organisations.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, F, FloatField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from polo.assessments.instrument.manual import area_labels

OVERALL = "__overall__"


def _cells(area: str, breakdowns: list[str]) -> list:
    from polo.assessments.models import Assessment
    from polo.directory.models import Organization
    from polo.indicators.compute import CellData
    from polo.indicators.models import MUNICIPALITY, ORGANIZATION_KIND, REGION, TOTAL
    from polo.territory.models import Municipality, Region

    records = Assessment.objects.current().order_by()
    if area == OVERALL:
        records, value = records.exclude(overall_score=None), F("overall_score")
    else:
        records = records.filter(scores__has_key=area)
        value = Cast(KT(f"scores__{area}"), FloatField())
    place, kind = "organization__municipality", "organization__kind"

    def grouped(lookup: str) -> dict:
        return {
            key: (n, mean)
            for key, n, mean in records.values_list(lookup)
            .annotate(n=Count("pk"), mean=Avg(value))
            .order_by()
        }

    cells = []
    for breakdown in breakdowns:
        if breakdown == TOTAL:
            summary = records.aggregate(n=Count("pk"), mean=Avg(value))
            cells.append(
                CellData(None, TOTAL, "", _g("Total"), size=summary["n"], value=summary["mean"])
            )
        elif breakdown == REGION:
            rows = grouped(f"{place}__region_id")
            for position, (pk, slug, name) in enumerate(
                Region.objects.order_by("ordering", "name").values_list("pk", "slug", "name")
            ):
                if pk in rows:
                    n, mean = rows[pk]
                    cells.append(
                        CellData(None, REGION, slug, name, position=position, size=n, value=mean)
                    )
        elif breakdown == MUNICIPALITY:
            rows = grouped(f"{place}_id")
            places = Municipality.objects.filter(pk__in=[pk for pk in rows if pk]).values_list(
                "pk", "code", "name", "region__slug"
            )
            for position, (pk, code, name, region) in enumerate(
                sorted(places, key=lambda p: (p[2].casefold(), p[1]))
            ):
                n, mean = rows[pk]
                cells.append(
                    CellData(
                        None,
                        MUNICIPALITY,
                        code,
                        name,
                        parent_key=region or "",
                        position=position,
                        size=n,
                        value=mean,
                    )
                )
        elif breakdown == ORGANIZATION_KIND:
            rows = grouped(kind)
            for position, (kind, label) in enumerate(Organization.Kind.choices):
                if kind in rows:
                    n, mean = rows[kind]
                    cells.append(
                        CellData(
                            None,
                            ORGANIZATION_KIND,
                            kind,
                            str(label),
                            position=position,
                            size=n,
                            value=mean,
                        )
                    )
    return cells


def _metric_label(es: str, en: str) -> str:
    area = en if (get_language() or "").startswith("en") else es
    return _g("Autodiagnóstico: %(area)s, puntaje promedio (1 a 4)") % {"area": area}


# The label in the language of whoever reads it, like gettext_lazy's.
_area_label = lazy(_metric_label, str)


def register() -> None:
    try:
        from polo.indicators import sources
        from polo.indicators.models import ORGANIZATION_KIND
    except ImportError:  # the indicators app is not installed
        return

    @dataclass
    class AreaScoreMetric(sources.Metric):
        area: str = OVERALL

        def compute(self, breakdowns: list[str]) -> list:
            return _cells(self.area, breakdowns)

    kinds = {ORGANIZATION_KIND: _("Tipo de organización")}
    sources.register(
        AreaScoreMetric(
            key="assessments.overall_score",
            label=_("Autodiagnóstico: puntaje general promedio (1 a 4)"),
            description=_(
                "Promedio del puntaje general del autodiagnóstico más reciente de cada "
                "organización (Manual de incidencia), de 1 a 4."
            ),
            extra_breakdowns=kinds,
            suppress=True,
            area=OVERALL,
        )
    )
    for slug, label_es, label_en in area_labels():
        sources.register(
            AreaScoreMetric(
                key=f"assessments.area_score.{slug}",
                label=_area_label(label_es, label_en),
                description=_(
                    "Promedio del puntaje del área en el autodiagnóstico más reciente de cada "
                    "organización (Manual de incidencia), de 1 a 4."
                ),
                extra_breakdowns=kinds,
                suppress=True,
                area=slug,
            )
        )
