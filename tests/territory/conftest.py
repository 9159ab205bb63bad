"""Territory fixtures: the real INEGI catalogue, loaded once per test module, and a
tiny hand-made data folder for the loader's edge cases."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from polo.territory import maps
from polo.territory.models import Community, Municipality, Region, State


def _wipe_territory() -> None:
    # Raw deletes: the ORM's delete would send a signal, and so write a history
    # record, for each of the thousands of rows.
    for model in (Community, Municipality, Region, State):
        model.objects.all()._raw_delete(model.objects.db)
        model.history.all()._raw_delete(model.objects.db)
    maps.invalidate_cache()


@pytest.fixture(scope="module")
def territory(django_db_setup, django_db_blocker):
    """The real catalogue (2,478 municipalities...), loaded once for the module.

    Its value is the loader's report (what it printed).

    Tests still run in their own transaction, so what they change is rolled
    back; the catalogue itself is removed when the module ends.
    """
    out = StringIO()
    with django_db_blocker.unblock():
        _wipe_territory()
        call_command("load_territory", stdout=out, stderr=out)
    yield out.getvalue()  # what the first load printed
    with django_db_blocker.unblock():
        _wipe_territory()


# --- A tiny data folder -------------------------------------------------------

TINY_MUNICIPALITIES = [
    # state, state name, abbr, municipality key, name, seat, population...
    ("12", "Guerrero", "Gro.", "001", "Acapulco de Juárez", "Acapulco de Juárez", 779566),
    ("12", "Guerrero", "Gro.", "041", "Malinaltepec", "Malinaltepec", 29525),
    ("20", "Oaxaca", "Oax.", "067", "Oaxaca de Juárez", "Oaxaca de Juárez", 270955),
    ("20", "Oaxaca", "Oax.", "001", "Abejones", "Abejones", 1160),
    ("01", "Aguascalientes", "Ags.", "001", "Aguascalientes", "Aguascalientes", 948990),
]


def tiny_catalogue() -> list[dict]:
    return [
        {
            "cve_entidad": state,
            "nom_entidad": state_name,
            "nom_abr_entidad": abbreviation,
            "cve_municipio": key,
            "nom_municipio": name,
            "cve_completa": state + key,
            "cve_cabecera": "0001",
            "nom_cabecera": seat,
            "poblacion_total": population,
            "poblacion_masculina": population // 2,
            "poblacion_femenina": population - population // 2,
            "viviendas_habitadas": population // 4,
        }
        for state, state_name, abbreviation, key, name, seat, population in TINY_MUNICIPALITIES
    ]


def square_topology(features: list[tuple[str, str]]) -> dict:
    """Unit squares side by side along x, sharing their common side (an arc).

    Feature i is the square [i, i+1] x [0, 1] in quantized units (0.1°).
    """
    n = len(features)
    arcs = []
    # arc 0..n: the vertical sides x = i, from y=0 to y=1 (absolute, delta-encoded)
    for i in range(n + 1):
        arcs.append([[i * 10, 0], [0, 10]])
    # arc n+1+i: bottom of square i from (i,0) to (i+1,0); arc 2n+1+i: top from (i+1,1) to (i,1)
    for i in range(n):
        arcs.append([[i * 10, 0], [10, 0]])
    for i in range(n):
        arcs.append([[(i + 1) * 10, 10], [-10, 0]])
    geometries = []
    for i, (code, name) in enumerate(features):
        ring = [n + 1 + i, i + 1, 2 * n + 1 + i, ~i]  # bottom, right side up, top, left down
        geometries.append(
            {
                "type": "Polygon",
                "arcs": [ring],
                "properties": {
                    "cvegeo": code,
                    "cve_ent": code[:2],
                    "cve_mun": code[2:],
                    "nombre": name,
                },
            }
        )
    return {
        "type": "Topology",
        "transform": {"scale": [0.01, 0.01], "translate": [-97.0, 17.0]},
        "arcs": arcs,
        "objects": {"muni": {"type": "GeometryCollection", "geometries": geometries}},
    }


REGION_HEADER = [
    "region_slug",
    "region_name",
    "state_code",
    "municipality_code",
    "municipality_name",
    "district",
    "source",
]
LOCALITY_HEADER = [
    "cvegeo",
    "state_code",
    "municipality_code",
    "locality_code",
    "locality_name",
    "municipality_name",
    "ambit",
    "latitude",
    "longitude",
    "altitude_m",
    "population_2020",
]


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def tiny_data(tmp_path) -> Path:
    """A complete, small data folder the loader accepts; tests then break parts of it."""
    (tmp_path / "inegi-municipalities-national.json").write_text(
        json.dumps(tiny_catalogue(), ensure_ascii=False), encoding="utf-8"
    )
    topologies = {
        "12-guerrero": [("12001", "Acapulco de Juárez"), ("12041", "Malinaltepec")],
        "20-oaxaca": [("20067", "Oaxaca de Juárez"), ("20001", "Abejones Viejo")],
        "21-puebla": [],
    }
    for name, features in topologies.items():
        (tmp_path / f"municipalities-{name}.topo.json").write_text(
            json.dumps(square_topology(features), ensure_ascii=False), encoding="utf-8"
        )
    write_csv(
        tmp_path / "programme-regions.csv",
        REGION_HEADER,
        [
            [
                "valles-centrales",
                "Valles Centrales (Oaxaca)",
                "20",
                "20067",
                "Oaxaca de Juárez",
                "Centro",
                "test",
            ],
            [
                "valles-centrales",
                "Valles Centrales (Oaxaca)",
                "20",
                "20001",
                "Abejones",
                "Ixtlán",
                "test",
            ],
            ["acapulco", "Acapulco (Guerrero)", "12", "12001", "Acapulco de Juárez", "", "test"],
            ["nueva", "Región Nueva (Guerrero)", "12", "12041", "Malinaltepec", "", "test"],
        ],
    )
    write_csv(
        tmp_path / "localities-1000plus-12-20-21.csv",
        LOCALITY_HEADER,
        [
            [
                "120010001",
                "12",
                "001",
                "0001",
                "Acapulco de Juarez",
                "Acapulco de Juarez",
                "U",
                "16.861867",
                "-99.886557",
                "18",
                "658609",
            ],
            [
                "120010081",
                "12",
                "001",
                "0081",
                "Amatillo",
                "Acapulco de Juarez",
                "U",
                "16.818893",
                "-99.667548",
                "44",
                "3914",
            ],
            [
                "200670001",
                "20",
                "067",
                "0001",
                "OAXACA DE JUAREZ",
                "Oaxaca de Juarez",
                "U",
                "17.06",
                "-96.72",
                "1550",
                "258913",
            ],
        ],
    )
    return tmp_path
