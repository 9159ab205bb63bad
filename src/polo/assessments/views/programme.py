"""The programme's side: the public aggregates (where capacity is weak in each
region, kind of organisation, network and theme, small groups hidden) and the
instrument (download the Incidence Manual, adapt it, upload it as a new
version), which only coordinators manage.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from polo.assessments import exporting, selectors, services
from polo.assessments.definition import definition_for
from polo.assessments.forms import InstrumentUploadForm
from polo.assessments.instrument.manual import manual_xlsform
from polo.assessments.models import Assessment
from polo.surveys.models import FormVersion, Instrument
from polo.surveys.services import VersionConflict
from polo.surveys.xlsform import XLSFormError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _breakdown(request: HttpRequest) -> str:
    by = request.GET.get("por", "region")
    return by if by in selectors.BREAKDOWNS else "region"


@require_safe
def aggregates(request: HttpRequest) -> HttpResponse:
    by = _breakdown(request)
    table = selectors.aggregate(by, language=request.LANGUAGE_CODE)
    return render(
        request,
        "assessments/aggregates.html",
        {"table": table, "breakdowns": selectors.breakdown_titles()},
    )


@require_safe
def aggregates_csv(request: HttpRequest) -> HttpResponse:
    by = _breakdown(request)
    table = selectors.aggregate(by, language=request.LANGUAGE_CODE)
    response = HttpResponse(exporting.aggregate_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="autodiagnosticos-{by}.csv"'
    return response


def _removed_items(instrument: Instrument, version: FormVersion) -> tuple[list[str], int]:
    """Items earlier versions scored that this one no longer has, and how many
    assessments answered those versions (they keep theirs)."""
    earlier = list(instrument.versions.exclude(pk=version.pk).only("pk", "created_at"))
    if not earlier:
        return [], 0
    new_items = set(definition_for(version).items)
    removed: dict[str, str] = {}
    for old in earlier:
        definition = definition_for(old)
        for name, item in definition.items.items():
            if name not in new_items:
                removed.setdefault(name, definition.text(item.node.label, None))
    answered = Assessment.objects.filter(response__form_version__in=earlier).count()
    return [f"{label} ({name})" for name, label in removed.items()], answered


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def instrument(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("assessments.manage_instrument"):
        raise PermissionDenied
    current = selectors.current_instrument()
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = services.instrument_upload(
                data=upload.read(), filename=upload.name, by=request.user, instrument=current
            )
        except XLSFormError as error:
            problems = error.problems
        except VersionConflict as error:
            form.add_error(
                "file",
                _(
                    "Ya hay una versión «%(version)s»: cambie la versión en la hoja «settings» "
                    "o déjela vacía."
                )
                % {"version": error},
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            removed, answered = _removed_items(version.instrument, version)
            messages.success(
                request,
                _("Se guardó la versión %(number)s. Los autodiagnósticos nuevos la usarán.")
                % {"number": version.number},
            )
            if removed:
                messages.warning(
                    request,
                    _(
                        "Esta versión ya no tiene: %(items)s. Los %(n)s autodiagnósticos hechos "
                        "con versiones anteriores conservan su versión y sus respuestas."
                    )
                    % {"items": "; ".join(removed), "n": answered},
                )
            return redirect("assessments:instrument")
    versions = (
        list(current.versions.only("pk", "number", "version", "created_at", "created_by", "title"))
        if current
        else []
    )
    counts = dict(
        Assessment.objects.filter(response__form_version__in=versions)
        .values_list("response__form_version")
        .annotate(n=Count("pk"))
    )
    return render(
        request,
        "assessments/instrument.html",
        {
            "instrument": current,
            "versions": [(version, counts.get(version.pk, 0)) for version in versions],
            "form": form,
            "problems": problems,
        },
        status=200,
    )


@login_required
@require_safe
def instrument_xlsx(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("assessments.manage_instrument"):
        raise PermissionDenied
    response = HttpResponse(manual_xlsform(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="manual_de_incidencia.xlsx"'
    return response


urlpatterns = [
    path("panorama/", aggregates, name="aggregates"),
    path("panorama.csv", aggregates_csv, name="aggregates_csv"),
    path("instrumento/", instrument, name="instrument"),
    path("instrumento/manual-de-incidencia.xlsx", instrument_xlsx, name="instrument_xlsx"),
]
