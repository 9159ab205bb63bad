"""Builders for the import/export tests: files made in the test code, uploads,
and jobs in the states the authorization matrix needs."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from polo.core.models import Job
from polo.directory import importing
from polo.directory.tasks import JOB_IMPORT, JOB_PRINT
from tests import factories as f

HEADER = ["nombre", "tipo", "municipio", "estado", "rfc", "temas", "correo", "telefono"]


@pytest.fixture(name="media_root")
def media_root_fixture(settings, tmp_path):
    """Uploads, plans and PDFs go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(name="puebla")
def puebla_fixture(db):
    state = f.StateFactory(code="21", name="Puebla", abbreviation="Pue.")
    region = f.RegionFactory(slug="tehuacan", name="Tehuacán", state=state)
    return f.MunicipalityFactory(code="21156", name="Tehuacán", state=state, region=region)


def distinct_names(count: int, prefix: str = "Colectivo") -> list[str]:
    """Names that the duplicate check does not take for each other."""
    import hashlib

    return [f"{prefix} {hashlib.sha1(str(i).encode()).hexdigest()[:12]}" for i in range(count)]


def csv_bytes(rows, header=HEADER, *, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER, *, title=None, blank_rows=(), merge=None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Organizaciones"
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(header)
    for index, row in enumerate(rows):
        if index in blank_rows:
            sheet.append([])
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "organizaciones.csv", **fields):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("directory:import"), {"file": file, **fields})


def preview_id(response) -> str:
    """The job id in the preview URL the upload redirected to."""
    if response.status_code != 302:
        import re

        errors = re.findall(
            r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode()
        )
        raise AssertionError(f"upload refused ({response.status_code}): {errors}")
    return response["Location"].rstrip("/").split("/")[-1]


def import_job(owner, *, applied: bool = False, municipality=None) -> Job:
    """An import job with a small stored plan (and, if asked, already applied)."""
    job = Job.objects.create(kind=JOB_IMPORT, title="Importación de prueba", owner=owner)
    job.succeed("Vista previa lista", result_url=reverse("directory:import_preview", args=[job.pk]))
    plan = {
        "version": 1,
        "file_name": "prueba.csv",
        "format": "CSV (UTF-8, «,»)",
        "header_row": 1,
        "columns": [],
        "unknown_columns": [],
        "default_kind": "",
        "user_id": owner.pk,
        "created_at": "2026-01-01T00:00:00",
        "counts": {"create": 0, "update": 0, "duplicate": 0, "rejected": 1},
        "total": 1,
        "rows": [
            {
                "row": 2,
                "action": "rejected",
                "name": "Sin municipio",
                "place": "",
                "reasons": ["Falta el municipio."],
                "warnings": [],
                "target": None,
                "matches": [],
                "same_as_row": None,
            }
        ],
        "applied": None,
    }
    if applied:
        plan["applied"] = {
            "applied_at": "2026-01-01T00:00:00",
            "user_id": owner.pk,
            "status": "pending",
            "created": [],
            "updated": [],
            "skipped_duplicates": [],
            "rejected": 1,
        }
    importing.save_plan(job.pk, plan)
    return job


def print_job(owner) -> Job:
    """A finished print job with a (tiny) PDF in storage."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from polo.directory import printing

    job = Job.objects.create(kind=JOB_PRINT, title="Directorio Temático en PDF", owner=owner)
    default_storage.save(printing.pdf_path(job.pk), ContentFile(b"%PDF-1.7\n%%EOF\n"))
    job.succeed("listo", result_url=reverse("directory:print_download", args=[job.pk]))
    return job


def unknown_job_id() -> uuid.UUID:
    return uuid.uuid4()
