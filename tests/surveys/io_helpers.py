"""Builders for the import and export tests: files shaped as KoboToolbox and ODK
Central export them, made from answers in the test code, and jobs in the
states the authorization matrix needs.

KoboToolbox (formpack): group paths joined with "/", a multiple choice as one
column of names and one 0/1 column per option, a geopoint as one column plus
``_<name>_latitude``..., then ``_id``, ``_uuid``, ``_submission_time``,
``_validation_status``, ``_notes``, ``_status``, ``_submitted_by``,
``__version__``, ``_tags``, ``_index``; repeats on sheets of their own with
``_index``, ``_parent_table_name``, ``_parent_index`` and ``_submission__*``.
ODK Central: ``SubmissionDate`` first, group paths joined with "-", a geopoint
split in ``-Latitude``, ``-Longitude``, ``-Altitude``, ``-Accuracy``, then
``meta-instanceID``, ``KEY``, ``SubmitterID``..., repeats in
``<form_id>-<repeat>.csv`` with ``PARENT_KEY`` and ``KEY`` in a ZIP.
"""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from polo.core.models import Job
from polo.surveys import importing
from polo.surveys.spec import FormSpec, Node

KOBO_META = [
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]
KOBO_REPEAT_META = [
    "_index",
    "_parent_table_name",
    "_parent_index",
    "_submission__id",
    "_submission__uuid",
    "_submission__submission_time",
    "_submission__validation_status",
    "_submission__notes",
    "_submission__status",
    "_submission__submitted_by",
    "_submission___version__",
    "_submission__tags",
]
CENTRAL_TAIL = [
    "meta-instanceID",
    "KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
]
GEO = ["latitude", "longitude", "altitude", "precision"]
CENTRAL_GEO = ["Latitude", "Longitude", "Altitude", "Accuracy"]


def new_id() -> str:
    return str(uuid.uuid4())


def _exported(spec: FormSpec, *, repeat: str | None) -> list[Node]:
    return [
        node
        for node in spec.questions
        if node.repeat == repeat and node.type != "instanceID" and node.name != "meta"
    ]


def _path(node: Node, sep: str, *, inside: str | None = None) -> str:
    path = list(node.path)
    if inside and inside in path:
        path = path[path.index(inside) + 1 :]  # Central: relative to the repeat
    return sep.join([*path, node.name])


def _label(spec: FormSpec, node: Node, language: str = "es") -> str:
    return spec.text(node.label, language) or node.name


# ---- KoboToolbox --------------------------------------------------------------------


def kobo_table(
    spec: FormSpec,
    responses: list[tuple[str, dict[str, Any]]],
    *,
    labels: bool = False,
    sep: str = "/",
) -> tuple[list[str], list[list[Any]]]:
    """The main table: (header, rows) for (uuid, answers) pairs."""
    header: list[str] = []
    getters = []
    for node in _exported(spec, repeat=None):
        title = (
            "/".join([_label(spec, spec.nodes[g]) for g in node.path] + [_label(spec, node)])
            if labels
            else _path(node, sep)
        )
        header.append(title)
        getters.append(lambda a, n=node: a.get(n.name, ""))
        if node.type == "select_multiple":
            for choice in spec.choices_for(node):
                header.append(f"{title}/{choice.name}")
                getters.append(
                    lambda a, n=node, c=choice.name: (
                        ("1" if c in a.get(n.name, "").split() else "0") if a.get(n.name) else ""
                    )
                )
        if node.type == "geopoint":
            for index, part in enumerate(GEO):
                header.append(f"_{_path(node, sep)}_{part}")
                getters.append(lambda a, n=node, i=index: (a.get(n.name, "").split() + [""] * 4)[i])
    header += KOBO_META
    rows = []
    for index, (instance, answers) in enumerate(responses, start=1):
        values = [getter(answers) for getter in getters]
        values += [
            1000 + index,
            instance,
            "2026-11-03T16:20:00",
            "",
            "",
            "submitted_via_web",
            "",
            "vKobo123",
            "",
            index,
        ]
        rows.append(values)
    return header, rows


def kobo_csv(spec, responses, *, delimiter=";", encoding="utf-8", labels=False, sep="/") -> bytes:
    header, rows = kobo_table(spec, responses, labels=labels, sep=sep)
    return csv_bytes([header, *rows], delimiter=delimiter, encoding=encoding)


def kobo_xlsx(spec, responses, *, sheet_title: str | None = None, by_index=False) -> bytes:
    """The main sheet and one sheet per repeat, as KoboToolbox's XLSX export
    (``by_index``: as older exports, the repeat rows linked by ``_parent_index``
    alone)."""
    from openpyxl import Workbook

    header, rows = kobo_table(spec, responses)
    workbook = Workbook()
    main = workbook.active
    main.title = (sheet_title or spec.title or "data")[:31]
    main.append(header)
    for row in rows:
        main.append([_number_cell(v) for v in row])
    for repeat in spec.repeats:
        sheet = workbook.create_sheet(repeat.name[:31])
        nodes = _exported(spec, repeat=repeat.name)
        meta = [m for m in KOBO_REPEAT_META if not (by_index and m == "_submission__uuid")]
        sheet.append([_path(node, "/") for node in nodes] + meta)
        counter = 0
        for parent_index, (instance, answers) in enumerate(responses, start=1):
            for item in answers.get(repeat.name, []):
                counter += 1
                sheet.append(
                    [_number_cell(item.get(node.name, "")) for node in nodes]
                    + [
                        counter,
                        main.title,
                        parent_index,
                        1000 + parent_index,
                        *([] if by_index else [instance]),
                        "2026-11-03T16:20:00",
                        "",
                        "",
                        "submitted_via_web",
                        "",
                        "vKobo123",
                        "",
                    ]
                )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number_cell(value: Any) -> Any:
    """Spreadsheets hold numbers as numbers: 12 comes back as 12.0 from Excel."""
    if isinstance(value, str) and value.isdigit() and not value.startswith("0"):
        return float(value)
    return value


# ---- ODK Central --------------------------------------------------------------------


def central_table(
    spec: FormSpec, responses: list[tuple[str, dict[str, Any]]]
) -> tuple[list[str], list[list[Any]]]:
    header = ["SubmissionDate"]
    getters = []
    for node in _exported(spec, repeat=None):
        if node.type == "geopoint":
            for index, part in enumerate(CENTRAL_GEO):
                header.append(f"{_path(node, '-')}-{part}")
                getters.append(lambda a, n=node, i=index: (a.get(n.name, "").split() + [""] * 4)[i])
            continue
        header.append(_path(node, "-"))
        getters.append(lambda a, n=node: a.get(n.name, ""))
    header += CENTRAL_TAIL
    rows = []
    for instance, answers in responses:
        rows.append(
            ["2026-11-03T16:20:00.000Z"]
            + [getter(answers) for getter in getters]
            + [
                f"uuid:{instance}",
                f"uuid:{instance}",
                "7",
                "facilitador",
                "0",
                "0",
                "",
                "",
                "collect:abc",
                "0",
                spec.version,
            ]
        )
    return header, rows


def central_csv(spec, responses) -> bytes:
    header, rows = central_table(spec, responses)
    return csv_bytes([header, *rows])


def central_zip(spec, responses) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{spec.form_id}.csv", central_csv(spec, responses))
        for repeat in spec.repeats:
            nodes = _exported(spec, repeat=repeat.name)
            lines = [
                [_path(node, "-", inside=repeat.name) for node in nodes] + ["PARENT_KEY", "KEY"]
            ]
            for instance, answers in responses:
                for position, item in enumerate(answers.get(repeat.name, []), start=1):
                    lines.append(
                        [item.get(node.name, "") for node in nodes]
                        + [f"uuid:{instance}", f"uuid:{instance}/{repeat.name}[{position}]"]
                    )
            archive.writestr(f"{spec.form_id}-{repeat.name}.csv", csv_bytes(lines))
    return buffer.getvalue()


# ---- files and uploads --------------------------------------------------------------


def csv_bytes(lines, *, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows(lines)
    return buffer.getvalue().encode(encoding)


def read_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def import_url(round_) -> str:
    return reverse("surveys:responses_import", args=[round_.pk])


def upload(client, round_, data: bytes, name: str = "respuestas.csv", **fields):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(import_url(round_), {"file": file, **fields})


def preview_id(response) -> str:
    """The job id in the preview URL the upload redirected to."""
    if response.status_code != 302:
        import re

        errors = re.findall(
            r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
        )
        raise AssertionError(f"upload refused ({response.status_code}): {errors}")
    return response["Location"].rstrip("/").split("/")[-1]


def import_job(owner, round_, *, applied: bool = False) -> Job:
    """A preview job with a small stored plan (and, if asked, already applied)."""
    from polo.surveys.tasks import JOB_IMPORT

    job = Job.objects.create(kind=JOB_IMPORT, title="Importación de prueba", owner=owner)
    job.succeed(
        "Vista previa lista", result_url=reverse("surveys:responses_import_preview", args=[job.pk])
    )
    version = round_.campaign.instrument.current_version
    plan = {
        "version": 1,
        "file_name": "prueba.csv",
        "format": "CSV (UTF-8, «;»)",
        "round_id": round_.pk,
        "form_version_id": version.pk,
        "form": "Línea base",
        "user_id": owner.pk,
        "created_at": "2026-01-01T00:00:00",
        "today": "2026-11-26",
        "columns": {"questions": 0, "ignored": [], "missing": [], "repeats": {}},
        "warnings": [],
        "counts": {"create": 0, "skip": 0, "rejected": 1},
        "total": 1,
        "rows": [
            {
                "row": 2,
                "action": "rejected",
                "instance_id": "uuid:0",
                "place": "",
                "reasons": ["municipio: Esta pregunta es obligatoria."],
            }
        ],
        "applied": None,
    }
    if applied:
        plan["applied"] = {
            "applied_at": "2026-01-01T00:00:00",
            "user_id": owner.pk,
            "created": 0,
            "skipped": 0,
        }
    importing.save_plan(job.pk, plan)
    return job


def matrix_round(world: dict):
    """A campaign of the baseline form in the facilitator's region, with an open
    round: for the authorization matrix (made once per world)."""
    if "_survey_round" in world:
        return world["_survey_round"]
    from polo.surveys import services
    from polo.surveys.instruments.baseline import baseline_xlsform
    from polo.surveys.models import Campaign, Round

    municipality = world["organization"].municipality
    region = municipality.region
    version = services.form_version_create(
        data=baseline_xlsform(
            regions=[(region.slug, region.name)],
            municipalities=[(municipality.code, municipality.name, region.slug)],
        ),
        filename="linea_base.xlsx",
        by=world["coordinator"],
    )
    campaign = Campaign.objects.create(
        instrument=version.instrument,
        slug="matriz-linea-base",
        title="Línea base (matriz)",
        status=Campaign.Status.OPEN,
    )
    campaign.regions.set([region])
    world["_survey_round"] = Round.objects.create(
        campaign=campaign, kind=Round.Kind.BASELINE, name="Línea base", order=1, is_open=True
    )
    return world["_survey_round"]
