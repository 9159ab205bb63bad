"""`polo load-territory` on a tiny hand-made data folder: edge cases and broken files."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from polo.territory import geo
from polo.territory.models import Community, Municipality, Region, State
from tests.territory.conftest import LOCALITY_HEADER, REGION_HEADER, write_csv

pytestmark = pytest.mark.django_db


def load(data_dir, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_territory", "--data-dir", str(data_dir), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def nothing_loaded() -> bool:
    return not (State.objects.exists() or Municipality.objects.exists() or Region.objects.exists())


def test_it_loads_a_small_folder_and_reports_what_it_did(tiny_data):
    out, err = load(tiny_data)
    assert set(State.objects.values_list("code", flat=True)) == {"01", "12", "20"}
    assert Municipality.objects.count() == 5
    assert Municipality.objects.with_boundary().count() == 4
    assert dict(Region.objects.values_list("slug", "name")) == {
        "valles-centrales": "Valles Centrales",
        "acapulco": "Acapulco",
        "nueva": "Región Nueva",  # not one of the six: the CSV name without the state
    }
    assert Municipality.objects.get(code="20001").district == "Ixtlán"
    assert "Municipios: 5 nuevos" in out
    assert "20001: Abejones Viejo → Abejones" in out
    assert err == ""


def test_locality_names_get_the_accents_of_their_municipality_whatever_the_case(tiny_data):
    load(tiny_data)
    names = dict(Community.objects.values_list("code", "name"))
    assert names == {
        "120010001": "Acapulco de Juárez",
        "120010081": "Amatillo",
        "200670001": "Oaxaca de Juárez",
    }
    assert set(Community.objects.values_list("source", flat=True)) == {"inegi"}


def test_neighbouring_boundaries_share_their_border_points(tiny_data):
    load(tiny_data)
    left = Municipality.objects.get(code="20067")
    right = Municipality.objects.get(code="20001")
    left_points = {p for ring in geo.parse_path(left.svg_path) for p in ring}
    right_points = {p for ring in geo.parse_path(right.svg_path) for p in ring}
    assert len(left_points & right_points) == 2
    assert left.bbox[2] == right.bbox[0]


def test_a_municipality_newly_listed_in_the_csv_gets_its_region_on_a_rerun(tiny_data):
    load(tiny_data)
    rows = (tiny_data / "programme-regions.csv").read_text(encoding="utf-8")
    (tiny_data / "programme-regions.csv").write_text(
        rows + "acapulco,Acapulco (Guerrero),12,12041,Malinaltepec,,test\n", encoding="utf-8"
    )
    Municipality.objects.filter(code="12041").update(region=None)
    Municipality.history.filter(code="12041").delete()  # as if it never had a region
    load(tiny_data)
    assert Municipality.objects.get(code="12041").region.slug == "acapulco"


@pytest.mark.parametrize(
    "missing",
    [
        "inegi-municipalities-national.json",
        "programme-regions.csv",
        "localities-1000plus-12-20-21.csv",
        "municipalities-21-puebla.topo.json",
    ],
)
def test_it_refuses_a_folder_with_a_missing_file_and_loads_nothing(tiny_data, missing):
    (tiny_data / missing).unlink()
    with pytest.raises(CommandError, match=missing):
        load(tiny_data)
    assert nothing_loaded()


def test_it_refuses_broken_json(tiny_data):
    (tiny_data / "inegi-municipalities-national.json").write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        load(tiny_data)
    assert nothing_loaded()


def test_it_refuses_a_catalogue_row_with_a_bad_key_or_a_negative_count(tiny_data):
    path = tiny_data / "inegi-municipalities-national.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[0]["cve_completa"] = "12'; DROP TABLE x;--"
    path.write_text(json.dumps(rows), encoding="utf-8")
    with pytest.raises(CommandError, match="bad municipality key"):
        load(tiny_data)
    rows[0]["cve_completa"] = "12001"
    rows[0]["poblacion_total"] = -5
    path.write_text(json.dumps(rows), encoding="utf-8")
    with pytest.raises(CommandError, match="negative count"):
        load(tiny_data)
    assert nothing_loaded()


def test_it_refuses_a_csv_without_the_expected_columns(tiny_data):
    (tiny_data / "programme-regions.csv").write_text("slug,code\nx,20067\n", encoding="utf-8")
    with pytest.raises(CommandError, match="lacks columns"):
        load(tiny_data)
    assert nothing_loaded()


def test_it_refuses_a_region_row_naming_an_unknown_municipality_and_rolls_back(tiny_data):
    write_csv(
        tiny_data / "programme-regions.csv",
        REGION_HEADER,
        [["acapulco", "Acapulco (Guerrero)", "12", "12999", "Nowhere", "", "test"]],
    )
    with pytest.raises(CommandError, match="12999"):
        load(tiny_data)
    assert nothing_loaded()


def test_it_refuses_a_region_row_in_another_state_than_its_region(tiny_data):
    write_csv(
        tiny_data / "programme-regions.csv",
        REGION_HEADER,
        [
            ["acapulco", "Acapulco (Guerrero)", "12", "12001", "Acapulco", "", "test"],
            ["acapulco", "Acapulco (Guerrero)", "12", "20067", "Oaxaca de Juárez", "", "x"],
        ],
    )
    with pytest.raises(CommandError, match="20067"):
        load(tiny_data)
    assert nothing_loaded()


def test_it_refuses_a_topology_with_an_arc_index_out_of_range(tiny_data):
    path = tiny_data / "municipalities-12-guerrero.topo.json"
    topology = json.loads(path.read_text(encoding="utf-8"))
    topology["objects"]["muni"]["geometries"][0]["arcs"] = [[0, 99]]
    path.write_text(json.dumps(topology), encoding="utf-8")
    with pytest.raises(CommandError, match="out of range"):
        load(tiny_data)
    assert nothing_loaded()


def test_it_skips_and_reports_boundaries_and_localities_it_cannot_place(tiny_data):
    path = tiny_data / "municipalities-12-guerrero.topo.json"
    topology = json.loads(path.read_text(encoding="utf-8"))
    topology["objects"]["muni"]["geometries"][1]["properties"]["cvegeo"] = "12999"
    path.write_text(json.dumps(topology), encoding="utf-8")
    write_csv(
        tiny_data / "localities-1000plus-12-20-21.csv",
        LOCALITY_HEADER,
        [
            ["129990001", "12", "999", "0001", "Fantasma", "?", "U", "16", "-99", "1", "5"],
            ["120010002", "12", "001", "0002", "Sin datos", "Acapulco", "X", "999", "abc", "", ""],
        ],
    )
    out, err = load(tiny_data)
    assert "12999" in err and "129990001" in err
    assert Municipality.objects.with_boundary().count() == 3
    odd = Community.objects.get(code="120010002")
    assert (odd.ambit, odd.latitude, odd.longitude, odd.altitude_m, odd.population) == (
        "",
        None,
        None,
        None,
        None,
    )
