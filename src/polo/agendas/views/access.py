"""Fetch an agenda or proposal for the person asking, or refuse: 404 for what
they may not even see, the login page for visitors, 403 with the reason for
the rest. ``refusing`` turns a service's ``Refused`` into that page (with its
status: 403 not allowed now, 409 already done) and a rate limit into a 429."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from polo.agendas.models import Agenda, Proposal
from polo.agendas.services import Refused
from polo.moderation import ratelimit

VIEW = "agendas.view_agenda"

# Posting limits per person: (per minute, per hour).
LIMITS = {
    "proposal": (3, 20),
    "comment": (6, 60),
    "amendment": (3, 20),
}


def agenda_for(request: HttpRequest, slug: str, perm: str = VIEW) -> Agenda:
    agenda = get_object_or_404(
        Agenda.objects.select_related("region", "municipality__region", "theme", "forum"),
        slug=slug,
    )
    if not request.user.has_perm(VIEW, agenda):
        raise Http404
    if perm != VIEW and not request.user.has_perm(perm, agenda):
        raise Refused(_("Su cuenta no puede hacer esto en esta agenda."))
    return agenda


def proposal_for(request: HttpRequest, agenda: Agenda, pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related("author", "authority", "municipality", "hidden_by"),
        pk=pk,
        agenda=agenda,
    )
    proposal.agenda = agenda
    return proposal


def refused(request: HttpRequest, message: str, status: int = 403, agenda=None) -> HttpResponse:
    return render(
        request, "agendas/refused.html", {"message": message, "agenda": agenda}, status=status
    )


def check_rate(request: HttpRequest, what: str) -> None:
    per_minute, per_hour = LIMITS[what]
    if not ratelimit.allow(
        request.user, f"agendas.{what}", per_minute=per_minute, per_hour=per_hour
    ):
        raise Refused(
            _(
                "Ha publicado demasiado en poco tiempo. Espere unos minutos y vuelva a "
                "intentarlo; su texto no se guardó."
            ),
            status=429,
        )


def with_agenda(perm: str = VIEW, *, login: bool = False):
    """Decorate a view taking ``(request, agenda, ...)`` from a URL's ``slug``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs):
            if (login or perm != VIEW) and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                agenda = agenda_for(request, slug, perm)
                return view(request, agenda, *args, **kwargs)
            except Refused as refusal:
                response = refused(request, refusal.message, refusal.status)
                if refusal.status == 429:
                    response["Retry-After"] = "60"
                return response

        return wrapper

    return decorator
