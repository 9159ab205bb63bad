"""Builders shared by the indicators tests and, for the lead, by the
authorization matrix: a published and an unpublished indicator over a small
campaign in the persona regions, and a report job."""

from __future__ import annotations

from polo.core.models import Job
from polo.indicators import services
from polo.indicators.models import Indicator
from polo.indicators.tasks import JOB_REPORT
from polo.surveys import services as survey_services
from polo.surveys.instruments.baseline import baseline_xlsform
from polo.surveys.models import Campaign, Response, Round
from polo.territory.models import Municipality, Region


def small_campaign(coordinator) -> Campaign:
    """The baseline form over the regions in the database, a campaign and its
    baseline round, with two responses (too few to publish by municipality)."""
    campaign = Campaign.objects.filter(slug="matriz-linea-base").first()
    if campaign is not None:
        return campaign
    regions = list(Region.objects.all())
    places = list(Municipality.objects.filter(region__isnull=False).select_related("region"))
    version = survey_services.form_version_create(
        data=baseline_xlsform(
            regions=[(r.slug, r.name) for r in regions],
            municipalities=[(m.code, m.name, m.region.slug) for m in places],
        ),
        filename="linea_base.xlsx",
        by=coordinator,
    )
    campaign = Campaign.objects.create(
        instrument=version.instrument,
        slug="matriz-linea-base",
        title="Línea base (matriz)",
        status=Campaign.Status.OPEN,
    )
    round_ = Round.objects.create(campaign=campaign, kind="baseline", name="Línea base", order=1)
    for place, answer in zip(places[:2], ("si", "no"), strict=False):
        response = Response.objects.create(
            round=round_,
            form_version=version,
            respondent_kind="organization",
            municipality=place,
            data={"plan_estrategico": answer},
            status=Response.Status.SUBMITTED,
            source=Response.Source.WEB,
        )
        survey_services.response_store_answers(response)
    return campaign


def indicator(coordinator, *, published: bool = True, slug: str = "") -> Indicator:
    slug = slug or ("publicado" if published else "borrador")
    found = Indicator.objects.filter(slug=slug).first()
    if found is not None:
        return found
    return services.indicator_save(
        indicator=Indicator(
            slug=slug,
            name=f"Plan estratégico ({slug})",
            campaign=small_campaign(coordinator),
            unit=Indicator.Unit.PERCENT,
            numerator={"question": "plan_estrategico", "operator": "=", "value": "si"},
            is_published=published,
        ),
        by=coordinator,
    )


def report_job(owner, *, done: bool = True) -> Job:
    """A finished report job of `owner`, with its PDF in storage."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from polo.indicators.printing import pdf_path

    job = Job.objects.create(kind=JOB_REPORT, title="Informe", owner=owner)
    if done:
        default_storage.save(pdf_path(job.pk), ContentFile(b"%PDF-1.7 prueba"))
        job.succeed("listo")
    return job
