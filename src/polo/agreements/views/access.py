"""Fetch an agreement, commitment or update for the person asking, or refuse:
404 for what they may not even see, login for visitors, 403 (with the reason)
for the rest."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from polo.agreements.models import Agreement, Commitment, CommitmentUpdate


class Refused(Exception):
    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class LoginRequired(Exception):
    pass


def check(request: HttpRequest, perm: str, obj, message="") -> None:
    """``message`` may be a callable, to work out why only when refused."""
    if not request.user.has_perm(perm, obj):
        if not request.user.is_authenticated:
            raise LoginRequired
        raise Refused(message() if callable(message) else message)


def agreement_for(request: HttpRequest, slug: str) -> Agreement:
    agreement = get_object_or_404(
        Agreement.objects.select_related("region", "source_agenda"), slug=slug
    )
    if not request.user.has_perm("agreements.view_agreement", agreement):
        raise Http404
    return agreement


def commitment_for(request: HttpRequest, pk: int) -> Commitment:
    commitment = get_object_or_404(
        Commitment.objects.select_related("agreement__region", "responsible__organization"),
        pk=pk,
    )
    if not request.user.has_perm("agreements.view_agreement", commitment.agreement):
        raise Http404
    return commitment


def update_for(request: HttpRequest, pk: int) -> CommitmentUpdate:
    update = get_object_or_404(
        CommitmentUpdate.objects.select_related(
            "commitment__agreement__region",
            "commitment__responsible__organization",
            "party__organization",
        ),
        pk=pk,
    )
    if not request.user.has_perm("agreements.view_agreement", update.commitment.agreement):
        raise Http404
    return update


def refusals(view):
    """Turn ``LoginRequired`` and ``Refused`` into a login redirect and a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except LoginRequired:
            return redirect_to_login(request.get_full_path())
        except Refused as refusal:
            return render(
                request, "agreements/refused.html", {"message": refusal.message}, status=403
            )

    return wrapper
