"""What every self-assessment view shares: fetching an assessment for a
person (404 when they may not see it, 403 when they may see it but not act),
and the links between the assessment's pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from polo.assessments.models import Assessment
from polo.assessments.selectors import assessments_for_pages
from polo.directory.models import Organization


def assessment_for(request: HttpRequest, pk: int, perm: str | None = None) -> Assessment:
    assessment = get_object_or_404(assessments_for_pages(), pk=pk)
    if not request.user.has_perm("assessments.view_assessment", assessment):
        raise Http404
    if perm is not None and not request.user.has_perm(perm, assessment):
        raise PermissionDenied
    return assessment


def organization_for(request: HttpRequest, pk: int, perm: str | None = None) -> Organization:
    organization = get_object_or_404(
        Organization.objects.select_related("municipality__region", "municipality__state"), pk=pk
    )
    if not request.user.has_perm("assessments.view_organization", organization):
        raise Http404
    if perm is not None and not request.user.has_perm(perm, organization):
        raise PermissionDenied
    return organization


def form_url(assessment: Assessment, section: int | None = None) -> str:
    """The surveys engine's web form for the consensus response."""
    response = assessment.response
    index = response.current_section if section is None else section
    return reverse("surveys:collect_section", args=[response.pk, index])


def section_of(spec) -> dict[str, int]:
    return {node.name: s.index for s in spec.sections for top in s.nodes for node in top.walk()}


def posted_pk(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def nav(request: HttpRequest, assessment: Assessment, current: str) -> list[tuple[str, str, bool]]:
    """The assessment's pages this person may open: (label, url, is current)."""
    from django.utils.translation import gettext as _

    user = request.user
    pk = assessment.pk
    pages = [("detail", _("Resumen"), reverse("assessments:detail", args=[pk]))]
    if user.has_perm("assessments.edit_assessment", assessment):
        pages.append(("consensus", _("Consenso"), reverse("assessments:consensus", args=[pk])))
    pages += [
        ("profile", _("Perfil"), reverse("assessments:profile", args=[pk])),
        ("plan", _("Plan de mejora"), reverse("assessments:plan", args=[pk])),
        ("route", _("Ruta de incidencia"), reverse("assessments:route", args=[pk])),
    ]
    return [(label, url, key == current) for key, label, url in pages]
