"""Import, export and the printable edition of the directory.

Import: upload → preview (nothing written) → confirm (one transaction) →
report. Files of more than ``BACKGROUND_ROWS`` rows are read and written by
the task worker while the job page shows the progress. Export: the current
search, public fields only, for everyone. Print: a PDF made in the background.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from polo.core.models import Job
from polo.directory import exporting, importing, printing, tasks
from polo.directory.models import Organization
from polo.directory.selectors import DirectoryFilters, organization_search

BACKGROUND_ROWS = 2_000  # larger files are read and written by the task worker
PREVIEW_PAGE = 100
MAX_LISTED_DUPLICATES = 500
ACTIONS = {
    "create": _("Nuevas"),
    "update": _("Actualizaciones"),
    "duplicate": _("Posibles duplicados"),
    "rejected": _("Rechazadas"),
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo (CSV o XLSX)"),
        allow_empty_file=True,  # the importer says "empty" in its own words
        help_text=_(
            "Hasta %(mb)s MB y %(rows)s filas. La primera fila nombra las columnas; "
            "obligatorias: nombre, municipio y tipo."
        )
        % {
            "mb": importing.common.MAX_UPLOAD_BYTES // 2**20,
            "rows": f"{importing.common.MAX_ROWS:,}",
        },
    )
    default_kind = forms.ChoiceField(
        label=_("Tipo para las filas que no lo indiquen"),
        required=False,
        choices=[("", _("— ninguno: cada fila dice su tipo —")), *Organization.Kind.choices],
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.common.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                importing.msg(
                    "too_big",
                    size=round(upload.size / 2**20, 1),
                    limit=importing.common.MAX_UPLOAD_BYTES // 2**20,
                )
            )
        return upload


class ConfirmForm(forms.Form):
    duplicates = forms.ChoiceField(
        label=_("Posibles duplicados"),
        widget=forms.RadioSelect,
        initial="selected",
        choices=[
            ("selected", _("Importar solo los que marque en la lista (ninguno si no marco)")),
            ("all", _("Importar todos de todos modos")),
        ],
    )
    selected = forms.TypedMultipleChoiceField(
        label=_("Importar de todos modos"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    publish = forms.BooleanField(
        label=_("Publicar de inmediato las organizaciones nuevas"),
        help_text=_("Si no, quedan «en revisión» hasta que alguien del equipo las revise."),
        required=False,
    )

    def __init__(self, *args, plan: dict, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        duplicates = [row for row in plan["rows"] if row["action"] == "duplicate"]
        self.fields["selected"].choices = [
            (row["row"], _("Fila %(row)s") % {"row": row["row"]}) for row in duplicates
        ]
        if not duplicates:
            del self.fields["duplicates"], self.fields["selected"]
        if not user.is_coordinator:
            # Only coordinators publish without a review (the workflow).
            del self.fields["publish"]


def _import_job(request, job_id) -> Job:
    """The import job of this person (or any, for a coordinator); 403 without
    the permission, 404 for someone else's, so ids reveal nothing."""
    if not request.user.has_perm("directory.import_organizations"):
        raise PermissionDenied
    job = get_object_or_404(Job.objects.select_related("owner"), pk=job_id, kind=tasks.JOB_IMPORT)
    if not request.user.has_perm("core.view_job", job):
        raise Http404
    return job


@login_required
def import_upload(request):
    if not request.user.has_perm("directory.import_organizations"):
        raise PermissionDenied
    if request.method == "POST":
        # The body is refused from its announced length, before it is read.
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > importing.common.MAX_UPLOAD_BYTES + 64 * 1024:
            size = round(length / 2**20, 1)
            limit = importing.common.MAX_UPLOAD_BYTES // 2**20
            context = {
                "form": ImportForm(),
                "error": importing.msg("too_big", size=size, limit=limit),
            }
            return render(request, "directory/io/import_upload.html", context, status=413)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            response = _start_import(request, form)
            if response is not None:
                return response
        return render(request, "directory/io/import_upload.html", {"form": form}, status=400)
    return render(request, "directory/io/import_upload.html", {"form": ImportForm()})


def _start_import(request, form: ImportForm) -> HttpResponse | None:
    upload = form.cleaned_data["file"]
    default_kind = form.cleaned_data["default_kind"]
    data = upload.read()
    file_name = upload.name[:150]
    try:
        # Reject a wrong file at once, whatever its size: format, encoding, columns.
        table = importing.open_table(data)
        table.close()
        importing.map_columns(table.header, default_kind=default_kind)
    except importing.ImportFileError as exc:
        form.add_error("file", str(exc))
        return None
    job = Job.objects.create(
        kind=tasks.JOB_IMPORT,
        title=str(_("Importación de «%(name)s»") % {"name": file_name}),
        owner=request.user,
    )
    importing.save_upload(job.pk, data)
    if table.estimated_rows > BACKGROUND_ROWS:
        tasks.prepare_import.enqueue(str(job.pk), file_name, default_kind)
        return redirect(job)
    job = tasks.run_prepare_import(job.pk, file_name=file_name, default_kind=default_kind)
    if job.status == Job.Status.FAILED:
        form.add_error("file", job.message)
        return None
    return redirect("directory:import_preview", job_id=job.pk)


@never_cache
@login_required
@require_safe
def import_preview(request, job_id):
    job = _import_job(request, job_id)
    plan = importing.load_plan(job.pk)
    if plan is None:
        if not job.is_finished:
            return redirect(job)
        raise Http404
    if plan["applied"]:
        return redirect("directory:import_report", job_id=job.pk)
    return _render_preview(request, job, plan, ConfirmForm(plan=plan, user=request.user))


def _render_preview(request, job: Job, plan: dict, form: ConfirmForm, status: int = 200):
    action = request.GET.get("accion", "")
    action = action if action in ACTIONS else ""
    rows = [row for row in plan["rows"] if not action or row["action"] == action]
    page = Paginator(rows, PREVIEW_PAGE).get_page(request.GET.get("page"))
    duplicates = [row for row in plan["rows"] if row["action"] == "duplicate"]
    importable = plan["counts"]["create"] + plan["counts"]["update"]
    context = {
        "job": job,
        "plan": plan,
        "page": page,
        "action": action,
        "actions": [(key, label, plan["counts"][key]) for key, label in ACTIONS.items()],
        "duplicates": duplicates[:MAX_LISTED_DUPLICATES],
        "more_duplicates": max(0, len(duplicates) - MAX_LISTED_DUPLICATES),
        "form": form,
        "can_confirm": job.owner_id == request.user.pk and (importable or duplicates),
        "background": plan["total"] > BACKGROUND_ROWS,
    }
    return render(request, "directory/io/import_preview.html", context, status=status)


@login_required
@require_POST
def import_confirm(request, job_id):
    job = _import_job(request, job_id)
    if job.owner_id != request.user.pk:
        # The person who uploaded the file saw its preview: they confirm it.
        raise PermissionDenied
    plan = importing.load_plan(job.pk)
    if plan is None:
        raise Http404
    if plan["applied"]:
        return redirect("directory:import_report", job_id=job.pk)
    form = ConfirmForm(request.POST, plan=plan, user=request.user)
    if not form.is_valid():
        return _render_preview(request, job, plan, form, status=400)
    options = {
        "publish": form.cleaned_data.get("publish", False),
        "duplicates": form.cleaned_data.get("duplicates") or "selected",
        "selected": form.cleaned_data.get("selected") or [],
    }
    if plan["total"] > BACKGROUND_ROWS:
        apply_job = Job.objects.create(
            kind=tasks.JOB_IMPORT_APPLY,
            title=str(_("Escritura de «%(name)s»") % {"name": plan["file_name"]}),
            owner=request.user,
        )
        tasks.apply_import.enqueue(
            str(job.pk),
            str(apply_job.pk),
            options["publish"],
            options["duplicates"],
            options["selected"],
        )
        return redirect(apply_job)
    done, message = tasks.run_apply_import(job.pk, **options)
    if not done:
        messages.error(request, message)
        return redirect("directory:import_preview", job_id=job.pk)
    messages.success(request, message)
    return redirect("directory:import_report", job_id=job.pk)


@never_cache
@login_required
@require_safe
def import_report(request, job_id):
    job = _import_job(request, job_id)
    plan = importing.load_plan(job.pk)
    if plan is None:
        raise Http404
    if not plan["applied"]:
        return redirect("directory:import_preview", job_id=job.pk)
    outcome = plan["applied"]
    rejected = [row for row in plan["rows"] if row["action"] == "rejected"]
    context = {
        "job": job,
        "plan": plan,
        "outcome": outcome,
        "created": outcome["created"][: PREVIEW_PAGE * 5],
        "updated": outcome["updated"][: PREVIEW_PAGE * 5],
        "rejected": rejected[: PREVIEW_PAGE * 5],
        "rejected_total": len(rejected),
        "published": outcome["status"] == Organization.Status.PUBLISHED,
    }
    return render(request, "directory/io/import_report.html", context)


@require_safe
def export(request, fmt: str):
    """The current search (the directory page's parameters), public fields only."""
    if fmt not in exporting.FORMATS:
        raise Http404
    filters = DirectoryFilters.from_params(request.GET)
    lang = "en" if request.GET.get("lang") == "en" else "es"
    if fmt == "xlsx":
        return FileResponse(
            exporting.xlsx_file(filters, lang=lang),
            as_attachment=True,
            filename=exporting.filename("xlsx"),
            content_type=XLSX_TYPE,
        )
    if fmt == "csv":
        stream, content_type = exporting.csv_stream(filters, lang=lang), "text/csv; charset=utf-8"
    else:
        stream, content_type = exporting.json_stream(filters), "application/json; charset=utf-8"
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exporting.filename(fmt)}"'
    return response


@login_required
def print_directory(request):
    """Ask for the PDF of all organisations or of the current search."""
    filters = DirectoryFilters.from_params(
        request.POST if request.method == "POST" else request.GET
    )
    if request.method == "POST" and request.POST.get("alcance") == "todo":
        filters = DirectoryFilters()
    count = organization_search(filters).count()
    too_many = count > printing.MAX_ORGANIZATIONS
    if request.method == "POST" and not too_many and count:
        running = Job.objects.filter(
            owner=request.user,
            kind=tasks.JOB_PRINT,
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        ).first()
        if running:  # one PDF at a time per person: the first one is on its way
            return redirect(running)
        job = Job.objects.create(
            kind=tasks.JOB_PRINT, title=str(_("Directorio Temático en PDF")), owner=request.user
        )
        tasks.print_directory.enqueue(str(job.pk), [list(p) for p in filters.as_params()])
        return redirect(job)
    context = {
        "filters": filters,
        "filters_text": exporting.filters_description(filters),
        "count": count,
        "too_many": too_many,
        "limit": printing.MAX_ORGANIZATIONS,
        "params": filters.as_params(),
        "query": urlencode(filters.as_params()),
    }
    return render(
        request,
        "directory/io/print_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def print_download(request, job_id):
    job = get_object_or_404(Job, pk=job_id, kind=tasks.JOB_PRINT)
    if not request.user.has_perm("core.view_job", job):
        raise Http404
    path_name = printing.pdf_path(job.pk)
    if job.status != Job.Status.SUCCEEDED or not default_storage.exists(path_name):
        raise Http404
    return FileResponse(
        default_storage.open(path_name, "rb"),
        as_attachment=True,
        filename=f"directorio-tematico-{job.created_at:%Y%m%d}.pdf",
        content_type="application/pdf",
    )


urlpatterns = [
    path("importar/", import_upload, name="import"),
    path("importar/<uuid:job_id>/", import_preview, name="import_preview"),
    path("importar/<uuid:job_id>/confirmar/", import_confirm, name="import_confirm"),
    path("importar/<uuid:job_id>/informe/", import_report, name="import_report"),
    path("exportar.<str:fmt>", export, name="export"),
    path("imprimir/", print_directory, name="print"),
    path("imprimir/<uuid:job_id>/pdf/", print_download, name="print_download"),
]
