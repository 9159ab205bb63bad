"""The public calendar, a meeting's page, and the iCalendar feeds, read back by icalendar."""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.meetings.factories import MeetingFactory, in_days

pytestmark = pytest.mark.django_db


def test_the_calendar_lists_public_meetings_and_announces_its_feed(as_visitor, meeting):
    MeetingFactory(title="Borrador secreto", status="draft", municipality=meeting.municipality)
    response = as_visitor.get(reverse("meetings:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert meeting.title in html
    assert "Borrador secreto" not in html
    assert '<link rel="alternate" type="text/calendar"' in html
    assert 'href="/encuentros/calendario.ics"' in html


def test_the_calendar_filters_by_region_kind_and_date_in_the_url(
    as_visitor, meeting, other_meeting
):
    url = reverse("meetings:index")
    html = as_visitor.get(url, {"region": "valles-centrales"}).content.decode()
    assert meeting.title in html and other_meeting.title not in html
    # The form shows the filter in use, labelled.
    assert '<label for="f-region">Región</label>' in html
    assert '<option value="valles-centrales" selected>' in html
    html = as_visitor.get(url, {"kind": "workshop"}).content.decode()
    assert meeting.title not in html
    assert '<option value="workshop" selected>' in html
    assert '<option value="valles-centrales" selected>' not in html
    day = meeting.start.date().isoformat()
    html = as_visitor.get(url, {"date_from": day, "date_to": day}).content.decode()
    assert meeting.title in html
    # The feed link carries the same filters.
    assert "calendario.ics?date_from=" in html


def test_a_malformed_date_is_said_and_not_a_crash(as_visitor, meeting):
    response = as_visitor.get(reverse("meetings:index"), {"date_from": "2026-13-45"})
    assert response.status_code == 200
    assert "no es válida" in response.content.decode()
    feed = as_visitor.get(reverse("meetings:feed"), {"date_to": "ayer"})
    assert feed.status_code == 400
    assert "no es válida" in feed.content.decode()


def test_the_feed_parses_back_with_every_public_meeting(as_visitor, meeting, other_meeting):
    MeetingFactory(title="Borrador", status="draft")
    response = as_visitor.get(reverse("meetings:feed"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {meeting.title, other_meeting.title}
    event = events[meeting.title]
    assert event.decoded("dtstart") == meeting.start
    assert event.decoded("dtend") == meeting.end
    assert "Oaxaca de Juárez" in str(event["location"])
    assert str(event["url"]).endswith(meeting.get_absolute_url())


def test_the_filtered_feed_has_only_the_filtered_meetings(as_visitor, meeting, other_meeting):
    response = as_visitor.get(reverse("meetings:feed"), {"region": "montana"})
    titles = [str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert titles == [other_meeting.title]


def test_a_meeting_has_its_own_ics(as_visitor, meeting):
    response = as_visitor.get(reverse("meetings:meeting_ics", args=[meeting.pk]))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1 and str(events[0]["summary"]) == meeting.title


def test_a_drafts_page_and_ics_are_not_found_for_the_public(
    as_visitor, as_participant, municipality
):
    draft = MeetingFactory(status="draft", municipality=municipality)
    for client in (as_visitor, as_participant):
        assert client.get(reverse("meetings:meeting", args=[draft.pk])).status_code == 404
        assert client.get(reverse("meetings:meeting_ics", args=[draft.pk])).status_code == 404


def test_hostile_text_is_escaped(as_visitor, municipality):
    hostile = MeetingFactory(
        title='<script>alert("x")</script>',
        description="<img src=x onerror=alert(1)>",
        municipality=municipality,
    )
    html = as_visitor.get(reverse("meetings:meeting", args=[hostile.pk])).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_public_pages_show_counts_not_names(as_visitor, registration):
    html = as_visitor.get(
        reverse("meetings:meeting", args=[registration.meeting.pk])
    ).content.decode()
    assert "Juana Gómez" not in html
    assert "1 inscritas" in html


def test_past_meetings_are_listed_on_request(as_visitor, past_meeting):
    url = reverse("meetings:index")
    assert past_meeting.title not in as_visitor.get(url).content.decode()
    assert past_meeting.title in as_visitor.get(url, {"past": "1"}).content.decode()


def test_the_list_does_a_fixed_number_of_queries(
    as_visitor, municipality, django_assert_max_num_queries
):
    for day in range(25):
        MeetingFactory(municipality=municipality, start=in_days(day + 1))
    with django_assert_max_num_queries(12):
        assert as_visitor.get(reverse("meetings:index")).status_code == 200
