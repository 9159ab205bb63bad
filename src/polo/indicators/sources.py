"""Polo's own data as indicator sources: a small registry of metrics.

A module that keeps figures worth a diagnosis (published organisations,
agreements signed, people trained...) registers a *metric* once, usually from
its AppConfig.ready()::

    from polo.indicators import sources

    sources.register(
        sources.CountMetric(
            key="directory.published_organizations",
            label=_("Organizaciones publicadas en el directorio"),
            queryset=lambda: Organization.objects.published(),
            municipality_field="municipality",
            breakdowns={"organization_kind": "kind", "theme": "themes__slug"},
        )
    )

Coordinators then define indicators over it (``Indicator.source = polo``,
``Indicator.metric = key``) in the same pages as survey indicators. A metric
computes its cells with aggregate queries, like a survey indicator; its
figures have no round (they are of the moment they are computed).

``CountMetric`` covers "how many records, by region, municipality and a few
fields"; a metric needing something else implements ``Metric.compute``.
Records of public data (published organisations) are not suppressed; a
metric over personal data sets ``suppress=True`` and gets the same small-cell
protection as survey answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from polo.indicators.models import MUNICIPALITY, REGION, TOTAL

_REGISTRY: dict[str, Metric] = {}


@dataclass
class Metric:
    key: str
    label: Any
    description: Any = ""
    # Breakdowns beyond total, region and municipality: name -> label.
    extra_breakdowns: dict[str, Any] = field(default_factory=dict)
    suppress: bool = False

    @property
    def dimensions(self) -> list[str]:
        return list(self.extra_breakdowns)

    def compute(self, breakdowns: list[str]) -> list:
        raise NotImplementedError


@dataclass
class CountMetric(Metric):
    """How many records a queryset holds, by territory and by some of its fields.

    ``breakdowns`` maps a breakdown name to the field (a lookup path) whose
    values are the groups; ``choices`` optionally maps a breakdown to
    {value: label} (a field's choices), else the value is its own label, or
    ``label_field`` names a lookup giving the label.
    """

    queryset: Callable[[], QuerySet] | None = None
    municipality_field: str = "municipality"
    breakdowns: dict[str, str] = field(default_factory=dict)
    choices: dict[str, Callable[[], dict[str, str]]] = field(default_factory=dict)

    def compute(self, breakdowns: list[str]) -> list:
        from polo.indicators.compute import CellData
        from polo.territory.models import Municipality, Region

        assert self.queryset is not None
        records = self.queryset().order_by()
        m = self.municipality_field
        cells: list[CellData] = []
        for breakdown in breakdowns:
            if breakdown == TOTAL:
                size = records.count()
                cells.append(CellData(None, TOTAL, "", _g("Total"), size=size, value=size))
            elif breakdown == REGION:
                regions = list(
                    Region.objects.order_by("ordering", "name").values_list("pk", "slug", "name")
                )
                rows = dict(
                    records.values_list(f"{m}__region_id").annotate(n=Count("pk")).order_by()
                )
                for position, (pk, slug, name) in enumerate(regions):
                    if pk in rows:
                        n = rows[pk]
                        cells.append(
                            CellData(None, REGION, slug, name, position=position, size=n, value=n)
                        )
                if None in rows:
                    n = rows[None]
                    label = _g("Fuera de las regiones del programa")
                    cells.append(
                        CellData(None, REGION, "", label, position=len(regions), size=n, value=n)
                    )
            elif breakdown == MUNICIPALITY:
                rows = dict(records.values_list(f"{m}_id").annotate(n=Count("pk")).order_by())
                places = sorted(
                    Municipality.objects.filter(pk__in=[pk for pk in rows if pk]).values_list(
                        "pk", "code", "name", "region__slug"
                    ),
                    key=lambda p: (p[2].casefold(), p[1]),
                )
                for position, (pk, code, name, region) in enumerate(places):
                    n = rows[pk]
                    cells.append(
                        CellData(
                            None,
                            MUNICIPALITY,
                            code,
                            name,
                            parent_key=region or "",
                            position=position,
                            size=n,
                            value=n,
                        )
                    )
            elif breakdown in self.breakdowns:
                lookup = self.breakdowns[breakdown]
                rows = dict(
                    records.values_list(lookup).annotate(n=Count("pk", distinct=True)).order_by()
                )
                labels = self.choices[breakdown]() if breakdown in self.choices else {}
                order = {value: i for i, value in enumerate(labels)}
                for value, n in rows.items():
                    key = "" if value is None else str(value)
                    label = labels.get(key, key) if key else _g("Sin dato")
                    cells.append(
                        CellData(
                            None,
                            breakdown,
                            key,
                            str(label),
                            position=order.get(key, len(order)),
                            size=n,
                            value=n,
                        )
                    )
        return cells


def register(metric: Metric) -> Metric:
    """Add (or replace, on a reload) a metric; returns it."""
    _REGISTRY[metric.key] = metric
    return metric


def get(key: str) -> Metric | None:
    return _REGISTRY.get(key)


def metrics() -> list[Metric]:
    return sorted(_REGISTRY.values(), key=lambda metric: str(metric.label))


def register_builtin() -> None:
    """The metrics over the directory, which predates this registry."""
    from polo.directory.models import Organization, Theme

    register(
        CountMetric(
            key="directory.published_organizations",
            label=_("Organizaciones publicadas en el directorio"),
            description=_(
                "Organizaciones con perfil público en el Directorio Temático, por municipio sede."
            ),
            extra_breakdowns={"organization_kind": _("Tipo de organización"), "theme": _("Tema")},
            queryset=lambda: Organization.objects.published(),
            breakdowns={"organization_kind": "kind", "theme": "themes__slug"},
            choices={
                "organization_kind": lambda: {k: str(v) for k, v in Organization.Kind.choices},
                "theme": lambda: dict(Theme.objects.order_by("name").values_list("slug", "name")),
            },
        )
    )
