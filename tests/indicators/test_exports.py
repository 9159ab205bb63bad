"""Indicator tables as CSV and XLSX: the public's downloads carry no suppressed
figure, a coordinator's carry them marked; labels that a spreadsheet would
run are defused."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from polo.indicators import services
from tests.indicators.conftest import survey_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(dataset):
    indicator = survey_indicator(dataset, min_cell=3, is_published=True)
    services.indicator_refresh(indicator)
    return indicator


def read_csv(client, indicator) -> list[dict]:
    response = client.get(reverse("indicators:export", args=[indicator.slug, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="indicador-{indicator.slug}.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def by(rows, round_name, group):
    return next(r for r in rows if r["Ronda"] == round_name and r["Grupo"] == group)


def test_the_public_csv_has_every_cell_and_no_hidden_figure(as_visitor, published):
    rows = read_csv(as_visitor, published)
    # Baseline: total, 2 regions, 3 municipalities; midline: total, 2 regions, 2 municipalities.
    assert len(rows) == 11
    total = by(rows, "Línea base", "Total")
    assert total["Valor"] == "55.555556"
    assert (total["Numerador"], total["Denominador"], total["Respuestas"]) == ("5", "9", "9")
    hidden = by(rows, "Línea base", "Santa Lucía del Camino")
    assert hidden["Valor"] == hidden["Respuestas"] == hidden["Numerador"] == ""
    assert hidden["Nota"] == "Menos de 3 respuestas: no se publica."
    complementary = by(rows, "Línea base", "Oaxaca de Juárez")
    assert complementary["Valor"] == ""
    assert complementary["Región"] == "Valles Centrales"
    assert "deducirse" in complementary["Nota"]


def test_a_coordinator_csv_has_the_exact_figures_marked(as_coordinator, published):
    rows = read_csv(as_coordinator, published)
    hidden = by(rows, "Línea base", "Santa Lucía del Camino")
    assert (hidden["Valor"], hidden["Respuestas"]) == ("50.0", "2")
    assert hidden["Nota"] == "Cifra exacta con pocas respuestas: no publicar."


def test_the_xlsx_has_the_same_rows_as_numbers(as_visitor, published):
    from openpyxl import load_workbook

    response = as_visitor.get(reverse("indicators:export", args=[published.slug, "xlsx"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    data = workbook["Datos"]
    rows = list(data.iter_rows(values_only=True))
    assert rows[0][:3] == ("Indicador", "Ronda", "Desagregación")
    assert len(rows) == 12
    total = next(r for r in rows if r[1] == "Línea base" and r[4] == "Total")
    assert total[6] == 9 and abs(total[7] - 55.555556) < 1e-6
    hidden = next(r for r in rows if r[4] == "Santa Lucía del Camino" and r[1] == "Línea base")
    assert hidden[6] is None and hidden[7] is None
    about = dict(workbook["Indicador"].iter_rows(values_only=True))
    assert about["Indicador"] == published.name
    assert "3 respuestas" in about["Protección de cifras pequeñas"]


def test_labels_that_look_like_formulas_are_defused(as_visitor, dataset):
    indicator = survey_indicator(
        dataset, name='=HYPERLINK("http://malo.example","clic")', is_published=True
    )
    services.indicator_refresh(indicator)
    rows = read_csv(as_visitor, indicator)
    assert rows[0]["Indicador"].startswith("'=HYPERLINK")

    from openpyxl import load_workbook

    response = as_visitor.get(reverse("indicators:export", args=[indicator.slug, "xlsx"]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = workbook["Datos"]["A2"]
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")  # kept as text, never run
