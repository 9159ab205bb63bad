"""Taking an assessment: the landing page, an organisation's assessments,
starting one, its hub, inviting members, the consensus, completing it.

The questionnaire itself is the surveys engine's web form
(``surveys:collect_section`` for the consensus response, and for each
member's own); these pages are around it. Visitors are sent to sign in; an
organisation or assessment the person may not see is a 404, one they may see
but not act on a 403 (rules.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from polo.accounts.models import User
from polo.assessments import selectors, services
from polo.assessments.definition import definition_for
from polo.assessments.forms import InviteForm, StartForm
from polo.assessments.models import Assessment, Invitation
from polo.assessments.scoring import score
from polo.assessments.views._shared import (
    assessment_for,
    form_url,
    nav,
    organization_for,
    posted_pk,
    section_of,
)
from polo.surveys.models import Response
from polo.surveys.validation import compute, validate

GET_POST = ["GET", "HEAD", "POST"]
PAGE_SIZE = 25


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """What the Manual is; for a signed-in person, their organisations'
    assessments and invitations; for staff, the assessments they accompany."""
    user = request.user
    context: dict = {"organizations": [], "invitations": [], "page": None}
    if user.is_authenticated:
        organizations = selectors.organizations_of(user)
        latest = {}
        for assessment in Assessment.objects.filter(organization__in=organizations).order_by(
            "organization_id", "-started_at", "-pk"
        ):
            latest.setdefault(assessment.organization_id, assessment)
        context["organizations"] = [(org, latest.get(org.pk)) for org in organizations]
        context["invitations"] = selectors.pending_invitations(user)
        if user.is_programme_staff:
            visible = selectors.assessments_visible_to(user).select_related(
                "organization__municipality__region"
            )
            context["page"] = Paginator(visible.order_by("-started_at", "-pk"), PAGE_SIZE).get_page(
                request.GET.get("pagina")
            )
    return render(request, "assessments/index.html", context)


@never_cache
@login_required
@require_safe
def organization(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_for(request, pk)
    history = selectors.history_of(org)
    return render(
        request,
        "assessments/organization.html",
        {
            "organization": org,
            "history": history,
            "ongoing": next((a for a in history if not a.is_completed), None),
            "may_start": request.user.has_perm("assessments.start", org),
        },
    )


@never_cache
@login_required
@require_http_methods(GET_POST)
def start(request: HttpRequest, pk: int) -> HttpResponse:
    org = organization_for(request, pk, "assessments.start")
    may_facilitate = request.user.has_perm("assessments.facilitate", org)
    form = StartForm(request.POST or None, may_facilitate=may_facilitate)
    if request.method == "POST" and form.is_valid():
        instrument = selectors.current_instrument()
        if instrument is None:
            instrument = services.instrument_install_default(by=None)
        try:
            assessment = services.assessment_start(
                organization=org,
                by=request.user,
                mode=form.cleaned_data["mode"],
                instrument=instrument,
            )
        except ValidationError as error:
            if getattr(error, "code", "") == "ongoing":
                messages.info(request, error.messages[0])
                return redirect("assessments:detail", error.params["pk"])
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Empezó el autodiagnóstico. Puede responderlo por partes: sus respuestas se "
                    "guardan en cada sección."
                ),
            )
            return redirect(assessment)
    return render(
        request,
        "assessments/start.html",
        {"organization": org, "form": form, "may_facilitate": may_facilitate},
    )


def _progress(assessment: Assessment) -> dict:
    response = assessment.response
    definition = definition_for(response.form_version)
    result = score(definition, response.data)
    answered = sum(1 for item in result.items.values() if item.answered)
    return {"answered": answered, "total": len(result.items)}


@never_cache
@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk)
    user = request.user
    may_edit = user.has_perm("assessments.edit_assessment", assessment)
    response = assessment.response
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "nav": nav(request, assessment, "detail"),
            "progress": _progress(assessment),
            "may_edit": may_edit,
            "may_see_members": user.has_perm("assessments.view_member_answers", assessment),
            "invitations": list(
                assessment.invitations.select_related("user", "response").order_by("invited_at")
            ),
            "form_url": form_url(assessment) if may_edit and response.is_draft else "",
            "answers_sent": not response.is_draft,
        },
    )


@never_cache
@login_required
@require_http_methods(GET_POST)
def members(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk, "assessments.edit_assessment")
    invited = set(assessment.invitations.values_list("user_id", flat=True))
    candidates = list(
        User.objects.filter(memberships__organization=assessment.organization, is_active=True)
        .exclude(pk__in=invited)
        .order_by("full_name", "email")
        .distinct()
    )
    form = InviteForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        chosen = next(user for user in candidates if user.pk == form.cleaned_data["user"])
        try:
            services.invitation_create(assessment=assessment, user=chosen, by=request.user)
        except ValidationError as error:
            form.add_error("user", error)
        else:
            messages.success(
                request,
                _(
                    "Invitamos a %(who)s. Verá la invitación al entrar a «Autodiagnóstico» con "
                    "su cuenta."
                )
                % {"who": chosen.full_name or chosen.email},
            )
            return redirect("assessments:members", assessment.pk)
    return render(
        request,
        "assessments/members.html",
        {
            "assessment": assessment,
            "nav": nav(request, assessment, "detail"),
            "form": form,
            "has_candidates": bool(candidates),
            "invitations": list(
                assessment.invitations.select_related("user", "response").order_by("invited_at")
            ),
        },
    )


@never_cache
@login_required
@require_POST
def invitation_remove(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk, "assessments.edit_assessment")
    invitation = get_object_or_404(Invitation, pk=invitation_pk, assessment=assessment)
    services.invitation_remove(invitation=invitation, by=request.user)
    messages.success(request, _("Se retiró la invitación."))
    return redirect("assessments:members", assessment.pk)


# --- the consensus -------------------------------------------------------------------------

LEVEL_FIELD = "nivel/"
# The level each item had when the page was drawn: what a person changed.
BEFORE_FIELD = "antes/"


def _posted_levels(request: HttpRequest, prefix: str = LEVEL_FIELD) -> dict[str, str]:
    return {
        key[len(prefix) :]: value.strip()[:20]
        for key, value in request.POST.items()
        if key.startswith(prefix)
    }


@never_cache
@login_required
@require_http_methods(GET_POST)
def consensus(request: HttpRequest, pk: int) -> HttpResponse:
    """Each member's level beside the others', and the consensus level the
    editor records for each item. Saving is refused, and the person told,
    when someone else saved in the meantime (Assessment.version)."""
    assessment = assessment_for(request, pk, "assessments.edit_assessment")
    language = request.LANGUAGE_CODE
    if request.method != "POST":
        table = selectors.consensus_table(assessment, language=language)
        return _render_consensus(request, assessment, table)
    levels = _posted_levels(request)
    version = posted_pk(request, "_version")
    try:
        saved = services.consensus_save(
            assessment=assessment,
            levels=levels,
            expected_version=version if version is not None else -1,
            expected_response_version=request.POST.get("_version_respuesta", ""),
            by=request.user,
        )
    except services.ConsensusConflict as conflict:
        # What this person changed on their page stays as they chose it; what
        # they left alone shows what is saved now. Where both changed an
        # item, the page says what the other person saved.
        fresh = conflict.assessment
        table = selectors.consensus_table(fresh, language=language)
        before = _posted_levels(request, BEFORE_FIELD)
        for area in table.areas:
            for item in area.items:
                typed = levels.get(item.name)
                if typed is None or typed == before.get(item.name, ""):
                    continue
                item.typed = typed
                if item.consensus != before.get(item.name, ""):
                    item.saved_elsewhere = item.consensus
        return _render_consensus(request, fresh, table, conflict=True, status=409)
    except ValidationError as error:
        table = selectors.consensus_table(assessment, language=language)
        errors = error.message_dict if hasattr(error, "error_dict") else {}
        for area in table.areas:
            for item in area.items:
                item.typed = levels.get(item.name)
                item.error = " ".join(errors.get(item.name, []))
        unknown = [
            name for name in errors if name not in {i.name for a in table.areas for i in a.items}
        ]
        return _render_consensus(request, assessment, table, problems=[*unknown], status=200)
    messages.success(request, _("Se guardó el consenso."))
    if request.POST.get("_accion") == "completar":
        return redirect("assessments:complete", saved.pk)
    return redirect("assessments:consensus", saved.pk)


def _render_consensus(request, assessment, table, *, conflict=False, problems=(), status=200):
    has_errors = any(item.error for area in table.areas for item in area.items) or bool(problems)
    return render(
        request,
        "assessments/consensus.html",
        {
            "assessment": assessment,
            "nav": nav(request, assessment, "consensus"),
            "table": table,
            "conflict": conflict,
            "has_errors": has_errors,
            "unknown": problems,
        },
        status=status,
    )


# --- completing --------------------------------------------------------------------------


def _problems_with_links(assessment: Assessment, problems, language: str | None) -> list:
    spec = assessment.response.form_version.form
    sections = section_of(spec)
    listed = []
    for problem in problems:
        node = spec.nodes.get(problem.name)
        label = spec.text(node.label, language) if node is not None else problem.name
        url = (
            form_url(assessment, sections.get(problem.name, 0))
            if assessment.response.is_draft
            else reverse("assessments:consensus", args=[assessment.pk])
        )
        listed.append((label, problem.message, url))
    return listed


@never_cache
@login_required
@require_http_methods(GET_POST)
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the answers and, when they pass, complete the assessment: the
    consensus response is sent, scored, and becomes the organisation's
    current assessment."""
    assessment = assessment_for(request, pk, "assessments.edit_assessment")
    language = request.LANGUAGE_CODE
    if request.method == "POST":
        done = services.assessment_complete(
            assessment=assessment, by=request.user, language=language
        )
        if done.done:
            messages.success(
                request,
                _("¡Listo! El autodiagnóstico está completo. Este es su perfil."),
            )
            return redirect("assessments:profile", assessment.pk)
        problems = done.problems
        assessment.response.refresh_from_db()
    else:
        spec = assessment.response.form_version.form
        problems = validate(spec, compute(spec, assessment.response.data), language=language)
    return render(
        request,
        "assessments/complete.html",
        {
            "assessment": assessment,
            "nav": nav(request, assessment, "detail"),
            "problems": _problems_with_links(assessment, problems, language),
            "progress": _progress(assessment),
        },
    )


@never_cache
@login_required
@require_safe
def from_response(request: HttpRequest, response_pk: int) -> HttpResponse:
    """Where the surveys form sends a person back after saving or sending a
    response of an assessment: the assessment's page, or, for an invited
    member, the list of their invitations."""
    response = get_object_or_404(Response, pk=response_pk)
    assessment = Assessment.objects.filter(response=response).first()
    if assessment is not None:
        assessment_for(request, assessment.pk)
        return redirect(assessment)
    invitation = Invitation.objects.filter(response=response).select_related("assessment").first()
    if invitation is None:
        raise Http404
    if invitation.user_id == request.user.pk:
        return redirect("assessments:index")
    assessment_for(request, invitation.assessment_id)
    return redirect(invitation.assessment)


urlpatterns = [
    path("", index, name="index"),
    path("organizaciones/<int:pk>/", organization, name="organization"),
    path("organizaciones/<int:pk>/nuevo/", start, name="start"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/integrantes/", members, name="members"),
    path(
        "<int:pk>/integrantes/<int:invitation_pk>/retirar/",
        invitation_remove,
        name="invitation_remove",
    ),
    path("<int:pk>/consenso/", consensus, name="consensus"),
    path("<int:pk>/completar/", complete, name="complete"),
    path("respuestas/<int:response_pk>/", from_response, name="from_response"),
]
