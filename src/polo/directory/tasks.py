"""The directory's background work: reading an import, writing it, printing the PDF.

Each task records its progress on a ``core.Job`` that the job page shows. The
``run_*`` functions do the work and are also called inline for small files;
the ``@task`` wrappers are what ``.enqueue()`` sends to the worker. Inputs and
outputs live in ``default_storage`` (imports/, prints/) so that any worker
process, on any machine sharing the storage, can do the work.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _g
from django_tasks import task

from polo.core.models import Job
from polo.directory import importing, printing
from polo.directory.selectors import DirectoryFilters

logger = logging.getLogger(__name__)

JOB_IMPORT = "directory.import"
JOB_IMPORT_APPLY = "directory.import.apply"
JOB_PRINT = "directory.print"


def summary(plan: dict[str, Any]) -> str:
    counts = plan["counts"]
    return (
        _g(
            "Vista previa lista: %(create)s nuevas, %(update)s actualizaciones, %(duplicate)s "
            "posibles duplicados, %(rejected)s filas rechazadas."
        )
        % counts
    )


def run_prepare_import(job_id, *, file_name: str = "", default_kind: str = "") -> Job:
    """Read the uploaded file into a plan (imports/<job>.json); the upload is
    deleted whatever happens."""
    job = Job.objects.select_related("owner").get(pk=job_id)
    try:
        data = importing.read_upload(job.pk)
        plan = importing.plan_import(
            data, file_name=file_name, user=job.owner, default_kind=default_kind, progress=job
        )
        importing.save_plan(job.pk, plan)
    except importing.ImportFileError as exc:
        job.fail(str(exc))
        return job
    except Exception:
        logger.exception("Import preview %s failed", job.pk)
        job.fail(_g("No se pudo leer el archivo por un error inesperado. Inténtalo de nuevo."))
        raise
    finally:
        importing.delete_upload(job.pk)
    job.succeed(summary(plan), result_url=reverse("directory:import_preview", args=[job.pk]))
    return job


@task()
def prepare_import(job_id: str, file_name: str = "", default_kind: str = "") -> None:
    run_prepare_import(job_id, file_name=file_name, default_kind=default_kind)


def run_apply_import(
    preview_id,
    *,
    job_id=None,
    publish: bool = False,
    duplicates: str = "selected",
    selected: list[int] | tuple[int, ...] = (),
) -> tuple[bool, str]:
    """Write the plan of the preview job ``preview_id``, once; ``job_id`` is the
    job that shows the progress when this runs in the background."""
    preview = Job.objects.select_related("owner").get(pk=preview_id)
    job = Job.objects.get(pk=job_id) if job_id else None
    report_url = reverse("directory:import_report", args=[preview.pk])
    plan = importing.load_plan(preview.pk)
    if plan is None or plan.get("applied"):
        message = importing.msg("already_applied")
        if job:
            job.fail(message)
        return False, message

    def guard() -> None:
        # The preview job row is the lock: two confirmations cannot both write.
        locked = Job.objects.select_for_update().get(pk=preview.pk)
        if locked.result_url == report_url:
            raise importing.ImportApplyError(importing.msg("already_applied"))
        Job.objects.filter(pk=preview.pk).update(result_url=report_url)

    try:
        outcome = importing.apply_import(
            plan,
            user=preview.owner,
            publish=publish,
            duplicates=duplicates,
            selected=selected,
            progress=job,
            guard=guard,
        )
    except importing.ImportApplyError as exc:
        if job:
            job.fail(str(exc))
        return False, str(exc)
    except Exception:
        logger.exception("Import %s failed", preview.pk)
        if job:
            job.fail(_g("La importación no se hizo por un error inesperado; no se guardó nada."))
        raise
    importing.save_plan(preview.pk, importing.forget_data(plan))
    message = _g("Importación hecha: %(created)s nuevas y %(updated)s actualizadas.") % {
        "created": len(outcome["created"]),
        "updated": len(outcome["updated"]),
    }
    if job:
        job.succeed(message, result_url=report_url)
    return True, message


@task()
def apply_import(
    preview_id: str, job_id: str, publish: bool, duplicates: str, selected: list[int]
) -> None:
    run_apply_import(
        preview_id, job_id=job_id, publish=publish, duplicates=duplicates, selected=selected
    )


def run_print(job_id, params: list[list[str]] | list[tuple[str, str]]) -> Job:
    job = Job.objects.get(pk=job_id)
    values: dict[str, list[str]] = {}
    for name, value in params:
        values.setdefault(name, []).append(value)
    filters = DirectoryFilters.from_params(values)
    try:
        result = printing.render_pdf(filters, progress=job)
        path = printing.pdf_path(job.pk)
        default_storage.delete(path)
        default_storage.save(path, ContentFile(result.pdf))
    except Exception:
        logger.exception("Printing %s failed", job.pk)
        job.fail(_g("No se pudo generar el PDF por un error inesperado. Inténtalo de nuevo."))
        raise
    message = _g("Directorio listo: %(count)s organizaciones en %(pages)s páginas.") % {
        "count": result.count,
        "pages": result.pages,
    }
    job.succeed(message, result_url=reverse("directory:print_download", args=[job.pk]))
    return job


@task()
def print_directory(job_id: str, params: list[list[str]]) -> None:
    run_print(job_id, params)
