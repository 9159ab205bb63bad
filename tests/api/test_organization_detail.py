"""GET /api/v1/organizations/{id}: one published organisation, everything public."""

from __future__ import annotations

import datetime

from django.utils import timezone

from polo.directory.models import Identifier, NetworkMembership, Organization
from tests import factories as f
from tests.api.conftest import get_json


def url(organization) -> str:
    return f"/api/v1/organizations/{organization.pk}"


def test_it_gives_every_public_field(as_visitor, directory):
    women = directory["women"]
    Identifier.objects.create(organization=women, scheme="DONATARIA", value="DA-2015-044")
    response, data = get_json(as_visitor, url(women))
    assert response.status_code == 200
    assert data["id"] == women.pk
    assert data["name"] == "Mujeres de los Valles A.C."
    assert data["kind"] == "cso"
    assert data["municipality"] == "20067"
    assert data["themes"] == ["api-mujeres"]
    assert data["rfc"] == "MUV120315AB1"
    assert data["cluni"] is None
    assert data["identifiers"] == [{"scheme": "DONATARIA", "value": "DA-2015-044"}]
    assert data["founded_year"] == 2012
    assert data["size_band"] == "6-15"
    assert data["coverage_municipalities"] == ["12041", "20067"]
    assert data["coverage_regions"] == ["valles-centrales"]
    assert data["contacts"] == [
        {"kind": "email", "value": "contacto@mujeresvalles.org"},
        {"kind": "website", "value": "https://mujeresvalles.org"},
    ]
    assert data["logo"] is None
    assert data["community"] is None


def test_it_lists_the_published_networks_it_belongs_to(as_visitor, directory):
    _, data = get_json(as_visitor, url(directory["women"]))
    network = directory["network"]
    assert data["networks"] == [
        {
            "organization": {
                "id": network.pk,
                "name": network.name,
                "api_url": f"http://testserver/api/v1/organizations/{network.pk}",
            },
            "start_date": None,
            "end_date": None,
        }
    ]
    assert data["members"] == []


def test_a_network_lists_its_published_current_members_only(as_visitor, directory):
    network = directory["network"]
    former = f.OrganizationFactory(name="Antigua integrante", municipality=network.municipality)
    NetworkMembership.objects.create(
        network=network,
        member=former,
        start_date=datetime.date(2015, 1, 1),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    _, data = get_json(as_visitor, url(network))
    names = [m["organization"]["name"] for m in data["members"]]
    assert names == [
        "Colectivo Niñas y Niños de la Montaña",
        "Mujeres de los Valles A.C.",
    ]


def test_it_shows_alliances_confirmed_by_both_sides_only(as_visitor, directory):
    _, women = get_json(as_visitor, url(directory["women"]))
    assert [a["partner"]["id"] for a in women["alliances"]] == [directory["collective"].pk]
    assert women["alliances"][0]["kind"] == "joint_project"
    assert women["alliances"][0]["description"] == "Talleres compartidos"
    # Seen from the other side too.
    _, collective = get_json(as_visitor, url(directory["collective"]))
    assert [a["partner"]["id"] for a in collective["alliances"]] == [directory["women"].pk]
    # Declared by the network, not confirmed by Mujeres de los Valles: on neither.
    _, network = get_json(as_visitor, url(directory["network"]))
    assert network["alliances"] == []


def test_community_and_coordinates_are_given_when_known(as_visitor, directory):
    women = directory["women"]
    women.community = f.CommunityFactory(
        municipality=women.municipality, code="200670001", name="Oaxaca de Juárez"
    )
    women.save()
    _, data = get_json(as_visitor, url(women))
    assert data["community"] == {"code": "200670001", "name": "Oaxaca de Juárez"}
    assert data["latitude"] == 17.0608


def test_an_unknown_id_is_a_json_404(as_visitor, directory):
    response, data = get_json(as_visitor, "/api/v1/organizations/987654")
    assert response.status_code == 404
    assert data["detail"]
    assert "merged_into" not in data


def test_unpublished_organizations_are_not_found(as_visitor, directory):
    for key in ("draft", "pending", "archived"):
        response, data = get_json(as_visitor, url(directory[key]))
        assert response.status_code == 404, key
        assert directory[key].name not in response.content.decode()


def test_a_merged_organization_points_to_the_one_kept(as_visitor, directory):
    response, data = get_json(as_visitor, url(directory["merged"]))
    assert response.status_code == 404
    assert data["merged_into"] == directory["women"].pk
    assert str(directory["women"].pk) in data["detail"]


def test_a_merged_organization_kept_in_an_unpublished_one_gives_no_hint(as_visitor, directory):
    merged = f.OrganizationFactory(
        status=Organization.Status.ARCHIVED,
        merged_into=directory["draft"],
        municipality=directory["draft"].municipality,
    )
    response, data = get_json(as_visitor, url(merged))
    assert response.status_code == 404
    assert "merged_into" not in data
    assert str(directory["draft"].pk) not in data["detail"]


def test_the_detail_has_every_key_of_a_list_item(as_visitor, directory):
    _, page = get_json(as_visitor, "/api/v1/organizations", {"q": "MUVA"})
    _, detail = get_json(as_visitor, url(directory["women"]))
    item = page["items"][0]
    assert set(item) <= set(detail)
    assert {key: detail[key] for key in item} == item
