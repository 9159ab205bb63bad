"""The public side: the list's search and filters in a fixed number of queries
and within the page budget, a practice's page (contact data private unless
marked public, hostile text escaped), the API, and the practices shown on the
organisation's profile and on the meeting's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.core.budget import weigh_page
from polo.practices.models import GoodPractice
from tests import factories as f
from tests.meetings.factories import MeetingFactory
from tests.practices.conftest import make_practice

pytestmark = pytest.mark.django_db

INDEX = "/buenas-practicas/"


@pytest.fixture
def many(organization, municipality, other_municipality, theme):
    """Twenty-five published practices in the Valles (one a collective's in La
    Montaña), and one in review."""
    collective = f.OrganizationFactory(
        name="Colectivo de la Montaña", kind="collective", municipality=other_municipality
    )
    for n in range(24):
        make_practice(organization, municipality, title=f"Práctica de los Valles {n}")
    mountain = make_practice(
        collective,
        other_municipality,
        title="Radio comunitaria en Malinaltepec",
        problem="Los caminos eran inseguros para las niñas.",
        actions="Avisos diarios en me'phaa.",
    )
    mountain.themes.add(theme)
    make_practice(organization, municipality, title="Práctica en revisión", status="pending")


def titles(response) -> str:
    return response.content.decode()


def test_the_list_searches_and_filters_in_a_fixed_number_of_queries(
    as_visitor, many, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        first = as_visitor.get(INDEX)
    html = titles(first)
    assert "26 buenas prácticas" not in html and "25 buenas prácticas" in html
    assert "Práctica en revisión" not in html
    assert "Página 1 de 2" in html
    with django_assert_max_num_queries(8):
        as_visitor.get(INDEX, {"page": "2", "region": "valles-centrales"})

    # Text: accents and word forms forgiven, on the problem or what was done.
    for query in ("niña", "NINAS caminos", "phaa"):
        found = titles(as_visitor.get(INDEX, {"q": query}))
        assert "Radio comunitaria en Malinaltepec" in found and "1 buena práctica" in found
    assert "0 buenas prácticas" in titles(as_visitor.get(INDEX, {"q": "inexistente"}))

    # Region, state, theme, organisation kind, organisation.
    def count(**query):
        response = as_visitor.get(INDEX, query)
        assert response.status_code == 200
        return response.context["page"].paginator.count

    assert count(region="montana") == 1
    assert count(state="12") == 1 and count(state="20") == 24
    assert count(theme="agua") == 1
    assert count(kind="collective") == 1 and count(kind="cso") == 24
    assert count(region="montana", kind="cso") == 0
    collective = GoodPractice.objects.get(title__startswith="Radio").organization
    assert count(organizacion=str(collective.pk)) == 1

    # Bad filters: said clearly, not a 500.
    bad = as_visitor.get(INDEX, {"kind": "<script>", "organizacion": "x'; --"})
    assert bad.status_code == 400
    assert "&lt;script&gt;" in titles(bad) and "<script>" not in titles(bad).split("<main")[1]
    assert as_visitor.get(INDEX, {"page": "999999999999"}).status_code == 200


def test_the_pages_stay_within_the_budget(as_visitor, many, practice):
    for path in (INDEX, practice.get_absolute_url()):
        assert weigh_page(as_visitor.get(path).content).problems() == [], path


def test_contact_data_is_private_unless_marked_public(
    as_visitor, as_participant, as_other_facilitator, as_editor, as_facilitator, practice
):
    for client in (as_visitor, as_participant, as_other_facilitator):
        html = titles(client.get(practice.get_absolute_url()))
        assert "Lucía Ramírez" in html  # its name was marked public
        assert "lucia.privada@ejemplo.mx" not in html and "951 000 1111" not in html
    for client in (as_editor, as_facilitator):
        html = titles(client.get(practice.get_absolute_url()))
        assert "lucia.privada@ejemplo.mx" in html and "951 000 1111" in html
        assert "privado" in html
    practice.contact_email_public = True
    practice.save()
    assert "lucia.privada@ejemplo.mx" in titles(as_visitor.get(practice.get_absolute_url()))


def test_hostile_text_is_shown_as_text(as_visitor, organization, municipality):
    hostile = make_practice(
        organization,
        municipality,
        title='<script>alert("x")</script> Comités',
        problem='<img src=x onerror="alert(1)">',
    )
    html = titles(as_visitor.get(hostile.get_absolute_url()))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html and "&lt;img src=x" in html
    assert "<script>alert" not in titles(as_visitor.get(INDEX))


def test_the_api_lists_published_practices_without_private_contact(as_visitor, many, practice):
    response = as_visitor.get("/api/v1/practices", {"page_size": 100})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 26
    item = next(i for i in data["items"] if i["id"] == practice.pk)
    assert item["contact"] == {"name": "Lucía Ramírez"}
    assert "lucia.privada" not in response.content.decode()
    assert "951 000 1111" not in response.content.decode()
    assert item["themes"] == ["agua"] and item["region"] == "valles-centrales"
    assert item["municipality"] == "20067" and item["state"] == "20"
    assert "Práctica en revisión" not in response.content.decode()
    assert as_visitor.get("/api/v1/practices", {"region": "montana"}).json()["count"] == 1
    assert as_visitor.get("/api/v1/practices", {"kind": "nope"}).status_code == 400
    assert "practices" in as_visitor.get("/api/v1/").json()


def test_the_profile_and_the_meeting_page_show_the_practices(
    as_visitor, as_editor, organization, municipality, practice, draft
):
    meeting = MeetingFactory(municipality=municipality)
    meeting.organizers.add(organization)
    practice.meetings.add(meeting)
    draft.meetings.add(meeting)

    profile = titles(as_visitor.get(organization.get_absolute_url()))
    assert 'id="buenas-practicas"' in profile
    assert practice.get_absolute_url() in profile and draft.get_absolute_url() not in profile

    page = titles(as_visitor.get(meeting.get_absolute_url()))
    assert "Buenas prácticas presentadas" in page
    assert practice.get_absolute_url() in page and draft.get_absolute_url() not in page
    manage = reverse("practices:meeting_practices", args=[meeting.pk])
    assert manage not in page
    assert manage in titles(as_editor.get(meeting.get_absolute_url()))

    detail = titles(as_visitor.get(practice.get_absolute_url()))
    assert meeting.get_absolute_url() in detail

    # An organisation without practices shows no section.
    other = f.OrganizationFactory(municipality=municipality)
    assert 'id="buenas-practicas"' not in titles(as_visitor.get(other.get_absolute_url()))


def test_evidence_links_are_marked_as_user_content(as_editor, as_facilitator, as_visitor, practice):
    practice.evidence.create(kind="link", title="Nota de prensa", url="https://ejemplo.mx/nota")
    marked = 'href="https://ejemplo.mx/nota" rel="nofollow ugc noopener"'
    assert marked in as_visitor.get(practice.get_absolute_url()).content.decode()
    evidence = reverse("practices:practice_evidence", args=[practice.slug])
    assert marked in as_editor.get(evidence).content.decode()
    practice.status = GoodPractice.Status.PENDING
    practice.save()
    review = reverse("practices:practice_review", args=[practice.slug])
    assert marked in as_facilitator.get(review).content.decode()
