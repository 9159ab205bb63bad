"""iCalendar (.ics) for one meeting or a list of them (RFC 5545, via icalendar)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event, vGeo, vText

from polo.meetings.models import Meeting

PRODID = "-//Polo//Encuentros//ES"


def _uid(meeting: Meeting) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "polo.local"
    return f"encuentro-{meeting.pk}@{host}"


def _location(meeting: Meeting) -> str:
    parts = [meeting.address]
    if meeting.community_id:
        parts.append(meeting.community.name)
    if meeting.municipality_id:
        parts.append(str(meeting.municipality))
    if not any(parts) and meeting.online_url:
        parts.append(meeting.online_url)
    return ", ".join(p for p in parts if p)


def event_for(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", _uid(meeting))
    event.add("dtstamp", meeting.updated_at)
    event.add("dtstart", meeting.start)
    event.add("dtend", meeting.end)
    event.add("summary", meeting.title)
    description = meeting.description
    if meeting.online_url:
        description = f"{description}\n\n{meeting.online_url}".strip()
    if description:
        event.add("description", description)
    location = _location(meeting)
    if location:
        event["location"] = vText(location)
    if meeting.latitude is not None and meeting.longitude is not None:
        event["geo"] = vGeo((float(meeting.latitude), float(meeting.longitude)))
    event.add("url", settings.SITE_URL.rstrip("/") + meeting.get_absolute_url())
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    return event


def calendar_for(meetings: Iterable[Meeting], *, name: str = "Polo · Encuentros") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        calendar.add_component(event_for(meeting))
    return calendar.to_ical()
