"""The arithmetic of an assessment, from the answers and the definition alone.

- An item's score is its level, 1 to 4 (the choice's name). An answer that is
  not a level of the scale (an old or imported value) does not count, and is
  reported.
- An area's score is the weighted mean of its answered items:
  Σ weight × level / Σ weight. An area with no answered item has no score.
- The overall score is the plain mean of the area scores: every area counts
  the same, whatever its number of items.
- The strongest and weakest areas are those with the highest and lowest
  score (all of them when tied); none when every area scores the same.
- A weak item is one at level 2 or below: the improvement plan starts there.

No database here: ``services`` stores what this returns (``AreaScore``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from polo.assessments.definition import WEAK_AT_MOST, Area, Definition, Item

# Bands for reading a score in words, by its lower bound.
BANDS = (
    (3.25, _("Consolidado")),
    (2.5, _("Establecido")),
    (1.75, _("En desarrollo")),
    (0.0, _("Inicial")),
)


@dataclass
class ItemScore:
    item: Item
    value: int | None  # the level, when answered on the scale
    raw: str = ""  # what the answers hold

    @property
    def answered(self) -> bool:
        return self.value is not None

    @property
    def weak(self) -> bool:
        return self.value is not None and self.value <= WEAK_AT_MOST

    @property
    def out_of_scale(self) -> bool:
        return self.value is None and self.raw != ""


@dataclass
class AreaResult:
    area: Area
    score: float | None
    items_answered: int
    items_total: int
    weight: float  # of the answered items


@dataclass
class Result:
    areas: list[AreaResult]
    items: dict[str, ItemScore]
    overall: float | None
    strongest: list[AreaResult] = field(default_factory=list)
    weakest: list[AreaResult] = field(default_factory=list)

    @property
    def weak_items(self) -> list[ItemScore]:
        return [score for score in self.items.values() if score.weak]

    @property
    def out_of_scale(self) -> list[ItemScore]:
        return [score for score in self.items.values() if score.out_of_scale]

    @property
    def complete(self) -> bool:
        return all(score.answered for score in self.items.values())


def item_value(item: Item, raw: Any) -> int | None:
    if not isinstance(raw, str):
        return None
    level = item.level_for(raw.strip())
    return level.value if level is not None else None


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Σ w·x / Σ w over (value, weight) pairs; None when there are none."""
    total = sum(weight for _value, weight in pairs)
    if not pairs or total <= 0:
        return None
    return sum(value * weight for value, weight in pairs) / total


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def extremes(areas: list[AreaResult]) -> tuple[list[AreaResult], list[AreaResult]]:
    """(strongest, weakest): the areas at the top and bottom score, ties kept;
    both empty when fewer than two areas differ."""
    scored = [area for area in areas if area.score is not None]
    if len(scored) < 2:
        return [], []
    top = max(area.score for area in scored)
    bottom = min(area.score for area in scored)
    if _same(top, bottom):
        return [], []
    return (
        [area for area in scored if _same(area.score, top)],
        [area for area in scored if _same(area.score, bottom)],
    )


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) < 1e-9


def score(definition: Definition, data: Mapping[str, Any]) -> Result:
    items: dict[str, ItemScore] = {}
    areas: list[AreaResult] = []
    for area in definition.areas:
        pairs = []
        for item in area.items:
            raw = data.get(item.name, "")
            value = item_value(item, raw)
            items[item.name] = ItemScore(
                item=item, value=value, raw=raw if isinstance(raw, str) else ""
            )
            if value is not None:
                pairs.append((float(value), item.weight))
        areas.append(
            AreaResult(
                area=area,
                score=weighted_mean(pairs),
                items_answered=len(pairs),
                items_total=len(area.items),
                weight=sum(weight for _value, weight in pairs),
            )
        )
    overall = mean([area.score for area in areas if area.score is not None])
    strongest, weakest = extremes(areas)
    return Result(areas=areas, items=items, overall=overall, strongest=strongest, weakest=weakest)


def band(value: float | None):
    """The score in words (Inicial … Consolidado)."""
    if value is None:
        return ""
    for bound, label in BANDS:
        if value >= bound:
            return label
    return BANDS[-1][1]


def change(current: float | None, previous: float | None) -> float | None:
    if current is None or previous is None:
        return None
    return current - previous
