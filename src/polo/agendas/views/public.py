"""What anyone may read: the agendas, an agenda's page (its phase and what one
may do in it), its proposals (20 a page, a fixed number of queries), a
proposal with its comments and amendments, the published result, and the
adopted agenda (a page and a PDF)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from polo.agendas import listing, selectors
from polo.agendas.models import Agenda, Phase, Support
from polo.agendas.views.access import proposal_for, with_agenda


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    agendas = Agenda.objects.public().select_related("region", "municipality", "theme")
    return render(
        request,
        "agendas/agenda_list.html",
        {
            "agendas": agendas,
            "can_create": request.user.has_perm("agendas.create_agenda"),
            "can_moderate": request.user.has_perm("moderation.view_queue"),
        },
    )


def _agenda_context(request: HttpRequest, agenda: Agenda) -> dict:
    user = request.user
    return {
        "agenda": agenda,
        "manages": user.has_perm("agendas.manage_agenda", agenda),
        "eligible": agenda.allows_ballots and selectors.is_eligible(agenda, user),
    }


@require_safe
@with_agenda()
def agenda_detail(request: HttpRequest, agenda: Agenda) -> HttpResponse:
    context = _agenda_context(request, agenda)
    context.update(
        {
            "proposal_count": agenda.proposals.visible().count(),
            "top": list(selectors.proposals(agenda, selectors.ProposalFilters())[:5]),
            "facilitators": agenda.facilitators.all(),
            "changes": agenda.phase_changes.select_related("by"),
            "phases": [(p, p == agenda.phase) for p in Phase],
        }
    )
    return render(request, "agendas/agenda_detail.html", context)


@require_safe
@with_agenda()
def proposal_list(request: HttpRequest, agenda: Agenda) -> HttpResponse:
    filters = selectors.ProposalFilters.from_query(request.GET)
    page, themes = listing.proposal_page(agenda, filters, request.GET.get("page"))
    return render(
        request,
        "agendas/proposal_list.html",
        {
            "agenda": agenda,
            "page": page,
            "filters": filters,
            "themes": themes,
            "query": urlencode(filters.as_query()),
        },
    )


@require_safe
@with_agenda()
def proposal_detail(request: HttpRequest, agenda: Agenda, pk: int) -> HttpResponse:
    proposal = proposal_for(request, agenda, pk)
    user = request.user
    moderates = user.has_perm("moderation.moderate_item", proposal)
    context = {
        "agenda": agenda,
        "proposal": proposal,
        "moderates": moderates,
        "is_author": user.is_authenticated and proposal.author_id == user.pk,
    }
    if proposal.is_hidden and not (moderates or context["is_author"]):
        return render(request, "agendas/proposal_hidden.html", context)
    context.update(
        {
            "threads": selectors.comment_threads(proposal),
            "amendments": proposal.amendments.select_related("author"),
            "themes": proposal.themes.all(),
            "indicators": proposal.indicators.all(),
            "organizations": proposal.organizations.all(),
            "supported": user.is_authenticated
            and Support.objects.filter(proposal=proposal, user=user).exists(),
            "can_edit": user.has_perm("agendas.edit_proposal", proposal),
        }
    )
    return render(request, "agendas/proposal_detail.html", context)


@require_safe
@with_agenda()
def results(request: HttpRequest, agenda: Agenda) -> HttpResponse:
    context = _agenda_context(request, agenda)
    context["result"] = agenda.result if agenda.result_is_public else None
    return render(request, "agendas/results.html", context)


def _adopted_context(agenda: Agenda) -> dict:
    if agenda.phase != Phase.ADOPTED:
        raise Http404
    return {
        "agenda": agenda,
        "priorities": selectors.adopted_priorities(agenda),
        "agreements": agenda.agreements.public().order_by("-signed_on", "pk")
        if hasattr(agenda, "agreements")
        else [],
        "generated": timezone.localtime(),
    }


@require_safe
@with_agenda()
def adopted(request: HttpRequest, agenda: Agenda) -> HttpResponse:
    return render(request, "agendas/adopted.html", _adopted_context(agenda))


@require_safe
@with_agenda()
def adopted_pdf(request: HttpRequest, agenda: Agenda) -> HttpResponse:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("agendas/adopted_print.html", _adopted_context(agenda), request)
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=set())).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agenda-{agenda.slug}.pdf"'
    return response


urlpatterns = [
    path("", index, name="index"),
    path("<slug:slug>/", agenda_detail, name="agenda"),
    path("<slug:slug>/propuestas/", proposal_list, name="proposals"),
    path("<slug:slug>/propuestas/<int:pk>/", proposal_detail, name="proposal"),
    path("<slug:slug>/resultados/", results, name="results"),
    path("<slug:slug>/agenda-adoptada/", adopted, name="adopted"),
    path("<slug:slug>/agenda-adoptada.pdf", adopted_pdf, name="adopted_pdf"),
]
