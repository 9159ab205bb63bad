"""Exports of a directory search: CSV, XLSX and JSON (Open Referral HSDS 3.0).

Every export answers the same question as the directory page
(``selectors.organization_search``): published organisations only, public
fields only. Private contact data (``ContactPoint.is_public`` false) never
leaves, nor does the RFC of a natural person (13 characters: it is personal
data); see docs/directory-formats.md for every column and field.

CSV and JSON stream row by row (``iter_organizations`` reads the database in
chunks), so an export of the national set never sits in memory; the XLSX is
written by openpyxl's write-only mode into a temporary file.
"""

from __future__ import annotations

import csv
import json
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from polo.directory.models import ContactPoint, Organization, Theme
from polo.directory.selectors import DirectoryFilters, organization_search
from polo.territory.models import Municipality

FORMATS = ("csv", "xlsx", "json")
CHUNK = 1000  # rows read per query while streaming
HSDS_VERSION = "3.0"
# A fixed namespace: an organisation keeps the same HSDS id in every export.
HSDS_NAMESPACE = uuid.UUID("6f1d7b2e-3c51-5a0e-9a0c-2b7f1c0d9e11")
# Cells that a spreadsheet would run as a formula (CSV injection): prefixed
# with an apostrophe in CSV; the importer removes it again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTACT_KINDS = [
    ("email", _("Correo electrónico"), "Email"),
    ("phone", _("Teléfono"), "Phone"),
    ("website", _("Sitio web"), "Website"),
    ("address", _("Domicilio"), "Address"),
    ("facebook", _("Facebook"), "Facebook"),
    ("instagram", _("Instagram"), "Instagram"),
    ("x", _("X (Twitter)"), "X (Twitter)"),
    ("youtube", _("YouTube"), "YouTube"),
    ("whatsapp", _("WhatsApp"), "WhatsApp"),
]


def credit() -> str:
    """Where the territory comes from; every export carries it (INEGI's terms)."""
    return str(
        _(
            "Fuente: INEGI, Marco Geoestadístico y Catálogo Único de Claves "
            "Geoestadísticas; Censo de Población y Vivienda 2020. Directorio Temático "
            "de Polo: datos públicos de las organizaciones."
        )
    )


def public_rfc(organization: Organization) -> str:
    """The RFC of a legal person (12 characters) is public; a natural person's
    (13, as an informal group may register with a member's) is personal data."""
    return organization.rfc if len(organization.rfc) == 12 else ""


def export_queryset(filters: DirectoryFilters) -> QuerySet[Organization]:
    """The search with everything an export row needs, in a fixed number of queries
    per chunk: public contacts only."""
    return (
        organization_search(filters)
        .select_related("municipality__state", "municipality__region", "community")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            "populations",
            "languages",
            "coverage_regions",
            Prefetch(
                "coverage_municipalities", queryset=Municipality.objects.only("id", "code", "name")
            ),
            Prefetch(
                "contacts",
                queryset=ContactPoint.objects.filter(is_public=True),
                to_attr="public_contacts",
            ),
            "identifiers",
        )
    )


def iter_organizations(filters: DirectoryFilters) -> Iterator[Organization]:
    yield from export_queryset(filters).iterator(chunk_size=CHUNK)


def _contacts(org: Organization, kind: str) -> list[str]:
    # Only the prefetched public contacts exist on the object: nothing else to filter.
    return [c.value for c in org.public_contacts if c.kind == kind]


def _label(value: Any) -> str:
    return str(value) if value else ""


def _name(item, lang: str) -> str:
    return (getattr(item, "name_en", "") if lang == "en" else "") or item.name


@dataclass(frozen=True)
class Column:
    key: str
    es: Any
    en: str
    get: Callable[[Organization, str], Any]

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else str(self.es)


def _join(values) -> str:
    return "; ".join(v for v in values if v)


def _profile_url(org: Organization) -> str:
    return settings.SITE_URL.rstrip("/") + org.get_absolute_url()


COLUMNS: list[Column] = [
    Column("id", _("Id"), "Id", lambda o, lang: o.pk),
    Column("name", _("Nombre"), "Name", lambda o, lang: o.name),
    Column("acronym", _("Siglas"), "Acronym", lambda o, lang: o.acronym),
    Column("kind", _("Tipo"), "Kind", lambda o, lang: o.get_kind_display()),
    Column(
        "legal_form", _("Figura jurídica"), "Legal form", lambda o, lang: o.get_legal_form_display()
    ),
    Column("description", _("Descripción"), "Description", lambda o, lang: o.description),
    Column(
        "description_en",
        _("Descripción (inglés)"),
        "Description (English)",
        lambda o, lang: o.description_en,
    ),
    Column("rfc", _("RFC"), "RFC", lambda o, lang: public_rfc(o)),
    Column("cluni", _("CLUNI"), "CLUNI", lambda o, lang: o.cluni),
    Column(
        "identifiers",
        _("Otros identificadores"),
        "Other identifiers",
        lambda o, lang: _join(f"{i.scheme}: {i.value}" for i in o.identifiers.all()),
    ),
    Column("founded_year", _("Año de fundación"), "Year founded", lambda o, lang: o.founded_year),
    Column(
        "size_band", _("Tamaño del equipo"), "Team size", lambda o, lang: o.get_size_band_display()
    ),
    Column("state", _("Estado"), "State", lambda o, lang: o.municipality.state.name),
    Column(
        "region",
        _("Región"),
        "Region",
        lambda o, lang: o.municipality.region.name if o.municipality.region else "",
    ),
    Column("municipality", _("Municipio"), "Municipality", lambda o, lang: o.municipality.name),
    Column(
        "municipality_code",
        _("Clave INEGI del municipio"),
        "INEGI municipality code",
        lambda o, lang: o.municipality.code,
    ),
    Column(
        "community",
        _("Comunidad"),
        "Community",
        lambda o, lang: o.community.name if o.community else "",
    ),
    Column("latitude", _("Latitud"), "Latitude", lambda o, lang: o.latitude),
    Column("longitude", _("Longitud"), "Longitude", lambda o, lang: o.longitude),
    Column(
        "themes",
        _("Temas"),
        "Themes",
        lambda o, lang: _join(_name(t, lang) for t in o.themes.all()),
    ),
    Column(
        "populations",
        _("Poblaciones atendidas"),
        "Populations served",
        lambda o, lang: _join(_name(p, lang) for p in o.populations.all()),
    ),
    Column(
        "languages",
        _("Lenguas de trabajo"),
        "Languages",
        lambda o, lang: _join(_name(x, lang) for x in o.languages.all()),
    ),
    Column(
        "coverage_regions",
        _("Regiones donde trabaja"),
        "Coverage regions",
        lambda o, lang: _join(r.name for r in o.coverage_regions.all()),
    ),
    Column(
        "coverage_municipalities",
        _("Municipios donde trabaja (claves INEGI)"),
        "Coverage municipalities (INEGI codes)",
        lambda o, lang: _join(m.code for m in o.coverage_municipalities.all()),
    ),
    *[
        Column(kind, es, en, lambda o, lang, kind=kind: _join(_contacts(o, kind)))
        for kind, es, en in CONTACT_KINDS
    ],
    Column("url", _("Perfil en Polo"), "Profile on Polo", lambda o, lang: _profile_url(o)),
    Column(
        "updated",
        _("Actualizada"),
        "Updated",
        lambda o, lang: timezone.localtime(o.updated_at).date().isoformat(),
    ),
]


def headers(lang: str = "es") -> list[str]:
    return [column.header(lang) for column in COLUMNS]


def row_values(org: Organization, lang: str = "es") -> list[Any]:
    return [column.get(org, lang) for column in COLUMNS]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    """A file-like object that hands back what csv.writer writes to it."""

    def write(self, value: str) -> str:
        return value


def csv_stream(filters: DirectoryFilters, *, lang: str = "es") -> Iterator[str]:
    """UTF-8 with a BOM, so that Excel in Mexico opens the accents right; one
    header row and nothing else, so that any CSV parser reads it."""
    writer = csv.writer(_Echo())
    with translation.override("en" if lang == "en" else "es-mx"):
        yield "\ufeff" + writer.writerow(headers(lang))
        for org in iter_organizations(filters):
            yield writer.writerow([_cell(v) for v in row_values(org, lang)])


def filters_description(filters: DirectoryFilters) -> str:
    """The filters in words, for the XLSX 'Fuente' sheet and the PDF cover."""
    parts = [f"{name}={value}" for name, value in filters.as_params() if name != "sort"]
    return ", ".join(parts) if parts else str(_("todas las organizaciones publicadas"))


def xlsx_file(filters: DirectoryFilters, *, lang: str = "es") -> IO[bytes]:
    """A workbook with the organisations and a 'Fuente' sheet (source, filters,
    INEGI credit), written row by row into a temporary file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook(write_only=True)
    with translation.override("en" if lang == "en" else "es-mx"):
        sheet = workbook.create_sheet(_g("Organizaciones"))
        sheet.freeze_panes = "A2"
        bold = Font(bold=True, color="FFFFFF")
        fill = PatternFill("solid", fgColor="005F56")
        head = []
        for title in headers(lang):
            cell = WriteOnlyCell(sheet, value=title)
            cell.font, cell.fill = bold, fill
            head.append(cell)
        sheet.append(head)
        count = 0
        for org in iter_organizations(filters):
            sheet.append(
                [_xlsx_cell(sheet, value, WriteOnlyCell) for value in row_values(org, lang)]
            )
            count += 1
        source = workbook.create_sheet(_g("Fuente"))
        for line in (
            [_g("Directorio Temático de Polo")],
            [_g("Generado el"), timezone.localtime().strftime("%Y-%m-%d %H:%M")],
            [_g("Filtros"), filters_description(filters)],
            [_g("Organizaciones"), count],
            [credit()],
            [_g("Solo datos públicos: los datos de contacto privados no se exportan.")],
        ):
            source.append(line)
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (returned open)
    workbook.save(handle)
    handle.seek(0)
    return handle


def _xlsx_cell(sheet, value: Any, cell_class):
    if isinstance(value, str):
        # Text stays text: without this, openpyxl writes "=..." as a formula.
        cell = cell_class(sheet, value=value)
        cell.data_type = "s"
        return cell
    if isinstance(value, Decimal):
        return float(value)  # coordinates: numbers a spreadsheet can work with
    return value


# ---- JSON: Open Referral HSDS 3.0 organisations --------------------------------


def hsds_id(*parts: object) -> str:
    return str(uuid.uuid5(HSDS_NAMESPACE, "/".join(str(part) for part in parts)))


def hsds_organization(org: Organization) -> dict[str, Any]:
    """One organisation as an HSDS 3.0 ``organization`` object, with what HSDS
    has no field for (kind, themes, territory, coverage) under ``x-polo``."""
    municipality = org.municipality
    identifiers = []
    if public_rfc(org):
        identifiers.append(("MX-RFC", "RFC", public_rfc(org)))
    if org.cluni:
        identifiers.append(("MX-CLUNI", "CLUNI", org.cluni))
    identifiers.extend((i.scheme, i.scheme, i.value) for i in org.identifiers.all())
    emails, websites = _contacts(org, "email"), _contacts(org, "website")
    location = {
        "id": hsds_id("location", org.pk),
        "location_type": "physical",
        "name": f"{municipality.name}, {municipality.state.name}",
        "latitude": float(org.latitude) if org.latitude is not None else None,
        "longitude": float(org.longitude) if org.longitude is not None else None,
        "external_identifier": municipality.code,
        "external_identifier_type": "INEGI CVEGEO",
    }
    return {
        "id": hsds_id("organization", org.pk),
        "name": org.name,
        "alternate_name": org.acronym or None,
        "description": org.description,
        "email": emails[0] if emails else None,
        "website": websites[0] if websites else None,
        "year_incorporated": org.founded_year,
        "legal_status": _label(org.get_legal_form_display()) or None,
        "logo": settings.SITE_URL.rstrip("/") + org.logo.url if org.logo else None,
        "uri": _profile_url(org),
        "phones": [
            {"id": hsds_id("phone", org.pk, c.pk), "number": c.value}
            for c in org.public_contacts
            if c.kind == ContactPoint.Kind.PHONE
        ],
        "locations": [location],
        "organization_identifiers": [
            {
                "id": hsds_id("identifier", org.pk, scheme, value),
                "organization_id": hsds_id("organization", org.pk),
                "identifier_scheme": scheme,
                "identifier_type": kind,
                "identifier": value,
            }
            for scheme, kind, value in identifiers
        ],
        "x-polo": {
            "id": org.pk,
            "kind": org.kind,
            "kind_label": org.get_kind_display(),
            "legal_form": org.legal_form or None,
            "size_band": org.size_band or None,
            "description_en": org.description_en or None,
            "themes": [{"slug": t.slug, "name": t.name} for t in org.themes.all()],
            "populations": [{"slug": p.slug, "name": p.name} for p in org.populations.all()],
            "languages": [{"code": x.code, "name": x.name} for x in org.languages.all()],
            "state": {"code": municipality.state.code, "name": municipality.state.name},
            "region": (
                {"slug": municipality.region.slug, "name": municipality.region.name}
                if municipality.region
                else None
            ),
            "municipality": {"code": municipality.code, "name": municipality.name},
            "community": (
                {"code": org.community.code, "name": org.community.name} if org.community else None
            ),
            "coverage": {
                "regions": [{"slug": r.slug, "name": r.name} for r in org.coverage_regions.all()],
                "municipalities": [
                    {"code": m.code, "name": m.name} for m in org.coverage_municipalities.all()
                ],
            },
            "contacts": [{"kind": c.kind, "value": c.value} for c in org.public_contacts],
            "updated_at": org.updated_at.isoformat(),
        },
    }


def json_stream(filters: DirectoryFilters) -> Iterator[str]:
    """``{"attribution": ..., "organizations": [...]}`` written item by item."""
    head = {
        "standard": f"Open Referral HSDS {HSDS_VERSION} (organization)",
        "documentation": settings.SITE_URL.rstrip("/") + "/directorio/",
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "filters": dict_of_params(filters),
        "attribution": credit(),
        "count": organization_search(filters).count(),
    }
    with translation.override("es-mx"):
        yield json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "organizations": ['
        first = True
        for org in iter_organizations(filters):
            item = json.dumps(hsds_organization(org), ensure_ascii=False)
            yield ("\n" if first else ",\n") + item
            first = False
    yield "\n]}\n"


def dict_of_params(filters: DirectoryFilters) -> dict[str, list[str] | str]:
    result: dict[str, list[str] | str] = {}
    for name, value in filters.as_params():
        if name in ("q", "sort"):
            result[name] = value
        else:
            result.setdefault(name, [])
            result[name].append(value)  # type: ignore[union-attr]
    return result


def filename(extension: str) -> str:
    return f"directorio-polo-{timezone.localdate():%Y%m%d}.{extension}"
