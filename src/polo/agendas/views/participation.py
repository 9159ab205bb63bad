"""What a signed-in participant does: propose, edit one's proposal, support,
comment, amend, answer an amendment, and prioritise. The phase and eligibility
are the services' checks (a 403 with the reason); posting is rate limited (429)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from polo.agendas import forms, selectors, services
from polo.agendas.models import Agenda, Amendment, Ballot, BallotLine
from polo.agendas.services import Refused
from polo.agendas.views.access import check_rate, proposal_for, with_agenda

PARTICIPATE = "agendas.participate"


@require_http_methods(["GET", "POST"])
@with_agenda(PARTICIPATE)
def proposal_create(request: HttpRequest, agenda: Agenda) -> HttpResponse:
    if not agenda.allows_proposals:
        raise Refused(
            _("Esta agenda no recibe propuestas en la fase «%(phase)s».")
            % {"phase": agenda.get_phase_display()}
        )
    form = forms.ProposalForm(request.POST or None, agenda=agenda)
    if request.method == "POST" and form.is_valid():
        check_rate(request, "proposal")
        try:
            proposal = services.proposal_create(
                agenda=agenda, by=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Su propuesta quedó publicada."))
            return redirect(proposal.get_absolute_url())
    return render(
        request,
        "agendas/proposal_form.html",
        {"agenda": agenda, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@with_agenda(PARTICIPATE)
def proposal_edit(request: HttpRequest, agenda: Agenda, pk: int) -> HttpResponse:
    proposal = proposal_for(request, agenda, pk)
    if not request.user.has_perm("agendas.edit_proposal", proposal):
        if proposal.author_id == request.user.pk:
            raise Refused(_("Las propuestas se editan solo mientras se reciben propuestas."))
        raise Refused(_("Solo la persona autora edita su propuesta."))
    form = forms.ProposalForm(request.POST or None, instance=proposal, agenda=agenda)
    if request.method == "POST" and form.is_valid():
        services.proposal_update(proposal=proposal, by=request.user, **form.service_kwargs())
        messages.success(request, _("Su propuesta se actualizó."))
        return redirect(proposal.get_absolute_url())
    return render(
        request,
        "agendas/proposal_form.html",
        {"agenda": agenda, "form": form, "proposal": proposal},
        status=400 if form.errors else 200,
    )


@require_POST
@with_agenda(PARTICIPATE)
def support(request: HttpRequest, agenda: Agenda, pk: int) -> HttpResponse:
    """Support (or, with ``retirar``, withdraw): a second click changes nothing.
    With htmx, answers the button's fragment; otherwise goes back to the proposal."""
    proposal = proposal_for(request, agenda, pk)
    withdraw = "retirar" in request.POST
    if withdraw:
        changed = services.support_withdraw(proposal=proposal, by=request.user)
    else:
        changed = services.support_add(proposal=proposal, by=request.user)
    proposal.refresh_from_db(fields=["support_count"])
    if request.htmx:
        return render(
            request,
            "agendas/_support.html",
            {"agenda": agenda, "proposal": proposal, "supported": not withdraw},
        )
    if changed:
        messages.success(request, _("Retiró su apoyo.") if withdraw else _("Apoyó esta propuesta."))
    return redirect(proposal.get_absolute_url())


@require_POST
@with_agenda(PARTICIPATE)
def comment_create(request: HttpRequest, agenda: Agenda, pk: int) -> HttpResponse:
    proposal = proposal_for(request, agenda, pk)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        check_rate(request, "comment")
        parent_pk = form.cleaned_data.get("parent")
        parent = forms.comment_parent(proposal, parent_pk)
        if parent_pk and parent is None:
            form.add_error(None, _("El comentario al que responde no es de esta propuesta."))
        else:
            comment = services.comment_create(
                proposal=proposal, by=request.user, body=form.cleaned_data["body"], parent=parent
            )
            messages.success(request, _("Su comentario quedó publicado."))
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "agendas/comment_form.html",
        {"agenda": agenda, "proposal": proposal, "form": form},
        status=400,
    )


@require_http_methods(["GET", "POST"])
@with_agenda(PARTICIPATE)
def amendment_create(request: HttpRequest, agenda: Agenda, pk: int) -> HttpResponse:
    proposal = proposal_for(request, agenda, pk)
    if not agenda.allows_amendments:
        raise Refused(_("Las enmiendas se proponen durante la deliberación."))
    if proposal.author_id == request.user.pk:
        raise Refused(
            _("Las enmiendas las proponen otras personas, no quien escribió la propuesta.")
        )
    form = forms.AmendmentForm(request.POST or None, initial={"text": proposal.proposal})
    if request.method == "POST" and form.is_valid():
        check_rate(request, "amendment")
        services.amendment_create(
            proposal=proposal,
            by=request.user,
            text=form.cleaned_data["text"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Su enmienda se envió a la persona autora."))
        return redirect(proposal.get_absolute_url())
    return render(
        request,
        "agendas/amendment_form.html",
        {"agenda": agenda, "proposal": proposal, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@with_agenda(PARTICIPATE)
def amendment_decide(request: HttpRequest, agenda: Agenda, pk: int) -> HttpResponse:
    amendment = get_object_or_404(
        Amendment.objects.select_related("proposal"), pk=pk, proposal__agenda=agenda
    )
    if not request.user.has_perm("agendas.decide_amendment", amendment):
        raise Refused(_("Solo la persona autora de la propuesta decide sus enmiendas."))
    form = forms.AmendmentAnswerForm(request.POST)
    if not form.is_valid():
        raise Refused(_("Elija si acepta o no la enmienda."), status=400)
    accept = form.cleaned_data["decision"] == "accept"
    services.amendment_decide(
        amendment=amendment, by=request.user, accept=accept, answer=form.cleaned_data["answer"]
    )
    messages.success(request, _("Aceptó la enmienda.") if accept else _("No aceptó la enmienda."))
    return redirect(amendment.proposal.get_absolute_url())


POINTS_FIELD = re.compile(r"^p(\d{1,12})$")
RANK_FIELD = re.compile(r"^puesto_(\d{1,3})$")


def _read_ballot(agenda: Agenda, data) -> dict:
    """The ballot as posted: ``p<id>=<points>`` or ``puesto_<n>=<id>``. A value
    that is not a whole number is an error here; which proposals exist is the
    service's to say."""
    if agenda.method == Agenda.Method.POINTS:
        points = {}
        for name, value in data.items():
            match = POINTS_FIELD.match(name)
            if match and value.strip():
                try:
                    points[int(match[1])] = int(value)
                except ValueError as error:
                    raise ValidationError(_("Los puntos deben ser números enteros.")) from error
        return {"points": points}
    places = {}
    for name, value in data.items():
        match = RANK_FIELD.match(name)
        if match and value.strip():
            try:
                places[int(match[1])] = int(value)
            except ValueError as error:
                raise ValidationError(_("Elija propuestas de la lista.")) from error
    return {"ranking": [places[n] for n in sorted(places)]}


@require_http_methods(["GET", "POST"])
@with_agenda(login=True)
def ballot(request: HttpRequest, agenda: Agenda) -> HttpResponse:
    """The prioritisation ballot: editable until the facilitators close it."""
    if not agenda.allows_ballots:
        raise Refused(
            _("La priorización no está abierta: la agenda está en «%(phase)s».")
            % {"phase": agenda.get_phase_display()}
            if not agenda.result_is_public
            else _("La priorización ya se cerró; vea el resultado.")
        )
    error = None
    if request.method == "POST":
        try:
            services.ballot_submit(
                agenda=agenda, by=request.user, **_read_ballot(agenda, request.POST)
            )
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        else:
            messages.success(
                request, _("Su priorización quedó guardada; puede cambiarla hasta el cierre.")
            )
            return redirect("agendas:ballot", agenda.slug)
    if not selectors.is_eligible(agenda, request.user):
        raise Refused(
            _(
                "No está habilitada(o) para priorizar en esta agenda: participan las personas "
                "que viven en %(territory)s, las organizaciones de ahí y quienes se inscribieron "
                "en su foro."
            )
            % {"territory": agenda.territory_name}
        )
    current = {}
    mine = Ballot.objects.filter(agenda=agenda, voter=request.user).first()
    if mine:
        current = {line.proposal_id: line for line in BallotLine.objects.filter(ballot=mine)}
    proposals = list(
        agenda.proposals.visible().order_by("title", "pk").only("pk", "title", "agenda_id")
    )
    rows = [
        {
            "proposal": p,
            "points": current[p.pk].points if p.pk in current else "",
            "rank": current[p.pk].rank if p.pk in current else None,
        }
        for p in proposals
    ]
    ranked = {line.rank: line.proposal_id for line in current.values() if line.rank}
    places = [(n, ranked.get(n)) for n in range(1, agenda.ranks + 1)]
    return render(
        request,
        "agendas/ballot.html",
        {
            "agenda": agenda,
            "rows": rows,
            "places": places,
            "error": error,
            "has_ballot": bool(mine),
        },
        status=400 if error else 200,
    )


urlpatterns = [
    path("<slug:slug>/propuestas/nueva/", proposal_create, name="proposal_create"),
    path("<slug:slug>/propuestas/<int:pk>/editar/", proposal_edit, name="proposal_edit"),
    path("<slug:slug>/propuestas/<int:pk>/apoyo/", support, name="support"),
    path("<slug:slug>/propuestas/<int:pk>/comentar/", comment_create, name="comment_create"),
    path("<slug:slug>/propuestas/<int:pk>/enmendar/", amendment_create, name="amendment_create"),
    path("<slug:slug>/enmiendas/<int:pk>/decidir/", amendment_decide, name="amendment_decide"),
    path("<slug:slug>/priorizacion/", ballot, name="ballot"),
]
