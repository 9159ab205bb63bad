"""Focus-group sessions through their pages: create, edit, the participants'
table, hostile text, who may do what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.qualitative.models import FocusGroup
from tests import factories as f
from tests.qualitative.factories import NOTES, code_passage

pytestmark = pytest.mark.django_db

CREATE = reverse("qualitative:focus_group_create")


def session_data(municipality, **overrides) -> dict:
    data = {
        "title": "Grupo focal con mujeres de San Felipe",
        "held_on": "2026-10-20",
        "municipality": municipality.pk,
        "community": "",
        "round": "",
        "facilitator": "",
        "women_15_29": "3",
        "women_30_59": "5",
        "women_60": "2",
        "men_15_29": "1",
        "men_30_59": "0",
        "men_60": "",
        "other_15_29": "1",
        "other_30_59": "0",
        "other_60": "0",
        "notes": NOTES,
        "status": "complete",
    }
    data.update(overrides)
    return data


def test_a_facilitator_registers_a_session_in_their_region(
    as_facilitator, facilitator, municipality
):
    response = as_facilitator.post(CREATE, session_data(municipality, facilitator=facilitator.pk))

    session = FocusGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert session.created_by == facilitator
    assert session.facilitator == facilitator
    assert session.participant_total == 12  # the empty cell counts as none
    assert session.women_15_29 == 3 and session.men_60 == 0
    assert session.history.count() == 1


def test_the_form_offers_the_facilitator_themselves_and_only_their_municipalities(
    as_facilitator, facilitator, municipality, other_municipality
):
    page = as_facilitator.get(CREATE).content.decode()

    assert f'<option value="{municipality.pk}"' in page
    assert f'<option value="{other_municipality.pk}"' not in page
    assert f'<option value="{facilitator.pk}" selected' in page


def test_a_facilitator_cannot_register_a_session_in_another_region(
    as_facilitator, other_municipality
):
    response = as_facilitator.post(CREATE, session_data(other_municipality))

    assert response.status_code == 400
    assert not FocusGroup.objects.exists()


def test_a_coordinator_registers_sessions_anywhere(as_coordinator, other_municipality):
    response = as_coordinator.post(CREATE, session_data(other_municipality))

    assert response.status_code == 302
    assert FocusGroup.objects.get().municipality == other_municipality


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("women_15_29", "-1"),
        ("men_30_59", "501"),
        ("other_60", "tres"),
        ("women_60", "2.5"),
        ("men_15_29", "1e3"),
        ("women_30_59", "<script>alert(1)</script>"),
    ],
)
def test_it_refuses_a_participant_count_that_is_not_a_small_whole_number(
    as_facilitator, municipality, field, value
):
    response = as_facilitator.post(CREATE, session_data(municipality, **{field: value}))

    assert response.status_code == 400
    assert not FocusGroup.objects.exists()
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_it_refuses_a_community_of_another_municipality(
    as_coordinator, municipality, other_municipality
):
    elsewhere = f.CommunityFactory(municipality=other_municipality, is_key=True)

    response = as_coordinator.post(CREATE, session_data(municipality, community=elsewhere.pk))

    assert response.status_code == 400
    assert "no pertenece al municipio" in response.content.decode()
    assert not FocusGroup.objects.exists()


def test_it_refuses_a_facilitator_of_another_region(
    as_coordinator, municipality, other_facilitator
):
    response = as_coordinator.post(
        CREATE, session_data(municipality, facilitator=other_facilitator.pk)
    )

    assert response.status_code == 400
    assert "no facilita la región" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("held_on", "2999-01-01", "no puede ser futura"),
        ("held_on", "2010-01-01", "anterior al inicio"),
        ("held_on", "31/02/2026", "fecha válida"),
        ("title", "", "obligatorio"),
        ("title", "x" * 201, "200"),
        ("status", "published", "opción válida"),
    ],
)
def test_it_refuses_bad_values_with_a_message(as_facilitator, municipality, field, value, message):
    response = as_facilitator.post(CREATE, session_data(municipality, **{field: value}))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FocusGroup.objects.exists()


def test_hostile_text_is_cleaned_and_shown_escaped(as_facilitator, municipality):
    response = as_facilitator.post(
        CREATE,
        session_data(
            municipality,
            title="<img src=x onerror=alert(1)>\u202e Sesión\x00",
            notes="Primera línea\x00 con <b>negritas</b>\r\n\r\n\u200bSegunda",
        ),
    )

    session = FocusGroup.objects.get()
    assert response.status_code == 302
    assert "\x00" not in session.title and "\u202e" not in session.title
    assert session.notes == "Primera línea con <b>negritas</b>\n\nSegunda"
    page = as_facilitator.get(session.get_absolute_url()).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>negritas</b>" not in page


def test_editing_keeps_the_history_and_the_languages(as_facilitator, facilitator, session):
    from polo.directory.models import Language

    mixteco = Language.objects.get(code="mixteco")
    url = reverse("qualitative:focus_group_edit", args=[session.pk])
    data = session_data(
        session.municipality, title="Nuevo título", languages=[mixteco.pk], status="draft"
    )

    response = as_facilitator.post(url, data)

    session.refresh_from_db()
    assert response.status_code == 302
    assert session.title == "Nuevo título"
    assert list(session.languages.all()) == [mixteco]
    titles = set(session.history.values_list("title", flat=True))
    assert titles == {"Grupo focal en San Felipe", "Nuevo título"}


def test_the_session_page_shows_the_participants_table(as_facilitator, session):
    page = as_facilitator.get(session.get_absolute_url()).content.decode()

    assert "10 participantes por sexo y edad" in page
    assert "30 a 59 años" in page


def test_the_list_shows_only_sessions_of_the_facilitators_regions(
    as_facilitator, session, other_session
):
    page = as_facilitator.get(reverse("qualitative:focus_groups")).content.decode()

    assert session.title in page
    assert other_session.title not in page


def test_the_list_of_sessions_makes_a_fixed_number_of_queries(
    as_coordinator, municipality, health, django_assert_max_num_queries
):
    from tests.qualitative.factories import FocusGroupFactory

    url = reverse("qualitative:focus_groups")
    for _ in range(3):
        code_passage(FocusGroupFactory(municipality=municipality), [health])
    as_coordinator.get(url)
    with django_assert_max_num_queries(12) as few:
        as_coordinator.get(url)
    for _ in range(12):
        code_passage(FocusGroupFactory(municipality=municipality), [health])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = as_coordinator.get(url)
    assert response.content.decode().count("<tr>") == 16
