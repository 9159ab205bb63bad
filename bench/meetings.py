"""Meetings (issue 6) in figures, beside the bar:

- Check-in: marking attendance for one of 500 registrations (the POST of the
  check-in list, through Django's test client as the demo facilitator), median
  server time; bar 50 ms. Each request marks a different registration, so every
  one is a real write.
- The participation summary (/encuentros/cifras/) over 5,000 meetings and
  200,000 attendances, unfiltered and filtered by region; bar 1 s.

The data is generated here (deterministic), loaded with bulk_create, at the
programme scale only. Figures, not assertions: a missed bar prints MISS.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time

from bench.harness import Context, Page, Section, table

CHECKIN_BAR_MS = 50
SUMMARY_BAR_MS = 1000
REGISTRATIONS = 500
MEETINGS = 5_000
ATTENDANCES = 200_000
PEOPLE = 60_000
SEED = 2017
FACILITATOR = "facilitador@polo.demo"


def sections(ctx: Context) -> list[Section]:
    if ctx.scale != "programme":
        return []
    meetings = 500 if ctx.quick else MEETINGS
    attendances = 20_000 if ctx.quick else ATTENDANCES
    people = 6_000 if ctx.quick else PEOPLE
    started = time.perf_counter()
    region_slug, meeting_pk, registration_pks = _checkin_meeting()
    _bulk(meetings, attendances, people)
    load_s = time.perf_counter() - started
    print(
        f"  meetings: loaded {meetings:,} meetings, {attendances:,} attendances in {load_s:.1f} s",
        flush=True,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    checkin_ms, checkin_queries = _time_checkin(
        meeting_pk, registration_pks, requests=20 if ctx.quick else 100
    )
    summary = ctx.measure_page(Page("Encuentros: cifras de participación", "/encuentros/cifras/"))
    by_region = ctx.measure_page(
        Page("Encuentros: cifras, una región", f"/encuentros/cifras/?region={region_slug}")
    )
    checkin_page = ctx.measure_page(
        Page(
            "Encuentros: lista de asistencia (500)",
            f"/encuentros/{meeting_pk}/asistencia/",
            user=FACILITATOR,
        )
    )
    calendar = ctx.measure_page(Page("Encuentros: calendario", "/encuentros/?past=1"))
    extra = [checkin_page, calendar]
    if _api_mounted():
        extra.append(ctx.measure_page(Page("API: encuentros", "/api/v1/meetings")))

    def verdict(value: float, bar: float) -> str:
        return f"≤ {bar:.0f} ms: {'PASS' if value <= bar else 'MISS'}"

    rows = [
        [
            "check-in POST (one of 500)",
            f"{statistics.median(checkin_ms):.1f}",
            f"{_p95(checkin_ms):.1f}",
            str(checkin_queries),
            verdict(statistics.median(checkin_ms), CHECKIN_BAR_MS),
        ],
    ]
    for result, bar in ((summary, SUMMARY_BAR_MS), (by_region, SUMMARY_BAR_MS)):
        stats = result.stats()
        rows.append(
            [
                result.name,
                f"{stats['median']:.1f}",
                f"{stats['p95']:.1f}",
                str(result.queries),
                verdict(stats["median"], bar),
            ]
        )
    for result in extra:
        stats = result.stats()
        rows.append(
            [result.name, f"{stats['median']:.1f}", f"{stats['p95']:.1f}", str(result.queries), "—"]
        )
    text = "\n".join(
        [
            f"{meetings:,} meetings, {attendances:,} attendances by {people:,} people, "
            f"loaded in {load_s:.1f} s.",
            "",
            table(
                ["what", "median ms", "p95 ms", "queries", "bar"],
                rows,
                "Server time, Django test client in process.",
            ),
        ]
    )
    data = {
        "checkin_median_ms": statistics.median(checkin_ms),
        "summary_median_ms": summary.stats()["median"],
        "summary_region_median_ms": by_region.stats()["median"],
        "meetings": meetings,
        "attendances": attendances,
    }
    return [Section("Encuentros (issue 6)", text, data)]


def _api_mounted() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("api:meeting_list")
    except NoReverseMatch:
        return False
    return True


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _checkin_meeting() -> tuple[str, int, list[int]]:
    """A meeting in the demo facilitator's region with 500 registrations."""
    from django.utils import timezone

    from polo.accounts.models import PrivacyNotice, User
    from polo.meetings.models import Meeting, Person, Registration, normalise_name
    from polo.territory.models import Municipality

    facilitator = User.objects.get(email=FACILITATOR)
    region = facilitator.regions.order_by("pk").first()
    municipality = Municipality.objects.filter(region=region).order_by("code").first()
    notice = PrivacyNotice.current()
    start = timezone.now() + datetime.timedelta(hours=1)
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.FORUM,
        title="Foro de la medición de asistencia",
        start=start,
        end=start + datetime.timedelta(hours=4),
        municipality=municipality,
        status=Meeting.Status.PUBLISHED,
    )
    rng = random.Random(SEED)
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"Persona {i}",
                name_key=normalise_name(f"Persona {i}"),
                sex=rng.choice(["woman", "man"]),
                age_band="30-44",
                sector="community",
                municipality=municipality,
            )
            for i in range(REGISTRATIONS)
        ]
    )
    registrations = Registration.objects.bulk_create(
        [Registration(meeting=meeting, person=p, privacy_notice=notice) for p in people]
    )
    return region.slug, meeting.pk, [r.pk for r in registrations]


def _time_checkin(
    meeting_pk: int, registration_pks: list[int], *, requests: int
) -> tuple[list[float], int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from polo.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=FACILITATOR))
    times = []
    for i, pk in enumerate(registration_pks[: requests + 5]):
        url = f"/encuentros/{meeting_pk}/asistencia/{pk}/"
        started = time.perf_counter()
        response = client.post(url, HTTP_HX_REQUEST="true")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        if i >= 5:  # warm-up
            times.append(elapsed)
    with CaptureQueriesContext(connection) as queries:
        client.post(
            f"/encuentros/{meeting_pk}/asistencia/{registration_pks[-1]}/", HTTP_HX_REQUEST="true"
        )
    return times, len(queries)


def _bulk(meetings: int, attendances: int, people_count: int) -> None:
    from django.utils import timezone

    from polo.accounts.models import PrivacyNotice
    from polo.directory.models import Organization, Theme
    from polo.meetings.models import AgeBand, Meeting, Person, Registration, Sector, Sex
    from polo.territory.models import Municipality

    rng = random.Random(SEED)
    notice = PrivacyNotice.current()
    municipalities = list(
        Municipality.objects.filter(region__isnull=False).values_list("pk", flat=True)
    )
    organizations = list(Organization.objects.values_list("pk", flat=True)[:2000]) or [None]
    themes = list(Theme.objects.values_list("pk", flat=True))
    now = timezone.now()
    rows = []
    for i in range(meetings):
        start = now - datetime.timedelta(days=rng.randint(1, 1000), hours=rng.randint(0, 12))
        rows.append(
            Meeting(
                kind=rng.choice(Meeting.Kind.values),
                title=f"Encuentro de medición {i}",
                start=start,
                end=start + datetime.timedelta(hours=3),
                municipality_id=rng.choice(municipalities),
                status=Meeting.Status.PUBLISHED,
            )
        )
    created = Meeting.objects.bulk_create(rows, batch_size=2000)
    if themes:
        through = Meeting.themes.through
        through.objects.bulk_create(
            [through(meeting_id=m.pk, theme_id=rng.choice(themes)) for m in created],
            batch_size=5000,
        )
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"Participante {i}",
                name_key=f"participante {i}",
                sex=rng.choice(Sex.values),
                age_band=rng.choice(AgeBand.values),
                sector=rng.choice(Sector.values),
                municipality_id=rng.choice(municipalities),
                organization_id=rng.choice(organizations) if rng.random() < 0.3 else None,
                indigenous=rng.choice([True, False, None]),
            )
            for i in range(people_count)
        ],
        batch_size=5000,
    )
    per_meeting = max(1, attendances // len(created))
    batch: list[Registration] = []
    for meeting in created:
        for person in rng.sample(people, per_meeting):
            batch.append(
                Registration(
                    meeting_id=meeting.pk,
                    person_id=person.pk,
                    privacy_notice=notice,
                    attended_at=meeting.start,
                )
            )
        if len(batch) >= 10_000:
            Registration.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Registration.objects.bulk_create(batch, batch_size=5000)
