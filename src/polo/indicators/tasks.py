"""Background work of the indicators module: the printed report of a region.

``run_print_report`` does the work (also called inline by the tests); the
``@task`` wrapper is what ``.enqueue()`` sends to the worker. The PDF is kept
in ``default_storage`` (indicator-reports/) for any worker to write and any
web process to serve.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _g
from django_tasks import task

from polo.core.models import Job
from polo.indicators import printing

logger = logging.getLogger(__name__)

JOB_REPORT = "indicators.report"


def run_print_report(job_id, region_slug: str) -> Job:
    from polo.territory.models import Region

    job = Job.objects.get(pk=job_id)
    region = Region.objects.filter(slug=region_slug).first()
    if region is None:
        job.fail(_g("La región ya no existe."))
        return job
    try:
        result = printing.render_pdf(region, progress=job)
        path = printing.pdf_path(job.pk)
        default_storage.delete(path)
        default_storage.save(path, ContentFile(result.pdf))
    except Exception:
        logger.exception("Diagnosis report %s failed", job.pk)
        job.fail(_g("No se pudo generar el PDF por un error inesperado. Inténtalo de nuevo."))
        raise
    job.succeed(
        _g("Informe listo: %(n)s indicadores en %(pages)s páginas.")
        % {"n": result.indicators, "pages": result.pages},
        result_url=reverse("indicators:report_download", args=[job.pk]),
    )
    return job


@task()
def print_report(job_id: str, region_slug: str) -> None:
    run_print_report(job_id, region_slug)
