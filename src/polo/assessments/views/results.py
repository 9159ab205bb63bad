"""An assessment's results: the profile (charts, tables, item detail and
change since the previous one), its downloads (CSV, JSON, PDF), the evidence
files and the advocacy route. Every door checks the same rule
(``assessments.view_assessment``): an organisation's results are seen only by
it, the facilitators of its region and coordinators; anybody else gets a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from polo.assessments import charts, exporting, printing, selectors, services
from polo.assessments.views._shared import assessment_for, nav
from polo.surveys.models import Attachment
from polo.surveys.rendering import drafts

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


# Bump when _profile_body.html changes, so that no cached body outlives it.
BODY_VERSION = 1
BODY_SECONDS = 3600


def _profile_body(request: HttpRequest, assessment) -> str:
    """The profile's figures, charts and item detail, the same for whoever may
    see them: kept in the cache under a key that changes whenever they would
    (the answers, the status, the scores, the previous assessment's scores,
    the language)."""
    previous = assessment.previous
    key = ":".join(
        str(part)
        for part in (
            "assessments:profile",
            BODY_VERSION,
            assessment.pk,
            assessment.status,
            assessment.scored_version,
            drafts.version_of(assessment.response),
            assessment.previous_id,
            previous.scored_version if previous is not None else "",
            request.LANGUAGE_CODE,
        )
    )
    body = cache.get(key)
    if body is None:
        found = selectors.profile(assessment, language=request.LANGUAGE_CODE)
        body = render_to_string(
            "assessments/_profile_body.html",
            {"assessment": assessment, "profile": found, "charts": charts.profile_charts(found)},
        )
        cache.set(key, body, BODY_SECONDS)
    return mark_safe(body)  # rendered by the template engine, escaped there


@never_cache
@login_required
@require_safe
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk)
    services.assessment_refresh_scores(assessment)
    return render(
        request,
        "assessments/profile.html",
        {
            "assessment": assessment,
            "nav": nav(request, assessment, "profile"),
            "body": _profile_body(request, assessment),
            "may_edit": request.user.has_perm("assessments.edit_assessment", assessment),
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
