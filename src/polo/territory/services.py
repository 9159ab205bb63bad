"""Writes to the territory catalogue: loading INEGI's data (`polo load-territory`).

The load is idempotent and keyed on INEGI's codes. It compares what is stored
with what the files say and writes only the differences, in bulk, inside one
transaction; a second run with the same files writes nothing (and so adds no
history records).

What a re-run leaves alone, because people edit it after the first load:

- **Region membership.** A municipality gets its region from
  `programme-regions.csv` only if it has no region now *and never had one* (its
  history says so). A coordinator who moves a municipality to another region,
  or takes it out of one, is not undone. `reset_regions=True`
  (`--reset-regions`) forces the CSV: listed municipalities go to their CSV
  region, and the six regions lose any municipality the CSV does not list.
- **Regions' names, descriptions and order** once the region exists.
- **Locality names** once the community exists (users correct the accents the
  source lost), and whether a community is a key community.

Statistical fields (population, dwellings, seats, coordinates) and the
boundaries are refreshed from the files on every run.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from polo.territory import geo
from polo.territory.models import Community, Municipality, Region, State

MUNICIPALITIES_FILE = "inegi-municipalities-national.json"
BOUNDARY_FILES = (
    "municipalities-12-guerrero.topo.json",
    "municipalities-20-oaxaca.topo.json",
    "municipalities-21-puebla.topo.json",
)
LOCALITIES_FILE = "localities-1000plus-12-20-21.csv"
REGIONS_FILE = "programme-regions.csv"
CHANGE_REASON = "polo load-territory"
BATCH_SIZE = 500

# The programme's names and descriptions for the regions of programme-regions.csv
# (the CSV's region_name carries the state, e.g. "Valles Centrales (Oaxaca)").
# Coordinators may edit them afterwards; a re-load does not overwrite them.
REGION_TEXTS: dict[str, tuple[str, str]] = {
    "valles-centrales": (
        "Valles Centrales",
        "Los valles centrales de Oaxaca, alrededor de Oaxaca de Juárez: los distritos de "
        "Centro, Etla, Tlacolula, Ocotlán, Zimatlán, Ejutla y Zaachila.",
    ),
    "mixteca-huajuapan": (
        "Mixteca (Huajuapan)",
        "La Mixteca oaxaqueña: el programa trabaja en el Distrito de Huajuapan de León.",
    ),
    "tehuacan": (
        "Tehuacán",
        "Tehuacán y sus alrededores, en el sureste de Puebla: la zona metropolitana de "
        "Tehuacán (Tehuacán y Santiago Miahuatlán).",
    ),
    "puebla": (
        "Puebla",
        "Puebla de los Ángeles, capital del estado, y los municipios poblanos de su zona "
        "metropolitana.",
    ),
    "acapulco": (
        "Acapulco",
        "El puerto y el municipio de Acapulco de Juárez, en la costa de Guerrero.",
    ),
    "montana": (
        "La Montaña",
        "La región de La Montaña, en el oriente de Guerrero, mayoritariamente indígena: "
        "pueblos nahua, na savi (mixteco) y me'phaa (tlapaneco).",
    ),
}


class TerritoryDataError(Exception):
    """A data file is missing or does not have the shape the loader expects."""


@dataclass
class LoadReport:
    states_created: int = 0
    states_updated: int = 0
    regions_created: int = 0
    municipalities_created: int = 0
    municipalities_updated: int = 0
    region_assignments: int = 0
    boundaries: int = 0
    boundaries_updated: int = 0
    communities_created: int = 0
    communities_updated: int = 0
    name_mismatches: list[tuple[str, str, str]] = field(default_factory=list)
    unmatched_boundaries: list[str] = field(default_factory=list)
    unmatched_localities: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.states_created,
                self.states_updated,
                self.regions_created,
                self.municipalities_created,
                self.municipalities_updated,
                self.region_assignments,
                self.boundaries_updated,
                self.communities_created,
                self.communities_updated,
            )
        )


def fold(text: str) -> str:
    """Without accents (ñ becomes n too) and case: how the localities file lost them."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold().strip()


def default_data_dir() -> Path:
    return Path(settings.DATA_DIR) / "territory"


def territory_load(*, data_dir: Path | None = None, reset_regions: bool = False) -> LoadReport:
    """Load or refresh the whole catalogue from the files in `data_dir`."""
    data_dir = Path(data_dir or default_data_dir())
    catalogue = _read_json(data_dir / MUNICIPALITIES_FILE)
    region_rows = _read_csv(data_dir / REGIONS_FILE, REGION_COLUMNS)
    locality_rows = _read_csv(data_dir / LOCALITIES_FILE, LOCALITY_COLUMNS)
    rows = _catalogue_rows(catalogue)
    boundaries, mismatches, unmatched = _read_boundaries(data_dir, rows)

    report = LoadReport(name_mismatches=mismatches, unmatched_boundaries=unmatched)
    with transaction.atomic():
        states = _load_states(rows, report)
        regions = _load_regions(region_rows, states, report)
        municipalities = _load_municipalities(
            rows, region_rows, regions, states, boundaries, report, reset_regions=reset_regions
        )
        _load_communities(locality_rows, rows, municipalities, report)
    report.boundaries = len(boundaries)
    return report


def region_set_municipalities(
    *, region: Region, municipalities: Iterable[Municipality], by: Any = None
) -> tuple[int, int]:
    """Make `municipalities` exactly the region's members; return (added, removed).

    A municipality taken from another region moves here. Every change is
    recorded in the municipalities' history, under `by`.
    """
    wanted = {m.pk for m in municipalities}
    with transaction.atomic():
        candidates = list(
            Municipality.objects.select_for_update()
            .filter(Q(pk__in=wanted) | Q(region=region))
            .select_related("state")
        )
        for municipality in candidates:
            if municipality.pk in wanted and municipality.state_id != region.state_id:
                raise ValidationError(
                    _("%(name)s no está en %(state)s, el estado de la región.")
                    % {"name": municipality.name, "state": region.state.name}
                )
        added = [m for m in candidates if m.pk in wanted and m.region_id != region.pk]
        removed = [m for m in candidates if m.pk not in wanted and m.region_id == region.pk]
        for municipality in added:
            municipality.region = region
        for municipality in removed:
            municipality.region = None
        if added or removed:
            bulk_update_with_history(
                added + removed,
                Municipality,
                ["region"],
                default_user=by if getattr(by, "pk", None) else None,
                default_change_reason=str(_("Cambio de municipios de la región %(region)s"))
                % {"region": region.name},
            )
    return len(added), len(removed)


# --- Reading and checking the files ----------------------------------------

CATALOGUE_KEYS = (
    "cve_entidad",
    "nom_entidad",
    "nom_abr_entidad",
    "cve_completa",
    "nom_municipio",
    "cve_cabecera",
    "nom_cabecera",
    "poblacion_total",
    "poblacion_masculina",
    "poblacion_femenina",
    "viviendas_habitadas",
)
REGION_COLUMNS = ("region_slug", "region_name", "state_code", "municipality_code", "district")
LOCALITY_COLUMNS = (
    "cvegeo",
    "state_code",
    "municipality_code",
    "locality_name",
    "ambit",
    "latitude",
    "longitude",
    "altitude_m",
    "population_2020",
)


def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError as error:
        raise TerritoryDataError(f"missing data file: {path}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise TerritoryDataError(f"{path.name} is not valid JSON: {error}") from error


def _read_csv(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = set(required) - set(reader.fieldnames or [])
            if missing:
                raise TerritoryDataError(f"{path.name} lacks columns: {', '.join(sorted(missing))}")
            return list(reader)
    except FileNotFoundError as error:
        raise TerritoryDataError(f"missing data file: {path}") from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise TerritoryDataError(f"{path.name} cannot be read: {error}") from error


def _catalogue_rows(catalogue: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(catalogue, list) or not catalogue:
        raise TerritoryDataError(f"{MUNICIPALITIES_FILE} should be a list of municipalities")
    rows: dict[str, dict[str, Any]] = {}
    for row in catalogue:
        if not isinstance(row, dict) or any(key not in row for key in CATALOGUE_KEYS):
            raise TerritoryDataError(f"{MUNICIPALITIES_FILE}: incomplete row {str(row)[:80]}")
        code = str(row["cve_completa"])
        if len(code) != 5 or not code.isdigit() or code[:2] != str(row["cve_entidad"]):
            raise TerritoryDataError(f"{MUNICIPALITIES_FILE}: bad municipality key {code!r}")
        rows[code] = row
    return rows


@dataclass
class Boundary:
    """A municipality's projected shape; its box and label point, worked out on demand
    (the label point is the costly part, and a re-run needs it only for changed shapes)."""

    svg_path: str
    shape: list[list[list[geo.IntPoint]]]

    def geometry(self) -> dict[str, Any]:
        box = geo.bbox(ring for polygon in self.shape for ring in polygon)
        point = geo.label_point(self.shape)
        assert box is not None and point is not None  # shapes are never empty here
        return {
            "svg_path": self.svg_path,
            "bbox": [int(v) for v in box],
            "label_point": [round(point[0]), round(point[1])],
        }


def _read_boundaries(
    data_dir: Path, rows: dict[str, dict[str, Any]]
) -> tuple[dict[str, Boundary], list[tuple[str, str, str]], list[str]]:
    """Projected boundaries by municipality code; name mismatches; unknown keys."""
    boundaries: dict[str, Boundary] = {}
    mismatches: list[tuple[str, str, str]] = []
    unmatched: list[str] = []
    for name in BOUNDARY_FILES:
        topology = _read_json(data_dir / name)
        try:
            features = list(geo.topology_features(topology, "muni"))
        except geo.TopologyError as error:
            raise TerritoryDataError(f"{name}: {error}") from error
        for properties, polygons in features:
            code = str(properties.get("cvegeo", ""))
            shape = geo.project_polygons(polygons)
            if code not in rows or not shape:
                unmatched.append(code)
                continue
            topo_name = str(properties.get("nombre", ""))
            if topo_name != rows[code]["nom_municipio"]:
                mismatches.append((code, topo_name, rows[code]["nom_municipio"]))
            rings = [ring for polygon in shape for ring in polygon]
            boundaries[code] = Boundary(geo.svg_path(rings), shape)
    return boundaries, sorted(mismatches), unmatched


# --- States ----------------------------------------------------------------


def _load_states(rows: dict[str, dict[str, Any]], report: LoadReport) -> dict[str, State]:
    wanted: dict[str, dict[str, str]] = {}
    for row in rows.values():
        wanted[row["cve_entidad"]] = {
            "name": row["nom_entidad"],
            "abbreviation": row["nom_abr_entidad"],
        }
    existing = {state.code: state for state in State.objects.all()}
    new, changed = [], []
    for code, values in wanted.items():
        state = existing.get(code)
        if state is None:
            new.append(State(code=code, **values))
        elif _assign_changes(state, values):
            changed.append(state)
    bulk_create_with_history(new, State, default_change_reason=CHANGE_REASON)
    if changed:
        bulk_update_with_history(
            changed, State, ["name", "abbreviation"], default_change_reason=CHANGE_REASON
        )
    report.states_created, report.states_updated = len(new), len(changed)
    return {state.code: state for state in State.objects.all()}


# --- Regions ---------------------------------------------------------------


def _load_regions(
    region_rows: list[dict[str, str]], states: dict[str, State], report: LoadReport
) -> dict[str, Region]:
    existing = {region.slug: region for region in Region.objects.all()}
    ordering: dict[str, int] = {}
    for row in region_rows:
        slug = row["region_slug"].strip()
        if not slug:
            raise TerritoryDataError(f"{REGIONS_FILE}: a row has no region_slug")
        if slug in ordering:
            continue
        ordering[slug] = len(ordering) + 1
        if slug in existing:
            continue
        state = states.get(row["state_code"].strip())
        if state is None:
            raise TerritoryDataError(f"{REGIONS_FILE}: unknown state {row['state_code']!r}")
        name, description = REGION_TEXTS.get(slug, (_plain_region_name(row["region_name"]), ""))
        region = Region(
            slug=slug, name=name, description=description, state=state, ordering=ordering[slug]
        )
        region.full_clean()
        region._change_reason = CHANGE_REASON
        region.save()
        existing[slug] = region
        report.regions_created += 1
    return {slug: existing[slug] for slug in ordering}


def _plain_region_name(name: str) -> str:
    """ "Tehuacán (Puebla)" → "Tehuacán": the state is shown beside the region."""
    return name.split(" (")[0].strip() or name


# --- Municipalities --------------------------------------------------------

MUNICIPALITY_FIELDS = (
    "name",
    "seat",
    "state_id",
    "district",
    "population",
    "population_men",
    "population_women",
    "dwellings",
)
GEOMETRY_FIELDS = ("svg_path", "bbox", "label_point")


def _load_municipalities(
    rows: dict[str, dict[str, Any]],
    region_rows: list[dict[str, str]],
    regions: dict[str, Region],
    states: dict[str, State],
    boundaries: dict[str, Boundary],
    report: LoadReport,
    *,
    reset_regions: bool,
) -> dict[str, Municipality]:
    listed: dict[str, tuple[Region, str]] = {}
    for row in region_rows:
        code = row["municipality_code"].strip()
        if code not in rows:
            raise TerritoryDataError(f"{REGIONS_FILE}: unknown municipality {code!r}")
        if code[:2] != regions[row["region_slug"].strip()].state.code:
            raise TerritoryDataError(f"{REGIONS_FILE}: {code} is not in its region's state")
        listed[code] = (regions[row["region_slug"].strip()], row["district"].strip())

    existing = {m.code: m for m in Municipality.objects.all()}
    ever_in_a_region = set(
        Municipality.history.filter(region__isnull=False).values_list("code", flat=True).distinct()
    )
    csv_region_ids = {region.pk for region in regions.values()}

    new: list[Municipality] = []
    changed: list[Municipality] = []
    changed_fields: set[str] = set()
    geometry_changed: list[Municipality] = []
    for code, row in rows.items():
        region, district = listed.get(code, (None, ""))
        values: dict[str, Any] = {
            "name": row["nom_municipio"],
            "seat": row["nom_cabecera"],
            "state_id": states[row["cve_entidad"]].pk,
            "population": _count(row["poblacion_total"]),
            "population_men": _count(row["poblacion_masculina"]),
            "population_women": _count(row["poblacion_femenina"]),
            "dwellings": _count(row["viviendas_habitadas"]),
        }
        if district:
            values["district"] = district
        boundary = boundaries.get(code)
        municipality = existing.get(code)
        if municipality is None:
            geometry = boundary.geometry() if boundary else {}
            new.append(
                Municipality(code=code, region=region, **values, **geometry)  # type: ignore[misc]
            )
            report.region_assignments += region is not None
            continue
        region_id = _wanted_region_id(
            municipality, region, csv_region_ids, ever_in_a_region, reset=reset_regions
        )
        if region_id != municipality.region_id:
            values["region_id"] = region_id
            report.region_assignments += 1
        fields = _assign_changes(municipality, values)
        if fields:
            changed.append(municipality)
            changed_fields.update(fields)
        if boundary and (
            boundary.svg_path != municipality.svg_path
            or not municipality.bbox
            or not municipality.label_point
        ):
            _assign_changes(municipality, boundary.geometry())
            geometry_changed.append(municipality)

    bulk_create_with_history(
        new, Municipality, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
    )
    if changed:
        bulk_update_with_history(
            changed,
            Municipality,
            sorted(changed_fields),
            batch_size=BATCH_SIZE,
            default_change_reason=CHANGE_REASON,
        )
    # Boundaries are not part of the audited history (excluded there): plain update.
    Municipality.objects.bulk_update(geometry_changed, GEOMETRY_FIELDS, batch_size=100)
    report.municipalities_created = len(new)
    report.municipalities_updated = len(changed)
    report.boundaries_updated = len(geometry_changed)
    return {m.code: m for m in Municipality.objects.only("pk", "code", "name", "seat")}


def _wanted_region_id(
    municipality: Municipality,
    csv_region: Region | None,
    csv_region_ids: set[int],
    ever_in_a_region: set[str],
    *,
    reset: bool,
) -> int | None:
    if reset:
        if csv_region is not None:
            return csv_region.pk
        if municipality.region_id in csv_region_ids:
            return None  # the CSV no longer lists it in that region
        return municipality.region_id
    if (
        csv_region is not None
        and municipality.region_id is None
        and municipality.code not in ever_in_a_region
    ):
        return csv_region.pk
    return municipality.region_id


def _count(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as error:
        raise TerritoryDataError(f"not a count: {value!r}") from error
    if number < 0:
        raise TerritoryDataError(f"negative count: {value!r}")
    return number


# --- Communities -----------------------------------------------------------

COMMUNITY_DATA_FIELDS = ("ambit", "latitude", "longitude", "altitude_m", "population")


def _load_communities(
    locality_rows: list[dict[str, str]],
    rows: dict[str, dict[str, Any]],
    municipalities: dict[str, Municipality],
    report: LoadReport,
) -> None:
    existing = {c.code: c for c in Community.objects.filter(code__isnull=False)}
    new: list[Community] = []
    changed: list[Community] = []
    changed_fields: set[str] = set()
    for row in locality_rows:
        code = row["cvegeo"].strip()
        municipality_code = row["state_code"].strip() + row["municipality_code"].strip()
        municipality = municipalities.get(municipality_code)
        if municipality is None or len(code) != 9 or not code.startswith(municipality_code):
            report.unmatched_localities.append(code)
            continue
        values = {
            "ambit": row["ambit"].strip() if row["ambit"].strip() in ("U", "R") else "",
            "latitude": _decimal(row["latitude"], -90, 90),
            "longitude": _decimal(row["longitude"], -180, 180),
            "altitude_m": _integer(row["altitude_m"]),
            "population": _integer(row["population_2020"]),
        }
        community = existing.get(code)
        if community is None:
            name = _accented_locality_name(row["locality_name"], rows[municipality_code])
            new.append(
                Community(
                    code=code,
                    municipality_id=municipality.pk,
                    name=name[:160],
                    source=Community.Source.INEGI,
                    **values,
                )
            )
            continue
        fields = _assign_changes(community, values)
        if fields:
            changed.append(community)
            changed_fields.update(fields)
    bulk_create_with_history(
        new, Community, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
    )
    if changed:
        bulk_update_with_history(
            changed,
            Community,
            sorted(changed_fields),
            batch_size=BATCH_SIZE,
            default_change_reason=CHANGE_REASON,
        )
    report.communities_created = len(new)
    report.communities_updated = len(changed)


def _accented_locality_name(name: str, municipality_row: dict[str, Any]) -> str:
    """The source lost the accents; where the name is the municipality's or its
    seat's, their accented spelling is known."""
    name = " ".join(name.split())
    for candidate in (municipality_row["nom_municipio"], municipality_row["nom_cabecera"]):
        if fold(name) == fold(candidate):
            return candidate
    return name


def _decimal(value: str, low: int, high: int) -> Decimal | None:
    try:
        number = Decimal(value.strip()).quantize(Decimal("0.000001"))
    except (InvalidOperation, AttributeError):
        return None
    return number if low <= number <= high else None


def _integer(value: str) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


# --- Helpers ---------------------------------------------------------------


def _assign_changes(instance: Any, values: dict[str, Any]) -> list[str]:
    """Set the values that differ; return the names of the fields changed."""
    fields = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            fields.append(name.removesuffix("_id"))  # bulk_update wants "state", "region"
    return fields
