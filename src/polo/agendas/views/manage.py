"""What the facilitators of an agenda do: create and edit it, open the next
phase, enter an in-person tally, close the prioritisation (which publishes the
result) and adopt the priorities."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from polo.agendas import forms, services
from polo.agendas.models import Agenda, Phase
from polo.agendas.services import Refused
from polo.agendas.views.access import with_agenda
from polo.agendas.views.participation import POINTS_FIELD

MANAGE = "agendas.manage_agenda"


@require_http_methods(["GET", "POST"])
def agenda_create(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("agendas.create_agenda"):
        raise PermissionDenied(_("Crean agendas el equipo facilitador y la coordinación."))
    form = forms.AgendaForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            agenda = form.save(commit=False)
            agenda.created_by = request.user
            agenda.save()
            form.save_m2m()
            if request.user.is_facilitator:
                agenda.facilitators.add(request.user)
        messages.success(request, _("La agenda quedó creada como borrador."))
        return redirect(agenda.get_absolute_url())
    return render(
        request, "agendas/agenda_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@with_agenda(MANAGE)
def agenda_edit(request: HttpRequest, agenda: Agenda) -> HttpResponse:
    form = forms.AgendaForm(request.POST or None, instance=agenda, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("La agenda se actualizó."))
        return redirect(agenda.get_absolute_url())
    return render(
        request,
        "agendas/agenda_form.html",
        {"form": form, "agenda": agenda},
        status=400 if form.errors else 200,
    )


@require_POST
@with_agenda(MANAGE)
def agenda_phase(request: HttpRequest, agenda: Agenda) -> HttpResponse:
    form = forms.PhaseForm(request.POST)
    if not form.is_valid():
        raise Refused(_("Esa fase no existe."), status=400)
    if form.cleaned_data["phase"] == Phase.ADOPTED:
        return redirect("agendas:adopt", agenda.slug)
    try:
        services.agenda_open_phase(agenda=agenda, phase=form.cleaned_data["phase"], by=request.user)
    except ValidationError as error:
        raise Refused(" ".join(error.messages), status=409) from error
    messages.success(request, _("La agenda pasó a una nueva fase."))
    return redirect(agenda.get_absolute_url())


@require_http_methods(["GET", "POST"])
@with_agenda(MANAGE)
def tally_create(request: HttpRequest, agenda: Agenda) -> HttpResponse:
    if not agenda.allows_ballots:
        raise Refused(
            _("Los conteos presenciales se registran mientras la priorización está abierta.")
        )
    form = forms.TallyForm(request.POST or None)
    proposals = list(
        agenda.proposals.visible().order_by("title", "pk").only("pk", "title", "agenda_id")
    )
    error = None
    if request.method == "POST" and form.is_valid():
        points = {}
        try:
            for name, value in request.POST.items():
                match = POINTS_FIELD.match(name)
                if match and value.strip():
                    points[int(match[1])] = int(value)
            services.tally_record(
                agenda=agenda,
                by=request.user,
                note=form.cleaned_data["note"],
                people=form.cleaned_data["people"],
                points=points,
            )
        except ValueError:
            error = _("Los puntos deben ser números enteros.")
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        else:
            messages.success(request, _("El conteo presencial quedó registrado."))
            return redirect(agenda.get_absolute_url())
    return render(
        request,
        "agendas/tally_form.html",
        {"agenda": agenda, "form": form, "proposals": proposals, "error": error},
        status=400 if (error or form.errors) else 200,
    )


@require_POST
@with_agenda(MANAGE)
def voting_close(request: HttpRequest, agenda: Agenda) -> HttpResponse:
    services.voting_close(agenda=agenda, by=request.user)
    messages.success(request, _("La priorización se cerró y su resultado es público."))
    return redirect("agendas:results", agenda.slug)


@require_http_methods(["GET", "POST"])
@with_agenda(MANAGE)
def adopt(request: HttpRequest, agenda: Agenda) -> HttpResponse:
    """Choose the priorities: a position for each proposal that becomes one.
    Proposals given the same position make one priority: the one with the
    larger result leads it, the others support it."""
    if agenda.phase != Phase.PRIORITISATION or not agenda.result_is_public:
        raise Refused(_("Se adopta la agenda después de cerrar la priorización."))
    rows = (agenda.result or {}).get("rows", [])
    error = None
    if request.method == "POST":
        rank = {row["proposal"]: i for i, row in enumerate(rows)}
        chosen = []
        try:
            for name, value in request.POST.items():
                match = POINTS_FIELD.match(name)
                if match and value.strip():
                    pk = int(match[1])
                    chosen.append((int(value), rank.get(pk, len(rank)), pk))
        except ValueError:
            error = _("El orden debe ser un número entero.")
        else:
            chosen.sort()
            if any(position < 1 for position, _r, _pk in chosen):
                error = _("Dé a cada prioridad un número de orden desde 1.")
            else:
                found = {
                    p.pk: p
                    for p in agenda.proposals.visible().filter(pk__in=[c[2] for c in chosen])
                }
                groups: dict[int, list] = {}
                for position, _rank, pk in chosen:
                    groups.setdefault(position, []).append(pk)
                try:
                    proposals = {pk: found.get(pk) or _missing(pk) for _p, _r, pk in chosen}
                    services.agenda_adopt(
                        agenda=agenda,
                        proposals=[proposals[group[0]] for group in groups.values()],
                        supporting={
                            group[0]: [proposals[pk] for pk in group[1:]]
                            for group in groups.values()
                            if len(group) > 1
                        },
                        by=request.user,
                    )
                except ValidationError as invalid:
                    error = " ".join(invalid.messages)
                else:
                    messages.success(request, _("La agenda quedó adoptada."))
                    return redirect("agendas:adopted", agenda.slug)
    return render(
        request,
        "agendas/adopt.html",
        {"agenda": agenda, "rows": rows, "error": error},
        status=400 if error else 200,
    )


def _missing(pk: int):
    raise ValidationError(_("Alguna propuesta elegida no es de esta agenda."))


urlpatterns = [
    path("nueva/", agenda_create, name="agenda_create"),
    path("<slug:slug>/editar/", agenda_edit, name="agenda_edit"),
    path("<slug:slug>/fase/", agenda_phase, name="agenda_phase"),
    path("<slug:slug>/priorizacion/presencial/", tally_create, name="tally_create"),
    path("<slug:slug>/priorizacion/cerrar/", voting_close, name="voting_close"),
    path("<slug:slug>/adoptar/", adopt, name="adopt"),
]
