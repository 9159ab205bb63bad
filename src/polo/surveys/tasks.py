"""The surveys module's background work: reading an import of responses, writing it.

Each task records its progress on a ``core.Job`` that the job page shows. The
``run_*`` functions do the work and are also called inline for small files;
the ``@task`` wrappers are what ``.enqueue()`` sends to the worker. The upload,
the plan and the staged answers live in ``default_storage`` (imports/) so that
any worker process can do the work.
"""

from __future__ import annotations

import logging
import tempfile
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _g
from django_tasks import task

from polo.core.models import Job
from polo.surveys import importing
from polo.surveys.models import FormVersion, Round

logger = logging.getLogger(__name__)

JOB_IMPORT = "surveys.import"
JOB_IMPORT_APPLY = "surveys.import.apply"


def summary(plan: dict[str, Any]) -> str:
    return (
        _g(
            "Vista previa lista: %(create)s respuestas nuevas, %(skip)s ya importadas, "
            "%(rejected)s rechazadas."
        )
        % plan["counts"]
    )


def run_prepare_import(job_id, *, round_id: int, version_id: int, file_name: str = "") -> Job:
    """Read the uploaded file into a plan and staged answers; the upload is
    deleted whatever happens."""
    job = Job.objects.select_related("owner").get(pk=job_id)
    round_ = Round.objects.select_related("campaign").get(pk=round_id)
    version = FormVersion.objects.get(pk=version_id)
    try:
        with (
            importing.open_file(importing.upload_path(job.pk)) as handle,
            tempfile.TemporaryFile() as staging,
        ):
            plan = importing.plan_import(
                handle,
                round_=round_,
                version=version,
                staging=staging,
                user=job.owner,
                file_name=file_name,
                progress=job,
            )
            if plan["counts"]["create"]:
                importing.save_file(importing.staged_path(job.pk), staging)
        importing.save_plan(job.pk, plan)
    except importing.ImportFileError as exc:
        job.fail(str(exc))
        return job
    except Exception:
        logger.exception("Survey import preview %s failed", job.pk)
        job.fail(_g("No se pudo leer el archivo por un error inesperado. Inténtalo de nuevo."))
        raise
    finally:
        importing.delete(importing.upload_path(job.pk))
    job.succeed(
        summary(plan), result_url=reverse("surveys:responses_import_preview", args=[job.pk])
    )
    return job


@task()
def prepare_import(job_id: str, round_id: int, version_id: int, file_name: str = "") -> None:
    run_prepare_import(job_id, round_id=round_id, version_id=version_id, file_name=file_name)


def run_apply_import(preview_id, *, job_id=None) -> tuple[bool, str]:
    """Write the plan of the preview job ``preview_id``, once; ``job_id`` is the
    job that shows the progress when this runs in the background."""
    preview = Job.objects.select_related("owner").get(pk=preview_id)
    job = Job.objects.get(pk=job_id) if job_id else None
    report_url = reverse("surveys:responses_import_report", args=[preview.pk])
    plan = importing.load_plan(preview.pk)
    if plan is None or not importing.plan_is_writable(plan):
        message = importing.msg("already_applied")
        if job:
            job.fail(message)
        return False, message

    def guard() -> None:
        # The preview job's row is the lock: two confirmations cannot both write.
        locked = Job.objects.select_for_update().get(pk=preview.pk)
        if locked.result_url == report_url:
            raise importing.ImportApplyError(importing.msg("already_applied"))
        Job.objects.filter(pk=preview.pk).update(result_url=report_url)

    try:
        with importing.open_file(importing.staged_path(preview.pk)) as staging:
            outcome = importing.apply_import(
                plan, staging, user=preview.owner, progress=job, guard=guard
            )
    except importing.ImportApplyError as exc:
        if job:
            job.fail(str(exc))
        return False, str(exc)
    except Exception:
        logger.exception("Survey import %s failed", preview.pk)
        if job:
            job.fail(_g("La importación no se hizo por un error inesperado; no se guardó nada."))
        raise
    importing.save_plan(preview.pk, plan)
    # The answers now live in the database: the staged copy goes.
    importing.delete(importing.staged_path(preview.pk))
    message = _g("Importación hecha: %(created)s respuestas nuevas, %(skipped)s ya estaban.") % {
        "created": outcome["created"],
        "skipped": outcome["skipped"],
    }
    if job:
        job.succeed(message, result_url=report_url)
    return True, message


@task()
def apply_import(preview_id: str, job_id: str) -> None:
    run_apply_import(preview_id, job_id=job_id)
