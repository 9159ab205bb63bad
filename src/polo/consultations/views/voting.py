"""Casting a ballot: signed in (the account must be eligible), or at a voting
table with a one-time code. A refused ballot answers with its reason and status
(403 outside the window or not eligible, 409 a second ballot or a used code,
400 a choice that does not exist or too many) and nothing is counted."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polo.consultations import forms, selectors, services
from polo.consultations.views.access import with_consultation


def _ballot(request: HttpRequest, consultation, *, by_code: bool) -> HttpResponse:
    questions = list(consultation.questions.prefetch_related("options"))
    context = {"consultation": consultation, "questions": questions, "by_code": by_code}
    user = request.user if not by_code else None
    if not consultation.is_open:
        context["refusal"] = _("La consulta no está abierta: no se reciben votos.")
        return render(request, "consultations/ballot.html", context, status=403)
    if user is not None:
        if not selectors.is_eligible(consultation, user):
            context["refusal"] = _("Su cuenta no está en el padrón de esta consulta.")
            return render(request, "consultations/ballot.html", context, status=403)
        if selectors.has_voted(consultation, user):
            context["refusal"] = _("Ya votó en esta consulta: se cuenta una sola boleta.")
            return render(request, "consultations/ballot.html", context, status=409)
    if request.method != "POST":
        return render(request, "consultations/ballot.html", context)
    answers, errors = forms.parse_ballot(request.POST, questions)
    if errors:
        context["errors"] = errors
        return render(request, "consultations/ballot.html", context, status=400)
    try:
        receipt = services.ballot_cast(
            consultation=consultation,
            answers=answers,
            user=user,
            code=request.POST.get("code", "") if by_code else None,
        )
    except services.BallotRefused as refusal:
        context["errors"] = [str(refusal.message)]
        return render(request, "consultations/ballot.html", context, status=refusal.status)
    return render(
        request,
        "consultations/ballot_cast.html",
        {"consultation": consultation, "receipt": receipt},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_consultation("consultations.vote")
def vote(request: HttpRequest, consultation) -> HttpResponse:
    return _ballot(request, consultation, by_code=False)


@require_http_methods(["GET", "HEAD", "POST"])
@with_consultation()
def vote_code(request: HttpRequest, consultation) -> HttpResponse:
    return _ballot(request, consultation, by_code=True)


urlpatterns = [
    path("<slug:slug>/votar/", vote, name="vote"),
    path("<slug:slug>/mesa/", vote_code, name="vote_code"),
]
