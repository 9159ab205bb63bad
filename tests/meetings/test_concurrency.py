"""No overbooking when many ask for the last places at once: parallel requests,
each thread with its own database connection. Only PostgreSQL has the row locks
this is about (SQLite lets one writer at a time)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from polo.meetings.models import Registration
from tests import factories as f
from tests.conftest import client_for
from tests.meetings.factories import MeetingFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (TEST_DATABASE_URL)"
    ),
]

PEOPLE = 12
CAPACITY = 5


def test_parallel_registrations_never_exceed_the_capacity(municipality):
    f.PrivacyNoticeFactory(version="concurrency", is_current=True)
    meeting = MeetingFactory(municipality=municipality, capacity=CAPACITY)
    users = [
        f.UserFactory(email=f"p{n}@ejemplo.mx", full_name=f"Persona {n}") for n in range(PEOPLE)
    ]
    url = reverse("meetings:register", args=[meeting.pk])
    start = threading.Barrier(PEOPLE)
    statuses: list[int] = []

    def register(user):
        client = client_for(user)
        start.wait()
        try:
            response = client.post(
                url,
                {
                    "full_name": user.full_name,
                    "sex": "man",
                    "age_band": "18-29",
                    "sector": "student",
                    "consent": "on",
                },
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=[u]) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * PEOPLE
    confirmed = Registration.objects.filter(meeting=meeting, status="confirmed").count()
    waiting = Registration.objects.filter(meeting=meeting, status="waiting").count()
    assert (confirmed, waiting) == (CAPACITY, PEOPLE - CAPACITY)


def test_the_same_person_twice_at_once_is_registered_once(municipality):
    f.PrivacyNoticeFactory(version="concurrency", is_current=True)
    meeting = MeetingFactory(municipality=municipality, capacity=CAPACITY)
    user = f.UserFactory(email="doble@ejemplo.mx", full_name="Doble Vez")
    url = reverse("meetings:register", args=[meeting.pk])
    start = threading.Barrier(4)

    def register():
        client = client_for(user)
        start.wait()
        try:
            client.post(
                url,
                {
                    "full_name": "Doble Vez",
                    "sex": "man",
                    "age_band": "18-29",
                    "sector": "student",
                    "consent": "on",
                },
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Registration.objects.filter(meeting=meeting).count() == 1
