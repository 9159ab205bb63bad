"""Recording the consensus: levels on the scale only, and two people saving at
once lose nothing (the second is told and keeps what they chose)."""

from __future__ import annotations

import re

import pytest

from polo.assessments import services
from polo.assessments.models import Assessment
from tests.assessments.helpers import url
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def ongoing(instrument, organization, editor):
    return services.assessment_start(organization=organization, by=editor)


@pytest.fixture
def second_editor(organization):
    user = UserFactory(email="tesorera@ejemplo.mx", full_name="Inés Cruz")
    MembershipFactory(user=user, organization=organization, is_editor=True)
    return user


def page_fields(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'name="(_version(?:_respuesta)?|antes/[^"]+)" value="([^"]*)"', html))
    fields.update(re.findall(r'name="(nivel/[^"]+)" value="([^"]*)" checked', html))
    return fields


def post_levels(client, assessment, page_html, **levels):
    data = page_fields(page_html)
    data.update({f"nivel/{name}": value for name, value in levels.items()})
    data["_accion"] = "guardar"
    return client.post(url("consensus", assessment.pk), data)


def levels_of(assessment) -> dict[str, str]:
    assessment.refresh_from_db()
    data = assessment.response.data
    return {name: data.get(name, "") for name in ("gob_1", "gob_2", "inc_1", "inc_2")}


def test_the_editor_records_levels(ongoing, as_editor):
    page = as_editor.get(url("consensus", ongoing.pk)).content.decode()
    response = post_levels(as_editor, ongoing, page, gob_1="3", inc_2="4")
    assert response.status_code == 302
    assert levels_of(ongoing) == {"gob_1": "3", "gob_2": "", "inc_1": "", "inc_2": "4"}
    assert ongoing.version == 2


def test_a_level_can_be_cleared(ongoing, as_editor):
    post_levels(
        as_editor, ongoing, as_editor.get(url("consensus", ongoing.pk)).content.decode(), gob_1="3"
    )
    page = as_editor.get(url("consensus", ongoing.pk)).content.decode()
    post_levels(as_editor, ongoing, page, gob_1="")
    assert levels_of(ongoing)["gob_1"] == ""


@pytest.mark.parametrize("value", ["5", "0", "-1", "2.5", "tres", "1 2", "<script>"])
def test_a_level_off_the_scale_is_refused_and_nothing_is_saved(ongoing, as_editor, value):
    page = as_editor.get(url("consensus", ongoing.pk)).content.decode()
    response = post_levels(as_editor, ongoing, page, gob_1=value, gob_2="2")
    text = response.content.decode()
    assert response.status_code == 200
    assert "El nivel debe ser uno de 1, 2, 3, 4." in text
    assert "<script>" not in text.split("<main", 1)[1]
    assert levels_of(ongoing) == {"gob_1": "", "gob_2": "", "inc_1": "", "inc_2": ""}
    assert ongoing.version == 1


def test_an_answer_that_is_not_an_item_is_refused(ongoing, as_editor):
    page = as_editor.get(url("consensus", ongoing.pk)).content.decode()
    response = post_levels(as_editor, ongoing, page, ejercicio="4", gob_1="3")
    assert response.status_code == 200
    assert "no es un ítem de este autodiagnóstico" in response.content.decode()
    assert levels_of(ongoing)["gob_1"] == ""


def test_two_editors_at_once_the_second_is_told_and_nothing_is_lost(
    ongoing, as_editor, second_editor
):
    other = client_for(second_editor)
    mine = as_editor.get(url("consensus", ongoing.pk)).content.decode()
    theirs = other.get(url("consensus", ongoing.pk)).content.decode()
    assert post_levels(other, ongoing, theirs, gob_1="2", inc_1="2").status_code == 302
    late = post_levels(as_editor, ongoing, mine, gob_1="4", inc_2="3")
    text = late.content.decode()
    assert late.status_code == 409
    assert "Otra persona guardó el consenso" in text
    # Both changed gob_1: the page says so; only the late person changed inc_2.
    assert "La otra persona guardó: 2. Usted eligió: 4." in text
    assert text.count("La otra persona guardó") == 1
    # The first save stands, the late one changed nothing...
    assert levels_of(ongoing) == {"gob_1": "2", "gob_2": "", "inc_1": "2", "inc_2": ""}
    # ...and the page keeps what the second person chose and shows the rest as
    # saved now, ready to save again without undoing the first person's inc_1.
    again = page_fields(text)
    assert again["nivel/gob_1"] == "4" and again["nivel/inc_2"] == "3"
    assert again["nivel/inc_1"] == "2"
    assert post_levels(as_editor, ongoing, text).status_code == 302
    assert levels_of(ongoing) == {"gob_1": "4", "gob_2": "", "inc_1": "2", "inc_2": "3"}


def test_a_save_from_the_web_form_meanwhile_is_a_conflict_too(ongoing, as_editor):
    from tests.surveys.collect_helpers import post_section

    page = as_editor.get(url("consensus", ongoing.pk)).content.decode()
    post_section(as_editor, ongoing.response, 0, {"gob_1": "1"}, action="guardar")
    late = post_levels(as_editor, ongoing, page, gob_1="4")
    assert late.status_code == 409
    assert levels_of(ongoing)["gob_1"] == "1"


def test_the_service_refuses_a_stale_version(ongoing, editor):
    with pytest.raises(services.ConsensusConflict):
        services.consensus_save(
            assessment=ongoing,
            levels={"gob_1": "3"},
            expected_version=ongoing.version + 1,
            expected_response_version="",
            by=editor,
        )


def test_a_completed_assessment_has_no_consensus_to_change(done, as_editor):
    assert as_editor.get(url("consensus", done.pk)).status_code == 403
    response = as_editor.post(url("consensus", done.pk), {"nivel/gob_1": "1", "_version": "2"})
    assert response.status_code == 403
    assert Assessment.objects.get(pk=done.pk).response.data["gob_1"] == "4"
