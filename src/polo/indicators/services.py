"""Writes of the indicators module: definitions and their computed cells."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from polo.indicators import compute, suppression
from polo.indicators.models import Cell, Indicator

logger = logging.getLogger(__name__)


@transaction.atomic
def indicator_save(*, indicator: Indicator, by) -> Indicator:
    """Check and keep a definition (new or changed), then compute its cells."""
    if indicator.pk is None and by is not None and getattr(by, "is_authenticated", False):
        indicator.created_by = by
    indicator.full_clean()
    indicator.save()
    indicator_refresh(indicator)
    return indicator


@transaction.atomic
def indicator_publish(*, indicator: Indicator, published: bool, by) -> Indicator:
    """Show the indicator on the public dashboard, or take it off."""
    indicator.is_published = published
    indicator.save(update_fields=["is_published", "updated_at"])
    return indicator


@transaction.atomic
def indicator_refresh(indicator: Indicator) -> int:
    """Compute the indicator again and replace its cells; returns how many."""
    cells = compute.compute(indicator)
    from polo.indicators import sources

    metric = sources.get(indicator.metric) if indicator.source == Indicator.Source.POLO else None
    if metric is None or metric.suppress:
        suppression.apply(cells, min_size=indicator.min_cell)
    Cell.objects.filter(indicator=indicator).delete()
    Cell.objects.bulk_create(
        [
            Cell(
                indicator=indicator,
                round_id=cell.round_id,
                breakdown=cell.breakdown,
                key=cell.key,
                label=cell.label[:255],
                parent_key=cell.parent_key,
                position=cell.position,
                size=cell.size,
                numerator=cell.numerator,
                denominator=cell.denominator,
                value=cell.value,
                suppression=cell.suppression,
            )
            for cell in cells
        ],
        batch_size=1000,
    )
    indicator.computed_at = timezone.now()
    Indicator.objects.filter(pk=indicator.pk).update(computed_at=indicator.computed_at)
    return len(cells)


def indicators_refresh(*, stale_only: bool = False, indicators=None) -> list[tuple[Indicator, int]]:
    """Recompute every indicator, or only those whose campaign has responses
    saved or reviewed since (indicators over Polo's data are always recomputed:
    they are a handful of counts)."""
    from django.db.models import Max

    from polo.surveys.models import Response

    done = []
    latest = {}
    # A review saves only its own fields (updated_at stays), hence both dates.
    for campaign_id, updated, reviewed in (
        Response.objects.values_list("round__campaign_id")
        .annotate(updated=Max("updated_at"), reviewed=Max("reviewed_at"))
        .order_by()
    ):
        latest[campaign_id] = max(d for d in (updated, reviewed) if d is not None)
    if indicators is None:
        indicators = Indicator.objects.all()
    for indicator in indicators.select_related("campaign__instrument"):
        if (
            stale_only
            and indicator.computed_at is not None
            and indicator.source == Indicator.Source.SURVEY
        ):
            changed = latest.get(indicator.campaign_id)
            if changed is None or changed <= indicator.computed_at:
                continue
        try:
            done.append((indicator, indicator_refresh(indicator)))
        except compute.IndicatorError:
            # One broken definition (its campaign's form gone) must not stop the rest.
            logger.exception("Indicator %s could not be computed", indicator.slug)
    return done
