"""The admin: coordinators edit which municipalities belong to a region, and more."""

import pytest

from polo.territory.models import Community, Municipality, Region
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def oaxaca_places(region, municipality):
    """Valles Centrales with Oaxaca de Juárez; Etla outside it; Mixteca with Huajuapan."""
    etla = f.MunicipalityFactory(code="20338", name="Villa de Etla", state=region.state)
    mixteca = f.RegionFactory(slug="mixteca-huajuapan", name="Mixteca", state=region.state)
    huajuapan = f.MunicipalityFactory(
        code="20039",
        name="Heroica Ciudad de Huajuapan de León",
        state=region.state,
        region=mixteca,
    )
    return {"etla": etla, "mixteca": mixteca, "huajuapan": huajuapan}


def region_form(region: Region, municipalities: list[Municipality], **changes) -> dict:
    data = {
        "name": region.name,
        "slug": region.slug,
        "state": region.state_id,
        "description": region.description,
        "ordering": region.ordering,
        "municipalities": [m.pk for m in municipalities],
    }
    data.update(changes)
    return data


def test_a_coordinator_sees_the_region_with_its_municipalities(
    as_coordinator, region, municipality
):
    response = as_coordinator.get(f"/admin/territory/region/{region.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{municipality.pk}" selected>Oaxaca de Juárez (20067)' in html


def test_a_coordinator_adds_moves_and_removes_municipalities_of_a_region(
    as_coordinator, coordinator, region, municipality, oaxaca_places
):
    etla, huajuapan = oaxaca_places["etla"], oaxaca_places["huajuapan"]
    response = as_coordinator.post(
        f"/admin/territory/region/{region.pk}/change/",
        region_form(region, [etla, huajuapan], description="Valles, ampliada"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(region.municipalities.values_list("code", flat=True)) == {"20338", "20039"}
    municipality.refresh_from_db()
    assert municipality.region is None
    assert oaxaca_places["mixteca"].municipalities.count() == 0
    # Audited: who moved Huajuapan, and from where.
    last = huajuapan.history.latest()
    assert last.history_user == coordinator and last.region_id == region.pk
    assert huajuapan.history.earliest().region_id == oaxaca_places["mixteca"].pk
    assert municipality.history.latest().history_user == coordinator
    assert Region.objects.get(pk=region.pk).description == "Valles, ampliada"


def test_a_region_cannot_take_a_municipality_of_another_state(
    as_coordinator, region, municipality, other_municipality
):
    response = as_coordinator.post(
        f"/admin/territory/region/{region.pk}/change/",
        region_form(region, [municipality, other_municipality]),
    )
    assert response.status_code == 200  # the form again, with the error
    other_municipality.refresh_from_db()
    assert other_municipality.region.slug == "montana"


def test_a_coordinator_creates_a_region_without_code_changes(as_coordinator, oaxaca_places, oaxaca):
    etla = oaxaca_places["etla"]
    response = as_coordinator.post(
        "/admin/territory/region/add/",
        {
            "name": "Sierra Norte",
            "slug": "sierra-norte",
            "state": oaxaca.pk,
            "description": "",
            "ordering": 7,
            "municipalities": [etla.pk],
        },
    )
    assert response.status_code == 302
    assert Region.objects.get(slug="sierra-norte").municipalities.get() == etla


def test_a_coordinator_moves_one_municipality_from_its_admin_page(
    as_coordinator, municipality, oaxaca_places, other_region
):
    url = f"/admin/territory/municipality/{municipality.pk}/change/"
    assert as_coordinator.get(url).status_code == 200
    response = as_coordinator.post(
        url, {"region": oaxaca_places["mixteca"].pk, "district": "Centro"}
    )
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert (municipality.region, municipality.district) == (oaxaca_places["mixteca"], "Centro")
    # A region of another state is refused.
    response = as_coordinator.post(url, {"region": other_region.pk, "district": ""})
    assert response.status_code == 200
    municipality.refresh_from_db()
    assert municipality.region == oaxaca_places["mixteca"]


def test_the_catalogue_itself_is_not_editable_in_the_admin(as_coordinator, municipality):
    assert as_coordinator.get("/admin/territory/municipality/add/").status_code == 403
    assert (
        as_coordinator.get(f"/admin/territory/municipality/{municipality.pk}/delete/").status_code
        == 403
    )
    as_coordinator.post(
        f"/admin/territory/municipality/{municipality.pk}/change/",
        {"region": "", "name": "Otro nombre", "population": 1},
    )
    municipality.refresh_from_db()
    assert municipality.name == "Oaxaca de Juárez" and municipality.population == 1000
    assert as_coordinator.get("/admin/territory/state/add/").status_code == 403


def test_municipalities_are_searchable_by_name_and_code(
    as_coordinator, municipality, oaxaca_places
):
    html = as_coordinator.get("/admin/territory/municipality/?q=20338").content.decode()
    assert "Villa de Etla" in html and "Oaxaca de Juárez" not in html
    html = as_coordinator.get("/admin/territory/municipality/?q=juárez").content.decode()
    assert "Oaxaca de Juárez" in html


def test_a_coordinator_adds_a_community_that_users_named(as_coordinator, municipality):
    response = as_coordinator.post(
        "/admin/territory/community/add/",
        {
            "name": "San Felipe del Agua",
            "municipality": municipality.pk,
            "is_key": "on",
            "code": "",
            "ambit": "",
            "population": "",
            "latitude": "",
            "longitude": "",
            "altitude_m": "",
        },
    )
    assert response.status_code == 302
    community = Community.objects.get(name="San Felipe del Agua")
    assert community.source == Community.Source.USER and community.is_key
    assert community.code is None


def test_a_community_key_must_start_with_its_municipality_key(as_coordinator, municipality):
    response = as_coordinator.post(
        "/admin/territory/community/add/",
        {
            "name": "Mal clave",
            "municipality": municipality.pk,
            "code": "120010001",
            "ambit": "",
            "population": "",
            "latitude": "",
            "longitude": "",
            "altitude_m": "",
        },
    )
    assert response.status_code == 200
    assert not Community.objects.filter(name="Mal clave").exists()


def test_only_user_added_communities_can_be_deleted(as_coordinator, municipality):
    inegi = f.CommunityFactory(
        municipality=municipality, code="200670001", source=Community.Source.INEGI
    )
    mine = f.CommunityFactory(municipality=municipality, source=Community.Source.USER)
    assert as_coordinator.get(f"/admin/territory/community/{inegi.pk}/delete/").status_code == 403
    listing = as_coordinator.get("/admin/territory/community/").content.decode()
    assert "delete_selected" not in listing  # no bulk deletion around the rule
    response = as_coordinator.post(f"/admin/territory/community/{mine.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Community.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize("persona", ["as_participant", "as_editor", "as_facilitator"])
def test_other_roles_cannot_edit_regions(request, persona, region):
    client = request.getfixturevalue(persona)
    response = client.get(f"/admin/territory/region/{region.pk}/change/")
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")
    else:
        assert response.status_code == 403


def test_the_admin_index_shows_the_territory_to_coordinators(as_coordinator):
    html = as_coordinator.get("/admin/").content.decode()
    assert "/admin/territory/region/" in html
    assert "/admin/territory/municipality/" in html
