"""The meeting's side of "where it was presented": those who run a meeting
(its organisers, the facilitators of its region, coordinators) add the
published practices presented there, found by a search, or take them off."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from polo.meetings.views.access import with_meeting
from polo.practices import services
from polo.practices.forms import PracticeSearchForm
from polo.practices.models import GoodPractice

PICKER_LIMIT = 10


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@with_meeting("meetings.run_meeting")
def meeting_practices(request: HttpRequest, meeting) -> HttpResponse:
    if request.method == "POST":
        raw = request.POST.get("practice", "")
        practice = get_object_or_404(
            GoodPractice.objects.published()
            if request.POST.get("action") == "add"
            else meeting.practices.all(),
            pk=int(raw) if raw.isdigit() and len(raw) < 10 else 0,
        )
        presented = request.POST.get("action") == "add"
        services.meeting_link_practice(
            meeting=meeting, practice=practice, by=request.user, presented=presented
        )
        messages.success(
            request, _("Práctica añadida al encuentro.") if presented else _("Práctica quitada.")
        )
        return redirect("practices:meeting_practices", meeting.pk)
    linked = list(meeting.practices.select_related("organization").order_by("title"))
    search = PracticeSearchForm(request.GET or None)
    found: list[GoodPractice] = []
    if search.is_valid() and search.cleaned_data["buscar"]:
        found = list(
            GoodPractice.objects.published()
            .matching(search.cleaned_data["buscar"])
            .exclude(pk__in=[p.pk for p in linked])
            .select_related("organization")
            .order_by("title")[:PICKER_LIMIT]
        )
    return render(
        request,
        "practices/meeting_practices.html",
        {"meeting": meeting, "linked": linked, "search": search, "found": found},
    )


urlpatterns = [
    path("encuentro/<int:pk>/", meeting_practices, name="meeting_practices"),
]
