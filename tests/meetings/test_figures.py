"""The participation summary on known data, counted by hand; its exports; the
lists behind the figures, by role; the API's public list."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from polo.directory.models import Theme
from tests.meetings.factories import MeetingFactory, PersonFactory, RegistrationFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(municipality, other_municipality, organization):
    water = Theme.objects.create(slug="agua", name="Agua")
    a = MeetingFactory(
        title="Foro del agua", kind="forum", municipality=municipality, start=in_days(-30)
    )
    a.themes.add(water)
    b = MeetingFactory(
        title="Taller en la Montaña",
        kind="workshop",
        municipality=other_municipality,
        start=in_days(-20),
    )
    draft = MeetingFactory(status="draft", municipality=municipality, start=in_days(-5))
    MeetingFactory(municipality=municipality, start=in_days(30))  # not held yet
    p1 = PersonFactory(
        full_name="Uno",
        sex="woman",
        age_band="18-29",
        sector="cso",
        indigenous=True,
        organization=organization,
    )
    p2 = PersonFactory(
        full_name="Dos",
        sex="man",
        age_band="30-44",
        sector="community",
        indigenous=False,
        organization_name="Colectivo X",
    )
    p3 = PersonFactory(full_name="Tres", sex="woman")
    p4 = PersonFactory(
        full_name="Cuatro", sex="woman", age_band="60+", sector="local_authority", indigenous=None
    )
    p5 = PersonFactory(full_name="Cinco", sex="man")
    now = timezone.now()
    RegistrationFactory(meeting=a, person=p1, attended_at=now)
    RegistrationFactory(meeting=a, person=p2, attended_at=now)
    RegistrationFactory(meeting=a, person=p3)  # registered, did not come
    RegistrationFactory(meeting=b, person=p1, attended_at=now)
    RegistrationFactory(meeting=b, person=p4, attended_at=now)
    RegistrationFactory(meeting=draft, person=p5, attended_at=now)
    return {"a": a, "b": b}


def figure(html: str, key: str) -> str:
    marker = f'data-figure="{key}">'
    rest = html.split(marker, 1)[1]
    return (
        rest.split("</td>", 1)[0].split(">")[-1]
        if "<a" in rest.split("</td>", 1)[0]
        else rest.split("<", 1)[0]
    )


def stat(html: str, ident: str) -> str:
    rest = html.split(f'id="{ident}">', 1)[1]
    cell = rest.split("</dd>", 1)[0]
    return cell.split(">")[-2].split("<")[0] if "<a" in cell else cell


def test_the_summary_counts_attendances_and_unique_people(as_visitor, world):
    html = as_visitor.get(reverse("meetings:figures")).content.decode()
    assert stat(html, "cifra-encuentros") == "2"
    assert stat(html, "cifra-asistencias") == "4"
    assert stat(html, "cifra-personas") == "3"
    assert stat(html, "cifra-organizaciones") == "2"
    assert figure(html, "sex-woman") == "2"
    assert figure(html, "sex-man") == "1"
    assert figure(html, "age_band-60+") == "1"
    assert figure(html, "sector-community") == "1"
    assert figure(html, "indigenous-yes") == "1"
    assert figure(html, "indigenous-unknown") == "1"
    assert "Uno" not in html  # counts only


def test_the_summary_filters_by_region_kind_and_theme(as_visitor, world):
    url = reverse("meetings:figures")
    html = as_visitor.get(url, {"region": "valles-centrales"}).content.decode()
    assert (
        stat(html, "cifra-encuentros"),
        stat(html, "cifra-asistencias"),
        stat(html, "cifra-personas"),
    ) == ("1", "2", "2")
    html = as_visitor.get(url, {"kind": "workshop"}).content.decode()
    assert (stat(html, "cifra-asistencias"), figure(html, "sex-woman")) == ("2", "2")
    html = as_visitor.get(url, {"theme": "agua"}).content.decode()
    assert (stat(html, "cifra-encuentros"), stat(html, "cifra-asistencias")) == ("1", "2")


def test_the_summary_exports_as_csv_and_xlsx(as_visitor, world):
    response = as_visitor.get(reverse("meetings:figures_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Personas distintas", "", "3"] in rows
    assert ["Personas por sexo", "Mujer", "2"] in rows
    response = as_visitor.get(
        reverse("meetings:figures_export", args=["xlsx"]), {"region": "montana"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["Asistencias", None, 2] in values
    assert as_visitor.get(reverse("meetings:figures_export", args=["exe"])).status_code == 404


def test_each_figure_links_to_its_list_for_staff_of_the_region(
    as_facilitator, as_other_facilitator, as_coordinator, world
):
    url = reverse("meetings:figures_people")
    mine = as_facilitator.get(url).content.decode()
    assert "Uno" in mine and "Dos" in mine and "Cuatro" not in mine
    theirs = as_other_facilitator.get(url).content.decode()
    assert "Cuatro" in theirs and "Dos" not in theirs
    women = as_coordinator.get(url, {"dimension": "sex", "value": "woman"}).content.decode()
    assert "Uno" in women and "Cuatro" in women and "Dos" not in women
    assert "cifras/personas/" in as_coordinator.get(reverse("meetings:figures")).content.decode()


@pytest.fixture
def api_urls(settings):
    settings.ROOT_URLCONF = "tests.meetings.urls"


def test_the_api_lists_public_meetings_with_public_fields_only(
    api_urls, as_visitor, world, registration
):
    response = as_visitor.get("/api/v1/meetings")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4  # a, b, the future one, and the registration's meeting
    item = next(i for i in body["items"] if i["title"] == "Foro del agua")
    assert item["kind"] == "forum" and item["region"] == "valles-centrales"
    assert item["attended"] == 2 and item["registered"] == 3
    assert item["themes"] == ["agua"]
    text = response.content.decode()
    for private in ("Uno", "Juana", "full_name", "person", "email"):
        assert private not in text


def test_the_api_filters_and_refuses_bad_dates(api_urls, as_visitor, world):
    body = as_visitor.get("/api/v1/meetings", {"region": "montana"}).json()
    assert [i["title"] for i in body["items"]] == ["Taller en la Montaña"]
    response = as_visitor.get("/api/v1/meetings", {"date_from": "2026-02-30"})
    assert response.status_code == 400 and "no es válida" in response.json()["detail"]
