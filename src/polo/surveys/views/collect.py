"""The web form: start a response, answer it one section at a time, review and
send it; and, for the region's facilitator, edit a response already sent.

Every page works without JavaScript: each section is a plain POST that saves
(a draft keeps what was typed, even what does not validate yet, so nothing is
lost), and the server decides relevance, filtered options and validity
(``validation``). form.js only shows and hides as a person types.

Without JavaScript, a question that depends on an answer in the same section
is drawn hidden until that answer is saved: when "Siguiente" reveals such a
question, the section is drawn again with it (and a notice) instead of moving
on. That is the honest behaviour without a script: the page cannot know before
the answer reaches the server.

Permissions (rules.py): ``surveys.collect`` on the round to start;
``surveys.continue_response`` for a draft (its capturer, its organisation's
editors, the region's facilitators, coordinators); ``surveys.edit_response``
for a response already sent (facilitators of its region, coordinators). A
response the person may not see is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from polo.directory.models import Organization
from polo.surveys.models import Campaign, Response, Round
from polo.surveys.rendering import drafts, uploads
from polo.surveys.rendering.client import client_logic
from polo.surveys.rendering.fields import PREFIX, Field, build_section
from polo.surveys.rendering.logic import applicable_sections
from polo.surveys.rendering.posted import read_section
from polo.surveys.rendering.review import review_sections
from polo.surveys.selectors import rounds_open_to
from polo.surveys.spec import FormSpec
from polo.surveys.validation import AnswerProblem, compute, validate
from polo.territory.models import Community, Municipality

GET_POST = ["GET", "HEAD", "POST"]
PICK_LIMIT = 30
MAX_SECTION = 999


# --- helpers ---------------------------------------------------------------------


def _response(request: HttpRequest, pk: int) -> tuple[Response, bool]:
    """The response and whether it is being edited after sending; 404 when the
    person may not see it, 403 when they may see it but not change it."""
    response = get_object_or_404(
        Response.objects.select_related(
            "round__campaign__instrument",
            "form_version",
            "organization",
            "community",
            "municipality__region",
        ),
        pk=pk,
    )
    user = request.user
    if not user.has_perm("surveys.view_response", response):
        raise Http404
    if response.is_draft:
        if not user.has_perm("surveys.continue_response", response):
            raise PermissionDenied
        if not response.round.accepts_responses:
            raise PermissionDenied(_("Esta ronda ya no recibe respuestas."))
        return response, False
    if not user.has_perm("surveys.edit_response", response):
        raise PermissionDenied
    return response, True


def _section_url(response: Response, index: int, anchor: str = "") -> str:
    url = reverse("surveys:collect_section", args=[response.pk, index])
    return f"{url}#{anchor}" if anchor else url


def _review_url(response: Response) -> str:
    return reverse("surveys:collect_review", args=[response.pk])


def _after(applicable: list[int], index: int) -> int | None:
    return next((i for i in applicable if i > index), None)


def _before(applicable: list[int], index: int) -> int | None:
    return next((i for i in reversed(applicable) if i < index), None)


def _problem_id(spec: FormSpec, problem: AnswerProblem) -> str:
    node = spec.nodes.get(problem.name)
    if node is not None and node.repeat and problem.row:
        return f"{PREFIX}/{node.repeat}/{problem.row - 1}/{problem.name}"
    return f"{PREFIX}/{problem.name}"


def _ids(fields: list[Field]) -> set[str]:
    found: set[str] = set()
    for built in fields:
        found.add(built.id)
        found |= _ids(built.children)
        for row in built.rows:
            found |= _ids(row.fields)
    return found


def _section_of(spec: FormSpec) -> dict[str, int]:
    return {node.name: s.index for s in spec.sections for top in s.nodes for node in top.walk()}


def _render_section(
    request: HttpRequest,
    response: Response,
    spec: FormSpec,
    index: int,
    data: dict[str, Any],
    *,
    editing: bool,
    raw: dict[str, Any] | None = None,
    problems: list[AnswerProblem] = (),
    notice: str = "",
    conflict: bool = False,
    status: int = 200,
) -> HttpResponse:
    language = request.LANGUAGE_CODE
    today = timezone.localdate()
    section = spec.sections[index]
    view = build_section(
        spec, section, data, raw=raw, problems=problems, language=language, today=today
    )
    applicable = applicable_sections(spec, data, today=today)
    if index not in applicable:
        applicable = sorted({*applicable, index})
    context = {
        "response": response,
        "editing": editing,
        "spec": spec,
        "form_title": spec.title or response.round.campaign.instrument.title,
        "view": view,
        "index": index,
        "position": applicable.index(index) + 1,
        "total": len(applicable),
        "previous": _before(applicable, index),
        "next": _after(applicable, index),
        "version": drafts.version_of(response),
        "hidden": " ".join(view.hidden),
        "logic": client_logic(spec, section, data, language=language, today=today),
        "notice": notice,
        "conflict": conflict,
        "storage_key": f"polo:respuesta:{response.pk}:{index}",
    }
    return render(request, "surveys/collect/section.html", context, status=status)


def _store_file(response: Response):
    def store(node, upload, extension: str) -> str:
        return uploads.store_upload(
            response=response, name=node.name, upload=upload, extension=extension
        )

    return store


# --- start -------------------------------------------------------------------------


@never_cache
@login_required
def start(request: HttpRequest) -> HttpResponse:
    """The rounds this person may collect for, and their drafts to go on with."""
    user = request.user
    rounds = list(
        rounds_open_to(user).select_related("campaign__instrument").order_by("campaign", "order")
    )
    mine = Response.objects.filter(submitted_by=user, source=Response.Source.WEB).select_related(
        "round__campaign", "organization", "community", "municipality"
    )
    open_drafts = list(
        mine.filter(status=Response.Status.DRAFT).order_by("-updated_at")[:PICK_LIMIT]
    )
    sent = list(mine.exclude(status=Response.Status.DRAFT).order_by("-submitted_at", "-pk")[:10])
    return render(
        request,
        "surveys/collect/start.html",
        {"rounds": rounds, "drafts": open_drafts, "sent": sent},
    )


def _collect_regions(user, campaign: Campaign) -> set[int] | None:
    """The regions this person collects in for the campaign; None is every
    region of the programme."""
    campaign_regions = {region.pk for region in campaign.regions.all()}
    if user.is_coordinator:
        return campaign_regions or None
    if user.is_facilitator:
        mine = set(user.regions.values_list("pk", flat=True))
        return mine & campaign_regions if campaign_regions else mine
    return campaign_regions or None


def _organizations(user, campaign: Campaign) -> QuerySet[Organization]:
    organizations = Organization.objects.exclude(status=Organization.Status.ARCHIVED)
    campaign_regions = {region.pk for region in campaign.regions.all()}
    if not user.is_coordinator:
        allowed = Q(memberships__user=user, memberships__is_editor=True)
        if user.is_facilitator:
            allowed |= Q(municipality__region__in=user.regions.all())
        organizations = organizations.filter(allowed)
    if campaign_regions:
        organizations = organizations.filter(municipality__region__in=campaign_regions)
    return organizations.distinct().select_related("municipality__state")


def _communities(user, campaign: Campaign) -> QuerySet[Community]:
    regions = _collect_regions(user, campaign)
    communities = Community.objects.filter(municipality__region__isnull=False)
    if regions is not None:
        communities = communities.filter(municipality__region__in=regions)
    return communities.select_related("municipality__state")


def _municipalities(user, campaign: Campaign) -> QuerySet[Municipality]:
    regions = _collect_regions(user, campaign)
    municipalities = Municipality.objects.in_programme()
    if regions is not None:
        municipalities = municipalities.filter(region__in=regions)
    return municipalities.select_related("region", "state")


def _posted_pk(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def _search(candidates: QuerySet, query: str) -> list:
    query = query.strip()[:100]
    if query:
        candidates = candidates.filter(name__icontains=query)
    return list(candidates.order_by("name", "pk")[:PICK_LIMIT])


@never_cache
@login_required
@require_http_methods(GET_POST)
def new(request: HttpRequest, round_pk: int) -> HttpResponse:
    """Choose whom the response is about (an organisation, a community, or a
    person's municipality) and start it."""
    round_ = get_object_or_404(Round.objects.select_related("campaign__instrument"), pk=round_pk)
    if not request.user.has_perm("surveys.collect", round_):
        raise PermissionDenied
    campaign = round_.campaign
    if campaign.instrument.current_version is None:
        raise Http404
    kind = campaign.respondent
    Respondent = Campaign.Respondent
    query = request.GET.get("buscar", "")
    candidates: QuerySet
    if kind == Respondent.ORGANIZATION:
        candidates = _organizations(request.user, campaign)
    elif kind == Respondent.COMMUNITY:
        candidates = _communities(request.user, campaign)
    else:
        candidates = _municipalities(request.user, campaign)
    error = ""
    if request.method == "POST":
        field = {
            Respondent.ORGANIZATION: "organizacion",
            Respondent.COMMUNITY: "comunidad",
            Respondent.PERSON: "municipio",
        }[kind]
        pk = _posted_pk(request, field)
        chosen = candidates.filter(pk=pk).first() if pk is not None else None
        if chosen is None:
            error = {
                Respondent.ORGANIZATION: _("Elija una de las organizaciones de la lista."),
                Respondent.COMMUNITY: _("Elija una de las comunidades de la lista."),
                Respondent.PERSON: _("Elija el municipio de la persona que responde."),
            }[kind]
        else:
            respondent = {
                "organization": chosen if kind == Respondent.ORGANIZATION else None,
                "community": chosen if kind == Respondent.COMMUNITY else None,
                "municipality": chosen if kind == Respondent.PERSON else None,
            }
            existing = (
                Response.objects.filter(
                    round=round_, submitted_by=request.user, status=Response.Status.DRAFT
                )
                .filter(**{key: value for key, value in respondent.items() if value is not None})
                .first()
            )
            if existing is not None and kind != Respondent.PERSON:
                messages.info(
                    request,
                    _("Ya tenía un borrador para esta ronda y este respondente: continúe con él."),
                )
                return redirect(_section_url(existing, existing.current_section))
            response = drafts.response_start(
                round_=round_, by=request.user, respondent_kind=kind, **respondent
            )
            first = applicable_sections(
                response.form_version.form, response.data, today=timezone.localdate()
            )
            return redirect(_section_url(response, first[0] if first else 0))
    context: dict[str, Any] = {"round": round_, "campaign": campaign, "kind": kind, "error": error}
    if kind == Respondent.PERSON:
        context["municipalities"] = list(candidates.order_by("region__name", "name"))
    else:
        context["query"] = query.strip()[:100]
        context["results"] = _search(candidates, query)
        context["total"] = candidates.count()
    return render(request, "surveys/collect/new.html", context)


# --- one section --------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(GET_POST)
def section(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    response, editing = _response(request, pk)
    spec = response.form_version.form
    if index > MAX_SECTION:
        raise Http404
    if index >= len(spec.sections):
        return redirect(_review_url(response))
    today = timezone.localdate()
    if request.method != "POST":
        applicable = applicable_sections(spec, response.data, today=today)
        if index not in applicable:
            following = _after(applicable, index)
            return redirect(
                _section_url(response, following)
                if following is not None
                else _review_url(response)
            )
        return _render_section(request, response, spec, index, response.data, editing=editing)
    return _save_section(request, response, spec, index, editing=editing)


def _save_section(
    request: HttpRequest, response: Response, spec: FormSpec, index: int, *, editing: bool
) -> HttpResponse:
    language = request.LANGUAGE_CODE
    today = timezone.localdate()
    section = spec.sections[index]
    has_files = any(node.type in {"image", "file"} for top in section.nodes for node in top.walk())
    attachments = (
        set(response.attachments.values_list("filename", flat=True)) if has_files else set()
    )
    posted = read_section(
        spec,
        section,
        request.POST,
        request.FILES,
        response.data,
        store_file=_store_file(response),
        attachments=attachments,
    )
    render_again = {"editing": editing, "raw": posted.raw}
    if posted.version != drafts.version_of(response):
        return _conflict(request, response, spec, index, posted, editing)
    working = compute(spec, posted.data, today=today)
    problems = [
        *posted.problems,
        *validate(spec, working, section=index, today=today, language=language),
    ]
    drawn = build_section(spec, section, working, language=language, today=today)
    revealed = (posted.hidden & _ids(drawn.fields)) - set(drawn.hidden)
    shown_problems = [p for p in problems if _problem_id(spec, p) not in revealed]
    applicable = applicable_sections(spec, working, today=today)
    following = _after(applicable, index)
    previous = _before(applicable, index)
    notice = (
        _(
            "Según sus respuestas, en esta sección hay preguntas que antes no se mostraban. "
            "Respóndalas y pulse «Siguiente»."
        )
        if revealed
        else ""
    )
    action = posted.action
    moving_on = action in {"siguiente", "revisar"}
    stays = (
        posted.changes_rows
        or bool(posted.problems)
        or (moving_on and (shown_problems or revealed))
        or (editing and bool(shown_problems))
    )

    if editing and (posted.changes_rows or shown_problems or revealed):
        # A sent response changes only with answers that pass: nothing is
        # saved until the section validates.
        if posted.changes_rows:
            notice = _("Se guardará cuando pulse un botón para guardar la sección.")
        elif shown_problems:
            notice = _("No se guardaron los cambios: corrija lo que se indica.")
        return _render_section(
            request,
            response,
            spec,
            index,
            working,
            problems=shown_problems,
            notice=notice,
            **render_again,
        )

    if stays:
        destination = index
    elif action == "anterior":
        destination = previous if previous is not None else index
    elif action == "guardar":
        destination = index
    else:
        destination = following if following is not None else len(spec.sections)
    try:
        response = drafts.response_save(
            response=response,
            data=working,
            current_section=destination,
            expected_version=posted.version,
            by=request.user,
        )
    except drafts.Conflict:
        response.refresh_from_db()
        return _conflict(request, response, spec, index, posted, editing)

    if posted.add_row:
        rows = working.get(posted.add_row) or []
        anchor = f"{PREFIX}/{posted.add_row}/{max(len(rows) - 1, 0)}"
        return redirect(_section_url(response, index, anchor))
    if posted.remove_row:
        messages.info(request, _("Se quitó la fila."))
        return redirect(_section_url(response, index, f"{PREFIX}/{posted.remove_row[0]}"))
    if stays:
        return _render_section(
            request,
            response,
            spec,
            index,
            working,
            problems=shown_problems,
            notice=notice,
            **render_again,
        )
    if editing:
        messages.success(request, _("Se guardaron los cambios de esta sección."))
    if action == "guardar":
        if not editing:
            messages.success(
                request,
                _("Guardamos su avance. Puede continuar después desde esta página."),
            )
            return redirect("surveys:collect_start")
        return redirect(_review_url(response))
    if destination >= len(spec.sections):
        return redirect(_review_url(response))
    return redirect(_section_url(response, destination))


def _conflict(request, response, spec, index, posted, editing) -> HttpResponse:
    """Saved elsewhere since the page was drawn: draw it again with what this
    person typed over the answers as they now are, and say so. Saving again
    keeps what is on the page."""
    fresh_data = dict(response.data)
    section_names = {node.name for top in spec.sections[index].nodes for node in top.walk()}
    for name in section_names:
        fresh_data.pop(name, None)
        if name in posted.data:
            fresh_data[name] = posted.data[name]
    return _render_section(
        request,
        response,
        spec,
        index,
        fresh_data,
        editing=editing,
        raw=posted.raw,
        conflict=True,
        status=409,
    )


# --- review and send ---------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(GET_POST)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    response, editing = _response(request, pk)
    spec = response.form_version.form
    language = request.LANGUAGE_CODE
    today = timezone.localdate()
    conflict = False
    if request.method == "POST" and not editing:
        try:
            sent, problems = drafts.response_submit(
                response=response,
                by=request.user,
                expected_version=request.POST.get("_version", ""),
                language=language,
                today=today,
            )
        except drafts.Conflict:
            conflict = True
        else:
            if not problems:
                messages.success(
                    request,
                    _("¡Gracias! La respuesta se envió. Ya no se puede cambiar desde aquí."),
                )
                return redirect("surveys:collect_start")
    data = compute(spec, response.data, today=today)
    problems = validate(spec, data, today=today, language=language)
    section_of = _section_of(spec)
    sections = review_sections(spec, data, language=language, today=today, problems=problems)
    applicable = [s.index for s in sections]
    listed = [
        (
            problem,
            spec.text(spec.nodes[problem.name].label, language)
            if problem.name in spec.nodes
            else problem.name,
            _section_url(response, section_of.get(problem.name, 0), _problem_id(spec, problem)),
        )
        for problem in problems
    ]
    return render(
        request,
        "surveys/collect/review.html",
        {
            "response": response,
            "editing": editing,
            "form_title": spec.title or response.round.campaign.instrument.title,
            "sections": sections,
            "problems": listed,
            "version": drafts.version_of(response),
            "last_section": applicable[-1] if applicable else 0,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


urlpatterns = [
    path("recoleccion/", start, name="collect_start"),
    path("recoleccion/rondas/<int:round_pk>/nueva/", new, name="collect_new"),
    path("respuestas/<int:pk>/seccion/<int:index>/", section, name="collect_section"),
    path("respuestas/<int:pk>/resumen/", review, name="collect_review"),
]
