"""An adapted instrument is a new version; assessments keep the version they
answered, even when the new one removes an item they answered."""

from __future__ import annotations

import io

import pytest

from polo.assessments import services
from polo.assessments.models import AreaScore
from polo.surveys.workbooks import xlsform_bytes
from tests.assessments.helpers import completed, mini_sheets, url


def upload_without_gob_2(client):
    handle = io.BytesIO(xlsform_bytes(mini_sheets(version="2", without=("gob_2",))))
    handle.name = "manual-v2.xlsx"
    return client.post(url("instrument"), {"file": handle}, follow=True)


@pytest.fixture
def version_two(done, as_coordinator):
    page = upload_without_gob_2(as_coordinator)
    assert page.status_code == 200
    return page


def test_the_upload_warns_that_an_answered_item_is_gone(version_two):
    text = version_two.content.decode()
    assert "Se guardó la versión 2" in text
    assert "Esta versión ya no tiene: Reglas internas (gob_2)" in text
    assert "Los 1 autodiagnósticos hechos con versiones anteriores conservan su versión" in text


def test_an_old_assessment_keeps_its_version_its_item_and_its_scores(done, version_two, as_editor):
    done.refresh_from_db()
    assert done.response.form_version.number == 1
    page = as_editor.get(url("profile", done.pk)).content.decode()
    assert "Reglas internas" in page
    assert dict(AreaScore.objects.filter(assessment=done).values_list("area", "score")) == {
        "gobernanza": pytest.approx(3.0),
        "incidencia": pytest.approx(2.75),
    }
    data = as_editor.get(url("profile_json", done.pk)).json()
    items = [item["item"] for area in data["areas"] for item in area["items"]]
    assert "gob_2" in items


def test_a_new_assessment_answers_the_new_version_and_compares_by_area(
    done, version_two, organization, editor, as_editor
):
    again = completed(organization, editor, {"gob_1": "2", "inc_1": "2", "inc_2": "2"})
    assert again.response.form_version.number == 2
    assert "gob_2" not in again.response.data
    assert again.previous == done
    scores = dict(AreaScore.objects.filter(assessment=again).values_list("area", "score"))
    assert scores == {"gobernanza": pytest.approx(2.0), "incidencia": pytest.approx(2.0)}
    page = as_editor.get(url("profile", again.pk)).content.decode()
    assert "Reglas internas" not in page
    assert "baja 1.0" in page  # gobernanza 3.0 → 2.0
    assert "baja 0.8" in page  # incidencia 2.75 → 2.0


def test_an_assessment_in_progress_keeps_the_version_it_started_on(
    instrument, organization, editor, as_coordinator
):
    ongoing = services.assessment_start(organization=organization, by=editor)
    upload_without_gob_2(as_coordinator)
    ongoing.refresh_from_db()
    assert ongoing.response.form_version.number == 1
    from tests.assessments.helpers import set_levels

    set_levels(ongoing, {"gob_1": "3", "gob_2": "3", "inc_1": "3", "inc_2": "3"}, editor)
    finished = services.assessment_complete(assessment=ongoing, by=editor)
    assert finished.done
    assert finished.assessment.overall_score == pytest.approx(3.0)
