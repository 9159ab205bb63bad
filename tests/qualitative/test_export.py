"""Exports of codings for staff: one row per code of a passage, CSV and XLSX,
only what the person may see, formulas neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.qualitative.factories import (
    code_passage,
    open_response,
    open_round,
    passage_of_answer,
)

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_csv_has_a_row_per_code_of_each_passage(
    as_coordinator, session, region, municipality, health, water
):
    code_passage(session, [health, water], passage="pozo")
    passage_of_answer(
        open_response(open_round(region), municipality, problems="Falta agua."), [water]
    )

    response = as_coordinator.get(reverse("qualitative:export", args=["csv"]))

    rows = csv_rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert rows[0][:3] == ["fuente", "id_fuente", "sesión o pregunta"]
    body = rows[1:]
    assert len(body) == 3
    by_code = sorted((row[0], row[9], row[11]) for row in body)
    assert by_code == [
        ("grupo focal", "agua", "pozo"),
        ("grupo focal", "salud", "pozo"),
        ("respuesta", "agua", "Falta agua."),
    ]
    assert {row[5] for row in body} == {"Valles Centrales"}
    assert {row[6] for row in body} == {municipality.code}


def test_a_facilitator_exports_only_their_regions(as_facilitator, session, other_session, health):
    code_passage(session, [health], passage="pozo")
    code_passage(other_session, [health], passage="centro de salud")

    rows = csv_rows(as_facilitator.get(reverse("qualitative:export", args=["csv"])))

    assert [row[11] for row in rows[1:]] == ["pozo"]


def test_the_export_follows_the_list_filters(as_coordinator, session, health, water):
    code_passage(session, [health], passage="pozo")
    code_passage(session, [water], passage="pipas")

    rows = csv_rows(as_coordinator.get(reverse("qualitative:export", args=["csv"]) + "?tema=agua"))

    assert [row[11] for row in rows[1:]] == ["pipas"]


def test_a_passage_that_starts_like_a_formula_is_neutralised(as_coordinator, municipality, health):
    from tests.qualitative.factories import FocusGroupFactory

    session = FocusGroupFactory(
        municipality=municipality, title='=HYPERLINK("http://x")', notes="=1+1 dijo alguien"
    )
    code_passage(session, [health])

    csv_body = csv_rows(as_coordinator.get(reverse("qualitative:export", args=["csv"])))[1]
    xlsx = as_coordinator.get(reverse("qualitative:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    xlsx_body = [cell.value for cell in next(sheet.iter_rows(min_row=2))]

    assert csv_body[2] == '\'=HYPERLINK("http://x")'
    assert csv_body[11] == "'=1+1 dijo alguien"
    assert xlsx_body[11] == "'=1+1 dijo alguien"


def test_the_xlsx_has_the_same_rows(as_coordinator, session, health, water):
    code_passage(session, [health, water], passage="pozo")

    response = as_coordinator.get(reverse("qualitative:export", args=["xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "fuente"
    assert sorted(row[9] for row in rows[1:]) == ["agua", "salud"]


def test_an_unknown_format_is_not_found(as_coordinator):
    response = as_coordinator.get(reverse("qualitative:export", args=["pdf"]))

    assert response.status_code == 404
