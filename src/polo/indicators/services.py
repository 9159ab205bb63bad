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
def indicator_refresh(indicator: Indicator, *, signature: str | None = None) -> int:
    """Compute the indicator again and replace its cells; returns how many."""
    from polo.indicators import sources

    if signature is None:
        signature = data_signatures([indicator.campaign_id]).get(indicator.campaign_id, "")
    cells = compute.compute(indicator)
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
    indicator.data_signature = signature
    Indicator.objects.filter(pk=indicator.pk).update(
        computed_at=indicator.computed_at, data_signature=signature
    )
    return len(cells)


def data_signatures(campaign_ids) -> dict[int, str]:
    """What each campaign's figures depend on, as a short text that changes
    whenever they may: how many responses count, and how many answer rows
    there are and the newest one's id (answers are rebuilt, with new ids, on
    every save and review; a rejection removes them). Two queries."""
    from django.db.models import Count, Max

    from polo.surveys.models import Answer, Response

    ids = [pk for pk in campaign_ids if pk is not None]
    if not ids:
        return {}
    responses = dict(
        Response.objects.counted()
        .filter(round__campaign_id__in=ids)
        .values_list("round__campaign_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    answers = {
        campaign: (count, newest)
        for campaign, count, newest in Answer.objects.filter(round__campaign_id__in=ids)
        .values_list("round__campaign_id")
        .annotate(n=Count("pk"), newest=Max("pk"))
        .order_by()
    }
    return {pk: "{}:{}:{}".format(responses.get(pk, 0), *answers.get(pk, (0, 0))) for pk in ids}


def indicators_refresh(*, stale_only: bool = False, indicators=None) -> list[tuple[Indicator, int]]:
    """Recompute every indicator, or only those whose campaign's answers changed
    since (indicators over Polo's data are always recomputed: a handful of
    counts)."""
    if indicators is None:
        indicators = Indicator.objects.all()
    indicators = list(indicators.select_related("campaign__instrument"))
    signatures = data_signatures({i.campaign_id for i in indicators})
    done = []
    for indicator in indicators:
        signature = signatures.get(indicator.campaign_id, "")
        if (
            stale_only
            and indicator.source == Indicator.Source.SURVEY
            and indicator.computed_at is not None
            and indicator.data_signature == signature
        ):
            continue
        try:
            done.append((indicator, indicator_refresh(indicator, signature=signature)))
        except compute.IndicatorError:
            # One broken definition (its campaign's form gone) must not stop the rest.
            logger.exception("Indicator %s could not be computed", indicator.slug)
    return done
