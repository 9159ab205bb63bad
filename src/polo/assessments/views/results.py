"""An assessment's results: the profile (charts, tables, item detail and
change since the previous one), its downloads (CSV, JSON, PDF), the evidence
files and the advocacy route. Every door checks the same rule
(``assessments.view_assessment``): an organisation's results are seen only by
it, the facilitators of its region and coordinators; anybody else gets a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from polo.assessments import charts, exporting, printing, selectors, services
from polo.assessments.views._shared import assessment_for, nav
from polo.surveys.models import Attachment

PRIVATE = "private, no-store"
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp"}


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PRIVATE
    return response


def _filename(assessment, extension: str) -> str:
    when = timezone.localtime(assessment.completed_at or assessment.started_at).date()
    name = slugify(assessment.organization.name)[:50] or "organizacion"
    return f"autodiagnostico-{name}-{when:%Y-%m-%d}.{extension}"


def _profile(request: HttpRequest, pk: int):
    assessment = assessment_for(request, pk)
    services.assessment_refresh_scores(assessment)
    return assessment, selectors.profile(assessment, language=request.LANGUAGE_CODE)


@never_cache
@login_required
@require_safe
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, found = _profile(request, pk)
    user = request.user
    return render(
        request,
        "assessments/profile.html",
        {
            "assessment": assessment,
            "nav": nav(request, assessment, "profile"),
            "profile": found,
            "charts": charts.profile_charts(found),
            "may_edit": user.has_perm("assessments.edit_assessment", assessment),
            "may_plan": user.has_perm("assessments.edit_plan", assessment),
        },
    )


@never_cache
@login_required
@require_safe
def profile_json(request: HttpRequest, pk: int) -> HttpResponse:
    _assessment, found = _profile(request, pk)
    return _private(
        JsonResponse(
            exporting.profile_json(found),
            encoder=DjangoJSONEncoder,
            json_dumps_params={"ensure_ascii": False},
        )
    )


@never_cache
@login_required
@require_safe
def export(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, found = _profile(request, pk)
    response = HttpResponse(exporting.profile_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(assessment, "csv")}"'
    return _private(response)


@never_cache
@login_required
@require_safe
def report(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk)
    services.assessment_refresh_scores(assessment)
    made = printing.render_report(assessment, language=request.LANGUAGE_CODE)
    response = HttpResponse(made.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(assessment, "pdf")}"'
    return _private(response)


@never_cache
@login_required
@require_safe
def route(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk)
    return render(
        request,
        "assessments/route.html",
        {
            "assessment": assessment,
            "nav": nav(request, assessment, "route"),
            "route": selectors.advocacy_route(assessment, language=request.LANGUAGE_CODE),
            "may_plan": request.user.has_perm("assessments.edit_plan", assessment),
        },
    )


@never_cache
@login_required
@require_safe
def evidence(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A file sent as evidence with the consensus answers, for whoever may see
    the assessment (the surveys door serves it only to editors and staff)."""
    assessment = assessment_for(request, pk)
    found = get_object_or_404(Attachment, pk=attachment_pk, response_id=assessment.response_id)
    if not found.file or not default_storage.exists(found.file.name):
        raise Http404
    inline = found.content_type in INLINE_TYPES
    served = FileResponse(
        found.file.open("rb"),
        as_attachment=not inline,
        filename=found.filename,
        content_type=found.content_type if inline else "application/octet-stream",
    )
    served["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _private(served)


urlpatterns = [
    path("<int:pk>/perfil/", profile, name="profile"),
    path("<int:pk>/perfil.json", profile_json, name="profile_json"),
    path("<int:pk>/perfil.csv", export, name="export"),
    path("<int:pk>/reporte.pdf", report, name="report"),
    path("<int:pk>/ruta/", route, name="route"),
    path("<int:pk>/evidencias/<int:attachment_pk>/", evidence, name="evidence"),
]
