"""Exports of the current search: CSV, XLSX and JSON (Open Referral HSDS 3.0)."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
from django.urls import reverse

from polo.directory.models import ContactPoint, Identifier, Organization, Theme
from tests import factories as f

PRIVATE = ["privado@ejemplo.mx", "951 000 0000", "Calle Secreta 1"]

# Every field the JSON may carry, as docs/directory-formats.md lists them.
HSDS_FIELDS = {
    "id",
    "name",
    "alternate_name",
    "description",
    "email",
    "website",
    "year_incorporated",
    "legal_status",
    "logo",
    "uri",
    "phones",
    "locations",
    "organization_identifiers",
    "x-polo",
}
X_POLO_FIELDS = {
    "id",
    "kind",
    "kind_label",
    "legal_form",
    "size_band",
    "description_en",
    "themes",
    "populations",
    "languages",
    "state",
    "region",
    "municipality",
    "community",
    "coverage",
    "contacts",
    "updated_at",
}


@pytest.fixture
def directory(organization, other_municipality):
    """Published organisations with public and private contacts, one draft,
    one in Guerrero, one with a natural person's RFC."""
    health = Theme.objects.get(slug="salud")
    organization.acronym = "MUVA"
    organization.rfc = "MUV120315AB1"
    organization.cluni = "MUV1203150901A"
    organization.founded_year = 2012
    organization.description = "Acompañamos a mujeres de los Valles Centrales."
    organization.save()
    organization.themes.add(health, Theme.objects.get(slug="genero-derechos-mujeres"))
    organization.refresh_search_fields()
    organization.save()
    for kind, value, public in [
        ("email", "contacto@muva.mx", True),
        ("website", "https://muva.mx", True),
        ("phone", "951 555 1234", True),
        ("email", PRIVATE[0], False),
        ("phone", PRIVATE[1], False),
        ("address", PRIVATE[2], False),
    ]:
        ContactPoint.objects.create(
            organization=organization, kind=kind, value=value, is_public=public
        )
    Identifier.objects.create(organization=organization, scheme="Donataria", value="DA-77")
    person = f.OrganizationFactory(
        name="Colectivo de Don Pedro",
        municipality=organization.municipality,
        kind=Organization.Kind.COLLECTIVE,
        rfc="PEPJ800101AB1",
    )
    guerrero = f.OrganizationFactory(name="Red de la Montaña", municipality=other_municipality)
    draft = f.OrganizationFactory(
        name="Borrador Secreto",
        municipality=organization.municipality,
        status=Organization.Status.DRAFT,
    )
    return {"muva": organization, "person": person, "guerrero": guerrero, "draft": draft}


def get(client, fmt, **params):
    response = client.get(reverse("directory:export", kwargs={"fmt": fmt}), params)
    assert response.status_code == 200
    return response


def content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response)


def csv_rows(response) -> list[dict[str, str]]:
    text = content(response).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel in Mexico reads the accents right
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_the_csv_has_spanish_headers_public_data_only_and_opens_with_the_csv_module(
    as_visitor, directory
):
    response = get(as_visitor, "csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    rows = {row["Nombre"]: row for row in csv_rows(response)}
    assert set(rows) == {
        "Mujeres de los Valles A.C.",
        "Colectivo de Don Pedro",
        "Red de la Montaña",
    }
    muva = rows["Mujeres de los Valles A.C."]
    assert muva["Siglas"] == "MUVA"
    assert muva["Tipo"] == "Organización de la sociedad civil"
    assert muva["Temas"] == "Género y derechos de las mujeres; Salud"
    assert muva["Clave INEGI del municipio"] == "20067"
    assert muva["Correo electrónico"] == "contacto@muva.mx"
    assert muva["Teléfono"] == "951 555 1234"
    assert muva["RFC"] == "MUV120315AB1" and muva["CLUNI"] == "MUV1203150901A"
    assert muva["Otros identificadores"] == "Donataria: DA-77"
    text = content(get(as_visitor, "csv")).decode()
    for secret in [*PRIVATE, "Borrador Secreto", "PEPJ800101AB1"]:
        assert secret not in text


def test_the_csv_in_english_and_with_filters(as_visitor, directory):
    rows = csv_rows(get(as_visitor, "csv", lang="en", state="12"))
    assert [row["Name"] for row in rows] == ["Red de la Montaña"]
    assert "INEGI municipality code" in rows[0]
    rows = csv_rows(get(as_visitor, "csv", theme="salud", q="mujer"))
    assert [row["Nombre"] for row in rows] == ["Mujeres de los Valles A.C."]


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(as_visitor, directory):
    directory["person"].name = '=HYPERLINK("http://malo.example","clic")'
    directory["person"].save()
    rows = csv_rows(get(as_visitor, "csv"))
    names = [row["Nombre"] for row in rows]
    assert '\'=HYPERLINK("http://malo.example","clic")' in names

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content(get(as_visitor, "xlsx"))))["Organizaciones"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    hostile = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert hostile.data_type == "s"  # text, not a formula


def test_the_xlsx_opens_with_openpyxl_with_a_styled_header_and_a_source_sheet(
    as_visitor, directory
):
    from openpyxl import load_workbook

    response = get(as_visitor, "xlsx", theme="salud")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    workbook = load_workbook(io.BytesIO(content(response)))
    assert workbook.sheetnames == ["Organizaciones", "Fuente"]
    sheet = workbook["Organizaciones"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("Id", "Nombre", "Siglas")
    assert sheet["A1"].font.bold
    assert len(rows) == 2
    record = dict(zip(header, rows[1], strict=True))
    assert record["Temas"] == "Género y derechos de las mujeres; Salud"
    assert record["Correo electrónico"] == "contacto@muva.mx"
    values = " ".join(str(v) for row in rows for v in row if v is not None)
    for secret in PRIVATE:
        assert secret not in values
    source = " ".join(
        str(c) for row in workbook["Fuente"].iter_rows(values_only=True) for c in row if c
    )
    assert "INEGI" in source and "theme=salud" in source


def test_the_json_follows_the_documented_hsds_fields(as_visitor, directory):
    response = get(as_visitor, "json")
    assert response.streaming
    data = json.loads(content(response))
    assert data["standard"] == "Open Referral HSDS 3.0 (organization)"
    assert "INEGI" in data["attribution"]
    assert data["count"] == len(data["organizations"]) == 3
    for item in data["organizations"]:
        assert set(item) == HSDS_FIELDS
        assert set(item["x-polo"]) == X_POLO_FIELDS
        uuid.UUID(item["id"])  # HSDS ids are UUIDs
        assert isinstance(item["name"], str) and isinstance(item["description"], str)
    muva = next(i for i in data["organizations"] if i["name"] == "Mujeres de los Valles A.C.")
    assert muva["alternate_name"] == "MUVA"
    assert muva["email"] == "contacto@muva.mx"
    assert muva["website"] == "https://muva.mx"
    assert muva["year_incorporated"] == 2012
    assert [p["number"] for p in muva["phones"]] == ["951 555 1234"]
    assert {i["identifier_scheme"]: i["identifier"] for i in muva["organization_identifiers"]} == {
        "MX-RFC": "MUV120315AB1",
        "MX-CLUNI": "MUV1203150901A",
        "Donataria": "DA-77",
    }
    assert muva["locations"][0]["external_identifier"] == "20067"
    assert muva["x-polo"]["kind"] == "cso"
    assert [t["slug"] for t in muva["x-polo"]["themes"]] == ["genero-derechos-mujeres", "salud"]
    assert muva["x-polo"]["region"] == {"slug": "valles-centrales", "name": "Valles Centrales"}
    text = content(get(as_visitor, "json")).decode()
    for secret in [*PRIVATE, "Borrador Secreto", "PEPJ800101AB1"]:
        assert secret not in text
    # The same organisation keeps its id from one export to the next.
    again = json.loads(content(get(as_visitor, "json", q="valles")))
    assert again["organizations"][0]["id"] == muva["id"]
    assert again["filters"] == {"q": "valles"}


def test_an_empty_search_exports_headers_only(as_visitor, directory):
    assert csv_rows(get(as_visitor, "csv", q="zzzzzz")) == []
    assert json.loads(content(get(as_visitor, "json", q="zzzzzz")))["organizations"] == []


def test_bad_filters_are_dropped_and_unknown_formats_are_not_found(as_visitor, directory):
    rows = csv_rows(get(as_visitor, "csv", kind="nope", municipality="x" * 300))
    assert len(rows) == 3
    assert as_visitor.get(reverse("directory:export", kwargs={"fmt": "xml"})).status_code == 404


def test_an_export_reads_the_database_in_a_fixed_number_of_queries(as_visitor, organization):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            csv_rows(get(as_visitor, "csv"))
        return len(captured)

    f.OrganizationFactory.create_batch(4, municipality=organization.municipality)
    few = queries()
    f.OrganizationFactory.create_batch(40, municipality=organization.municipality)
    assert queries() == few
