"""The public calendar and list (filters in the URL, no JavaScript needed), a
meeting's page, and the iCalendar feeds (all or filtered, and per meeting)."""

from __future__ import annotations

from itertools import groupby

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from polo.meetings import ical, sections, selectors
from polo.meetings.views.access import with_meeting

PAGE_SIZE = 30
FEED_LIMIT = 1000


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    filters = selectors.MeetingFilters.from_query(request.GET)
    meetings = selectors.public_meetings(filters)
    if not (filters.date_from or filters.date_to) and request.GET.get("past") != "1":
        meetings = meetings.filter(end__gte=timezone.now())
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    months = [
        (month, list(items))
        for month, items in groupby(
            page.object_list, key=lambda m: timezone.localtime(m.start).date().replace(day=1)
        )
    ]
    query = filters.as_query()
    feed_url = reverse("meetings:feed") + (f"?{urlencode(query)}" if query else "")
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filters": filters,
            "choices": selectors.filter_choices(),
            "page": page,
            "months": months,
            "feed_url": feed_url,
            "query": urlencode(query),
            "show_past": request.GET.get("past") == "1",
            "can_create": request.user.has_perm("meetings.create_meeting"),
        },
    )


@require_safe
def feed(request: HttpRequest) -> HttpResponse:
    filters = selectors.MeetingFilters.from_query(request.GET)
    if filters.errors:
        return HttpResponse(
            "\n".join(filters.errors), status=400, content_type="text/plain; charset=utf-8"
        )
    meetings = selectors.public_meetings(filters).order_by("-start")[:FEED_LIMIT]
    response = HttpResponse(
        ical.calendar_for(meetings), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="encuentros.ics"'
    return response


@require_safe
@with_meeting()
def meeting_detail(request: HttpRequest, meeting) -> HttpResponse:
    user = request.user
    runs = user.has_perm("meetings.run_meeting", meeting)
    own = None
    if user.is_authenticated:
        own = meeting.registrations.filter(person__user=user).exclude(status="cancelled").first()
    context = {
        "meeting": meeting,
        "agenda": meeting.agenda.all(),
        "organizers": meeting.organizers.all(),
        "themes": meeting.themes.all(),
        "agreements": meeting.agreements.select_related("commitment__agreement"),
        "files": meeting.files.all(),
        "counts": selectors.meeting_counts(meeting),
        "runs": runs,
        "own": own,
        "evaluation": selectors.meeting_evaluation(meeting) if runs else None,
        "extra_sections": sections.render_sections(request, meeting),
    }
    return render(request, "meetings/meeting_detail.html", context)


@require_safe
@with_meeting()
def meeting_ics(request: HttpRequest, meeting) -> HttpResponse:
    response = HttpResponse(
        ical.calendar_for([meeting], name=meeting.title),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="encuentro-{meeting.pk}.ics"'
    return response


urlpatterns = [
    path("", index, name="index"),
    path("calendario.ics", feed, name="feed"),
    path("<int:pk>/", meeting_detail, name="meeting"),
    path("<int:pk>/encuentro.ics", meeting_ics, name="meeting_ics"),
]
