"""Creating and changing a meeting: facilitators (in their regions), coordinators,
and editors of an organisation (as its organiser)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polo.meetings import services
from polo.meetings.forms import MeetingForm
from polo.meetings.models import Meeting
from polo.meetings.views.access import with_meeting


def _save(request: HttpRequest, meeting: Meeting | None) -> HttpResponse:
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = services.meeting_save(form=form, by=request.user)
        messages.success(request, _("Encuentro guardado."))
        return redirect(saved.get_absolute_url())
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "meeting": meeting},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("meetings.create_meeting"):
        raise PermissionDenied
    return _save(request, None)


@require_http_methods(["GET", "POST"])
@with_meeting("meetings.run_meeting")
def meeting_edit(request: HttpRequest, meeting) -> HttpResponse:
    return _save(request, meeting)


urlpatterns = [
    path("nuevo/", meeting_create, name="meeting_create"),
    path("<int:pk>/editar/", meeting_edit, name="meeting_edit"),
]
