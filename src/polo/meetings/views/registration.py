"""Registration: one's own (with an account), on behalf of someone without one
(those who run the meeting), cancellation with the waiting list moving up, and a
person's own registrations with their QR code."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from polo.accounts.models import PrivacyNotice
from polo.meetings import selectors, services
from polo.meetings.forms import RegistrationForm
from polo.meetings.models import Registration
from polo.meetings.views.access import with_meeting


def _initial_for(user) -> dict:
    person = getattr(user, "meeting_person", None)
    if person is not None:
        return {
            "full_name": person.full_name,
            "sex": person.sex,
            "age_band": person.age_band,
            "sector": person.sector,
            "municipality": person.municipality_id,
            "birth_year": person.birth_year,
            "organization": person.organization_id,
            "organization_name": person.organization_name,
            "indigenous": {True: "yes", False: "no"}.get(person.indigenous, ""),
            "language": person.language,
        }
    return {"full_name": user.full_name, "municipality": user.municipality_id}


def _register(request: HttpRequest, meeting, *, on_behalf: bool) -> HttpResponse:
    if request.method == "POST":
        form = RegistrationForm(request.POST, meeting=meeting)
        if form.is_valid():
            data = form.cleaned_data
            try:
                registration = services.registration_create(
                    meeting=meeting,
                    data=form.person_data(),
                    user=None if on_behalf else request.user,
                    by=request.user,
                    consent=data["consent"],
                    needs_interpretation=data["needs_interpretation"],
                    interpretation_language=data["interpretation_language"],
                    accessibility_needs=data["accessibility_needs"],
                    allow_closed=on_behalf,
                )
            except services.MeetingError as error:
                form.add_error(None, str(error))
            else:
                if registration.status == Registration.Status.WAITING:
                    messages.warning(
                        request,
                        _("El cupo está lleno: %(name)s quedó en la lista de espera.")
                        % {"name": registration.person.full_name},
                    )
                else:
                    messages.success(
                        request,
                        _("Inscripción confirmada: %(name)s.")
                        % {"name": registration.person.full_name},
                    )
                if on_behalf:
                    return redirect("meetings:register_other", pk=meeting.pk)
                return redirect(registration.get_absolute_url())
    else:
        form = RegistrationForm(
            meeting=meeting, initial={} if on_behalf else _initial_for(request.user)
        )
    return render(
        request,
        "meetings/registration_form.html",
        {
            "meeting": meeting,
            "form": form,
            "on_behalf": on_behalf,
            "notice": PrivacyNotice.current(),
            "counts": selectors.meeting_counts(meeting),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@with_meeting("meetings.register_self")
def register(request: HttpRequest, meeting) -> HttpResponse:
    if not meeting.accepts_registrations:
        messages.error(request, _("Este encuentro no recibe inscripciones."))
        return redirect(meeting.get_absolute_url())
    return _register(request, meeting, on_behalf=False)


@require_http_methods(["GET", "POST"])
@with_meeting("meetings.run_meeting")
def register_other(request: HttpRequest, meeting) -> HttpResponse:
    return _register(request, meeting, on_behalf=True)


def _own_registration(request: HttpRequest, pk: int) -> Registration:
    registration = get_object_or_404(
        Registration.objects.select_related("meeting__municipality", "person"), pk=pk
    )
    if registration.person.user_id != request.user.pk:
        if request.user.has_perm("meetings.run_meeting", registration.meeting):
            return registration
        raise Http404
    return registration


@login_required
@require_safe
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _own_registration(request, pk)
    checkin_url = request.build_absolute_uri(
        reverse("meetings:checkin_qr", args=[services.checkin_token(registration)])
    )
    qr = segno.make(checkin_url, error="m").svg_inline(scale=4, title=_("Código QR de asistencia"))
    return render(
        request,
        "meetings/registration_detail.html",
        {
            "registration": registration,
            "meeting": registration.meeting,
            "qr": qr,
            "checkin_url": checkin_url,
        },
    )


@login_required
@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _own_registration(request, pk)
    services.registration_cancel(registration=registration)
    messages.success(request, _("Inscripción cancelada."))
    if registration.person.user_id == request.user.pk:
        return redirect("meetings:my_registrations")
    return redirect("meetings:checkin", pk=registration.meeting_id)


@login_required
@require_safe
def my_registrations(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("meetings.view_own_registrations"):
        raise PermissionDenied
    return render(
        request,
        "meetings/my_registrations.html",
        {"registrations": selectors.own_registrations(request.user)},
    )


urlpatterns = [
    path("<int:pk>/inscripcion/", register, name="register"),
    path("<int:pk>/inscribir/", register_other, name="register_other"),
    path("inscripciones/", my_registrations, name="my_registrations"),
    path("inscripciones/<int:pk>/", registration_detail, name="registration"),
    path("inscripciones/<int:pk>/cancelar/", registration_cancel, name="registration_cancel"),
]
