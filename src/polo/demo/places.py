"""Where demo content goes: the programme's regions, or every municipality."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

from polo.demo import DemoError
from polo.territory.models import Municipality, Region

T = TypeVar("T")

# The programme's regions as the territory catalogue names them.
PROGRAMME_REGIONS = [
    "valles-centrales",
    "mixteca-huajuapan",
    "tehuacan",
    "puebla",
    "acapulco",
    "montana",
]


def programme_regions() -> dict[Region, list[Municipality]]:
    """Each region that has municipalities, with them (largest first)."""
    municipalities = (
        Municipality.objects.in_programme()
        .select_related("state", "region__state")
        .order_by("region__ordering", "region__slug", "-population", "code")
    )
    by_region: dict[Region, list[Municipality]] = {}
    for municipality in municipalities:
        by_region.setdefault(municipality.region, []).append(municipality)
    if not by_region:
        raise DemoError(
            "El catálogo territorial está vacío: no hay regiones con municipios. "
            "Carga el territorio primero con `polo load-territory`."
        )
    return by_region


def all_municipalities() -> list[Municipality]:
    municipalities = list(Municipality.objects.select_related("state", "region").order_by("code"))
    if not municipalities:
        raise DemoError(
            "El catálogo territorial está vacío. Carga el territorio primero con "
            "`polo load-territory`."
        )
    return municipalities


def capital_weights(municipalities: Sequence[Municipality], boost: float = 3.0) -> list[float]:
    """Population weights, the region's main municipality counted ``boost`` times:
    organisations cluster in the cities where offices, funders and universities are."""
    weights = [float(max(m.population, 1)) for m in municipalities]
    if weights:
        main = max(range(len(weights)), key=lambda i: weights[i])
        weights[main] *= boost
    return weights


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), exactly."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    whole = sum(weights)
    if whole <= 0:
        weights, whole = [1.0] * len(weights), float(len(weights))
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def sample_weighted(
    rng: random.Random, items: Sequence[T], weights: Sequence[float], k: int
) -> list[T]:
    """Up to ``k`` distinct items, drawn by weight without replacement."""
    pool, pool_weights, picked = list(items), list(weights), []
    while pool and len(picked) < k:
        index = rng.choices(range(len(pool)), weights=pool_weights)[0]
        picked.append(pool.pop(index))
        pool_weights.pop(index)
    return picked
