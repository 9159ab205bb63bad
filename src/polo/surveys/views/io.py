"""Import and export of responses.

Import into a round: upload → preview (nothing written) → confirm (one
transaction) → report. Files of more than ``BACKGROUND_ROWS`` responses are
read and written by the task worker while the job page shows the progress.
Export of a campaign: its responses that the person may see, filtered by
round, status and territory, as CSV or XLSX, with names or labels.
"""

from __future__ import annotations

import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from polo.core.models import Job
from polo.surveys import exporting, importing, tasks
from polo.surveys.models import Campaign, FormVersion, Response, Round
from polo.surveys.selectors import responses_visible_to
from polo.territory.models import Municipality, Region

BACKGROUND_ROWS = 2_000  # larger files are read and written by the task worker
PREVIEW_PAGE = 50
ACTIONS = {
    "create": _("Nuevas"),
    "skip": _("Ya importadas"),
    "rejected": _("Rechazadas"),
}


def may_import(user, round_: Round) -> bool:
    """Facilitators of the campaign's regions and coordinators import into its
    rounds: the same people who see the campaign."""
    # TODO(lead): a rule of its own, `surveys.import_responses` (facilitates_round
    # | is_coordinator), once rules.py has it; the answer is the same today.
    return user.has_perm("surveys.view_campaign", round_.campaign)


# ---- import ------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo (CSV, XLSX o ZIP)"),
        allow_empty_file=True,  # the importer says "empty" in its own words
        help_text=_(
            "La exportación de KoboToolbox (CSV o XLSX, con «valores y encabezados XML») o de "
            "ODK Central (CSV, o el ZIP con las repeticiones). Hasta %(mb)s MB."
        )
        % {"mb": importing.common.MAX_UPLOAD_BYTES // 2**20},
    )
    version = forms.ModelChoiceField(
        label=_("Versión del formulario"),
        queryset=FormVersion.objects.none(),
        required=False,
        empty_label=None,
        help_text=_("La versión con que se recogieron las respuestas; por omisión, la última."),
    )

    def __init__(self, *args, round_: Round, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        versions = round_.campaign.instrument.versions.order_by("-number")
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda v: f"v{v.number} · {v.version}"
        first = versions.first()
        if first is not None:
            self.fields["version"].initial = first.pk

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = importing.common.MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                importing.msg("too_big", size=round(upload.size / 2**20, 1), limit=limit // 2**20)
            )
        return upload


def _round_for_import(request, round_pk) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("campaign__instrument"), pk=round_pk)
    if not may_import(request.user, round_):
        raise PermissionDenied
    return round_


@login_required
def responses_import(request, round_pk):
    round_ = _round_for_import(request, round_pk)
    context = {"round": round_, "campaign": round_.campaign}
    if request.method == "POST":
        # The body is refused from its announced length, before it is read.
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        limit = importing.common.MAX_UPLOAD_BYTES
        if length > limit + 64 * 1024:
            context |= {
                "form": ImportForm(round_=round_),
                "error": importing.msg(
                    "too_big", size=round(length / 2**20, 1), limit=limit // 2**20
                ),
            }
            return render(request, "surveys/io/import_upload.html", context, status=413)
        form = ImportForm(request.POST, request.FILES, round_=round_)
        if form.is_valid():
            response = _start_import(request, form, round_)
            if response is not None:
                return response
        return render(
            request, "surveys/io/import_upload.html", context | {"form": form}, status=400
        )
    return render(
        request, "surveys/io/import_upload.html", context | {"form": ImportForm(round_=round_)}
    )


def _start_import(request, form: ImportForm, round_: Round) -> HttpResponse | None:
    upload = form.cleaned_data["file"]
    version = form.cleaned_data["version"] or round_.campaign.instrument.current_version
    if version is None:
        form.add_error("version", _("El instrumento no tiene ninguna versión del formulario."))
        return None
    file_name = upload.name[:150]
    with tempfile.TemporaryFile() as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        try:
            # A wrong file is refused at once, whatever its size: format,
            # encoding, columns that are not this form's.
            prepared = importing.prepare(handle, version.form)
            estimated = prepared.source.main.estimated_rows
            prepared.source.close()
        except importing.ImportFileError as exc:
            form.add_error("file", str(exc))
            return None
        job = Job.objects.create(
            kind=tasks.JOB_IMPORT,
            title=str(_("Importación de «%(name)s»") % {"name": file_name}),
            owner=request.user,
        )
        importing.save_file(importing.upload_path(job.pk), handle)
    if estimated > BACKGROUND_ROWS:
        tasks.prepare_import.enqueue(str(job.pk), round_.pk, version.pk, file_name)
        return redirect(job)
    job = tasks.run_prepare_import(
        job.pk, round_id=round_.pk, version_id=version.pk, file_name=file_name
    )
    if job.status == Job.Status.FAILED:
        form.add_error("file", job.message)
        return None
    return redirect("surveys:responses_import_preview", job_id=job.pk)


def _import_job(request, job_id) -> tuple[Job, dict | None, Round | None]:
    """The import job of this person (or any, for a coordinator), with its plan
    and round; 403 without the permission, 404 for someone else's job, so
    that ids reveal nothing."""
    if not request.user.has_perm("surveys.view_instruments"):
        raise PermissionDenied
    job = get_object_or_404(Job.objects.select_related("owner"), pk=job_id, kind=tasks.JOB_IMPORT)
    if not request.user.has_perm("core.view_job", job):
        raise Http404
    plan = importing.load_plan(job.pk)
    round_ = None
    if plan is not None:
        round_ = (
            Round.objects.select_related("campaign__instrument").filter(pk=plan["round_id"]).first()
        )
        if round_ is None:
            raise Http404
        if not may_import(request.user, round_):
            raise PermissionDenied
    return job, plan, round_


@never_cache
@login_required
@require_safe
def responses_import_preview(request, job_id):
    job, plan, round_ = _import_job(request, job_id)
    if plan is None:
        if not job.is_finished:
            return redirect(job)
        raise Http404
    if plan["applied"]:
        return redirect("surveys:responses_import_report", job_id=job.pk)
    return _render_preview(request, job, plan, round_)


def _render_preview(request, job: Job, plan: dict, round_: Round, status: int = 200):
    action = request.GET.get("accion", "")
    action = action if action in ACTIONS else ""
    rows = [row for row in plan["rows"] if not action or row["action"] == action]
    page = Paginator(rows, PREVIEW_PAGE).get_page(request.GET.get("page"))
    context = {
        "job": job,
        "plan": plan,
        "round": round_,
        "campaign": round_.campaign,
        "page": page,
        "action": action,
        "actions": [(key, label, plan["counts"][key]) for key, label in ACTIONS.items()],
        "listed": len(plan["rows"]),
        "can_confirm": job.owner_id == request.user.pk and importing.plan_is_writable(plan),
        "is_owner": job.owner_id == request.user.pk,
        "background": plan["counts"]["create"] > BACKGROUND_ROWS,
    }
    return render(request, "surveys/io/import_preview.html", context, status=status)


@login_required
@require_POST
def responses_import_confirm(request, job_id):
    job, plan, round_ = _import_job(request, job_id)
    if job.owner_id != request.user.pk:
        # The person who uploaded the file saw its preview: they confirm it.
        raise PermissionDenied
    if plan is None:
        raise Http404
    if plan["applied"]:
        return redirect("surveys:responses_import_report", job_id=job.pk)
    if not importing.plan_is_writable(plan):
        messages.error(
            request,
            _("No se importó nada: corrige las filas rechazadas y vuelve a subir el archivo."),
        )
        return redirect("surveys:responses_import_preview", job_id=job.pk)
    if plan["counts"]["create"] > BACKGROUND_ROWS:
        apply_job = Job.objects.create(
            kind=tasks.JOB_IMPORT_APPLY,
            title=str(_("Escritura de «%(name)s»") % {"name": plan["file_name"]}),
            owner=request.user,
        )
        tasks.apply_import.enqueue(str(job.pk), str(apply_job.pk))
        return redirect(apply_job)
    done, message = tasks.run_apply_import(job.pk)
    if not done:
        messages.error(request, message)
        return redirect("surveys:responses_import_preview", job_id=job.pk)
    messages.success(request, message)
    return redirect("surveys:responses_import_report", job_id=job.pk)


@never_cache
@login_required
@require_safe
def responses_import_report(request, job_id):
    job, plan, round_ = _import_job(request, job_id)
    if plan is None:
        raise Http404
    if not plan["applied"]:
        return redirect("surveys:responses_import_preview", job_id=job.pk)
    context = {
        "job": job,
        "plan": plan,
        "round": round_,
        "campaign": round_.campaign,
        "outcome": plan["applied"],
        "skipped": [row for row in plan["rows"] if row["action"] == "skip"][: PREVIEW_PAGE * 5],
    }
    return render(request, "surveys/io/import_report.html", context)


# ---- export ------------------------------------------------------------------------------

EXPORT_STATUSES = [s for s in Response.Status.choices if s[0] != Response.Status.DRAFT]


class ExportForm(forms.Form):
    ronda = forms.ModelChoiceField(
        label=_("Ronda"), queryset=Round.objects.none(), required=False, empty_label=_("Todas")
    )
    estado = forms.MultipleChoiceField(
        label=_("Estado de las respuestas"),
        choices=Response.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sin marcar ninguno: todas menos los borradores."),
    )
    region = forms.ModelChoiceField(
        label=_("Región"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("Todas"),
        to_field_name="slug",
    )
    municipio = forms.CharField(label=_("Municipio (clave INEGI)"), required=False, max_length=5)
    formato = forms.ChoiceField(
        label=_("Formato"),
        choices=[("csv", "CSV"), ("xlsx", _("XLSX (una hoja por repetición)"))],
        initial="xlsx",
        widget=forms.RadioSelect,
    )
    encabezados = forms.ChoiceField(
        label=_("Encabezados y opciones"),
        choices=[
            ("nombres", _("Nombres del formulario (se pueden volver a importar)")),
            ("etiquetas", _("Etiquetas, para leer")),
        ],
        initial="nombres",
        required=False,
        widget=forms.RadioSelect,
    )
    idioma = forms.ChoiceField(
        label=_("Idioma de las etiquetas"),
        choices=[("es", _("Español")), ("en", _("Inglés"))],
        initial="es",
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["ronda"].queryset = campaign.rounds.order_by("order")
        self.fields["region"].queryset = Region.objects.order_by("name")

    def clean_municipio(self):
        code = self.cleaned_data["municipio"].strip()
        if code and not Municipality.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("No existe el municipio con clave «%(code)s».") % {"code": code}
            )
        return code

    def responses(self, user):
        data = self.cleaned_data
        responses = Response.objects.filter(round__campaign=self.campaign)
        if data.get("ronda"):
            responses = responses.filter(round=data["ronda"])
        statuses = data.get("estado") or [s for s, _label in EXPORT_STATUSES]
        responses = responses.filter(status__in=statuses)
        if data.get("region"):
            responses = responses.filter(municipality__region=data["region"])
        if data.get("municipio"):
            responses = responses.filter(municipality__code=data["municipio"])
        return responses_visible_to(user, responses)

    def options(self) -> exporting.Options:
        return exporting.Options(
            labels=self.cleaned_data.get("encabezados") == "etiquetas",
            language=self.cleaned_data.get("idioma") or "es",
        )

    def description(self) -> str:
        parts = []
        for name in ("ronda", "estado", "region", "municipio"):
            value = self.cleaned_data.get(name)
            if value:
                shown = ", ".join(value) if isinstance(value, list) else str(value)
                parts.append(f"{self.fields[name].label}: {shown}")
        return "; ".join(parts)


@login_required
@require_safe
def responses_export(request, slug):
    campaign = get_object_or_404(Campaign.objects.select_related("instrument"), slug=slug)
    if not request.user.has_perm("surveys.export_responses", campaign):
        raise PermissionDenied
    if "formato" not in request.GET:
        form = ExportForm(campaign=campaign)
        count = responses_visible_to(
            request.user,
            Response.objects.filter(round__campaign=campaign).exclude(status=Response.Status.DRAFT),
        ).count()
        context = {"campaign": campaign, "form": form, "count": count}
        return render(request, "surveys/io/export.html", context)
    form = ExportForm(request.GET, campaign=campaign)
    if not form.is_valid():
        context = {"campaign": campaign, "form": form, "count": None}
        return render(request, "surveys/io/export.html", context, status=400)
    responses = form.responses(request.user)
    options = form.options()
    instrument = campaign.instrument
    if form.cleaned_data["formato"] == "xlsx":
        return FileResponse(
            exporting.xlsx_file(instrument, responses, options, description=form.description()),
            as_attachment=True,
            filename=exporting.filename(instrument, "xlsx"),
            content_type=exporting.XLSX_TYPE,
        )
    response = StreamingHttpResponse(
        exporting.csv_stream(instrument, responses, options),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exporting.filename(instrument, "csv")}"'
    )
    return response


urlpatterns = [
    path(
        "rondas/<int:round_pk>/respuestas/importar/",
        responses_import,
        name="responses_import",
    ),
    path(
        "importaciones/<uuid:job_id>/",
        responses_import_preview,
        name="responses_import_preview",
    ),
    path(
        "importaciones/<uuid:job_id>/confirmar/",
        responses_import_confirm,
        name="responses_import_confirm",
    ),
    path(
        "importaciones/<uuid:job_id>/informe/",
        responses_import_report,
        name="responses_import_report",
    ),
    path(
        "campanas/<slug:slug>/respuestas/exportar/",
        responses_export,
        name="responses_export",
    ),
]
