"""`polo load-territory` with the real INEGI data (loaded once for this module)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from polo.territory.models import Community, Municipality, Region, State

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("territory")]

REGION_SIZES = {
    "valles-centrales": 121,
    "mixteca-huajuapan": 28,
    "tehuacan": 2,
    "puebla": 13,
    "acapulco": 1,
    "montana": 20,
}


def load(*args) -> str:
    out = StringIO()
    call_command("load_territory", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def history_counts() -> tuple[int, ...]:
    return tuple(model.history.count() for model in (State, Region, Municipality, Community))


def test_it_loads_every_state_and_municipality_of_mexico():
    assert State.objects.count() == 32
    assert Municipality.objects.count() == 2478
    assert Municipality.objects.in_state("20").count() == 570
    assert Municipality.objects.in_state("21").count() == 217
    assert Municipality.objects.in_state("12").count() == 85
    oaxaca = State.objects.get(code="20")
    assert (oaxaca.name, oaxaca.abbreviation) == ("Oaxaca", "Oax.")


def test_municipalities_keep_their_accents_seat_population_and_district():
    oaxaca = Municipality.objects.get(code="20067")
    assert oaxaca.name == "Oaxaca de Juárez"
    assert oaxaca.district == "Centro"
    assert oaxaca.population == oaxaca.population_men + oaxaca.population_women > 250_000
    assert oaxaca.dwellings > 0
    assert Municipality.objects.get(code="12083").name == "Ñuu Savi"
    assert Municipality.objects.get(code="12083").seat == "Coapinola"


def test_every_boundary_joins_a_municipality_of_the_three_states():
    with_boundary = Municipality.objects.with_boundary()
    assert with_boundary.count() == 872
    assert set(with_boundary.values_list("state__code", flat=True)) == {"12", "20", "21"}
    assert not Municipality.objects.in_state("20").filter(svg_path="").exists()
    sample = Municipality.objects.get(code="20067")
    minx, miny, maxx, maxy = sample.bbox
    assert minx < sample.label_point[0] < maxx and miny < sample.label_point[1] < maxy


def test_the_six_regions_have_the_csv_municipalities_and_clean_names():
    sizes = dict(Region.objects.annotate(n=Count("municipalities")).values_list("slug", "n"))
    assert sizes == REGION_SIZES
    names = list(Region.objects.values_list("name", "state__code"))
    assert names == [
        ("Valles Centrales", "20"),
        ("Mixteca (Huajuapan)", "20"),
        ("Tehuacán", "21"),
        ("Puebla", "21"),
        ("Acapulco", "12"),
        ("La Montaña", "12"),
    ]
    assert all(Region.objects.values_list("description", flat=True))
    assert not (
        Municipality.objects.filter(region__isnull=False).exclude(state=F("region__state")).exists()
    )


def test_localities_of_1000_or_more_become_inegi_communities_with_accents_restored():
    assert Community.objects.filter(source=Community.Source.INEGI).count() == 1953
    assert Community.objects.get(code="120010001").name == "Acapulco de Juárez"
    assert Community.objects.get(code="200670001").name == "Oaxaca de Juárez"
    # Not the municipality's name: left as the source spells it.
    assert Community.objects.get(code="120010081").name == "Amatillo"
    acapulco = Community.objects.get(code="120010001")
    assert acapulco.ambit == "U" and acapulco.population == 658609


def test_a_second_run_changes_nothing_and_adds_no_history():
    before = history_counts(), Municipality.objects.count(), Community.objects.count()
    output = load()
    assert "Sin cambios" in output
    assert "20238: San Martín de los Cansecos → Heroico San Martín de los Cansecos" in output
    assert (history_counts(), Municipality.objects.count(), Community.objects.count()) == before
    assert Region.objects.count() == 6


def test_the_first_load_reports_what_it_created_and_the_five_renamed_boundaries(territory):
    assert "Municipios: 2478 nuevos, 0 actualizados; 185 asignaciones de región." in territory
    assert "Contornos: 872 leídos" in territory
    assert "Localidades: 1953 nuevas" in territory
    renamed = re.findall(r"^  (\d{5}): (.+) → (.+)$", territory, re.M)
    assert [code for code, _old, _new in renamed] == ["12006", "20038", "20043", "20124", "20238"]
    assert ("20043", "Juchitán de Zaragoza", "Heroica Ciudad de Juchitán de Zaragoza") in renamed
    assert "sin municipio" not in territory  # every boundary and locality found its place


def test_a_rerun_keeps_coordinators_and_users_edits_and_refreshes_census_figures():
    mixteca = Region.objects.get(slug="mixteca-huajuapan")
    moved = Municipality.objects.get(code="20067")  # moved to another region
    moved.region = mixteca
    moved.save()
    removed = Municipality.objects.get(code="21156")  # Tehuacán, taken out of its region
    removed.region = None
    removed.save()
    Region.objects.filter(slug="acapulco").update(name="Acapulco de Juárez", ordering=9)
    corrected = Community.objects.get(code="120010081")  # Amatillo
    corrected.name = "Amatillo (corregido por una persona usuaria)"
    corrected.is_key = True
    corrected.save()
    Municipality.objects.filter(code="20175").update(population=1)  # stale figures
    Community.objects.filter(code="120010001").update(population=2)

    output = load()

    assert Municipality.objects.get(code="20067").region == mixteca
    assert Municipality.objects.get(code="21156").region is None
    region = Region.objects.get(slug="acapulco")
    assert (region.name, region.ordering) == ("Acapulco de Juárez", 9)
    corrected.refresh_from_db()
    assert corrected.name == "Amatillo (corregido por una persona usuaria)" and corrected.is_key
    assert Municipality.objects.get(code="20175").population > 1
    assert Community.objects.get(code="120010001").population == 658609
    assert "Municipios: 0 nuevos, 1 actualizados; 0 asignaciones de región." in output
    assert "Localidades: 0 nuevas, 1 actualizadas." in output


def test_reset_regions_forces_the_csv_membership():
    Municipality.objects.filter(code="20067").update(
        region=Region.objects.get(slug="mixteca-huajuapan")
    )
    tehuacan = Region.objects.get(slug="tehuacan")
    Municipality.objects.filter(code="21010").update(region=tehuacan)  # Ajalpan, not in the CSV
    Municipality.objects.filter(code="21156").update(region=None)

    load("--reset-regions")

    assert Municipality.objects.get(code="20067").region.slug == "valles-centrales"
    assert Municipality.objects.get(code="21156").region == tehuacan
    assert Municipality.objects.get(code="21010").region is None
    sizes = dict(Region.objects.annotate(n=Count("municipalities")).values_list("slug", "n"))
    assert sizes == REGION_SIZES
