"""The list of consultations, a consultation's page (with its result once
published) and the public check of a receipt."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from polo.consultations import selectors
from polo.consultations.models import normalise_code
from polo.consultations.views.access import with_consultation

PAGE_SIZE = 20


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    consultations = selectors.visible_consultations(request.user)
    page = Paginator(consultations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/consultation_list.html",
        {
            "page": page,
            "can_create": request.user.has_perm("consultations.create_consultation"),
        },
    )


@require_safe
@with_consultation()
def detail(request: HttpRequest, consultation) -> HttpResponse:
    user = request.user
    context = {
        "consultation": consultation,
        "questions": consultation.questions.prefetch_related("options"),
        "manages": user.has_perm("consultations.manage_consultation", consultation),
        "voted": selectors.has_voted(consultation, user),
        # Results are hidden until they are published after the close.
        "result": consultation.result if consultation.is_published else None,
    }
    return render(request, "consultations/consultation_detail.html", context)


@require_safe
@with_consultation()
def receipt(request: HttpRequest, consultation) -> HttpResponse:
    """Anyone may check that a receipt is among the counted ballots, once the
    result is published; the choices are shown only if the consultation says so."""
    code = normalise_code(request.GET.get("recibo", ""))[:16]
    ballot = None
    status = 200
    if code and consultation.is_published:
        ballot = consultation.ballots.filter(receipt=code).first()
        if ballot is None:
            status = 404
    answers = []
    if ballot is not None and consultation.receipt_shows_choices:
        for question in consultation.questions.prefetch_related("options"):
            names = {o.pk: o.text for o in question.options.all()}
            chosen = ballot.choices.get(str(question.pk), [])
            answers.append((question, [names.get(pk, "?") for pk in chosen]))
    return render(
        request,
        "consultations/receipt.html",
        {"consultation": consultation, "code": code, "ballot": ballot, "answers": answers},
        status=status,
    )


urlpatterns = [
    path("", index, name="index"),
    path("<slug:slug>/", detail, name="detail"),
    path("<slug:slug>/comprobante/", receipt, name="receipt"),
]
