"""An organisation's public profile, per role: what it shows, to whom, and what
it never shows (private contacts to outsiders, unconfirmed alliances, drafts)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polo.directory.models import (
    Alliance,
    ContactPoint,
    Identifier,
    KeyCommunity,
    Language,
    NetworkMembership,
    Organization,
    Population,
)
from tests import factories as f
from tests.directory.helpers_public import organization as make_organization

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "participant", "editor", "facilitator", "other_facilitator", "coordinator"]
STAFF_OF_IT = {"editor", "facilitator", "coordinator"}  # who may see drafts and private data


def url(org: Organization) -> str:
    return f"/directorio/organizaciones/{org.pk}/"


def client_of(request, role: str):
    return request.getfixturevalue(f"as_{role}")


def content(client, org: Organization) -> str:
    response = client.get(url(org))
    assert response.status_code == 200
    return response.content.decode()


# --- Who sees what -------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_published_profile_is_public(request, organization, role):
    assert client_of(request, role).get(url(organization)).status_code == 200


@pytest.mark.parametrize("status", ["draft", "pending", "archived"])
@pytest.mark.parametrize("role", ROLES)
def test_an_unpublished_profile_is_seen_only_by_its_editors_stewards_and_coordinators(
    request, organization, role, status
):
    Organization.objects.filter(pk=organization.pk).update(status=status)
    response = client_of(request, role).get(url(organization))
    if role in STAFF_OF_IT:
        assert response.status_code == 200
        assert "Perfil no publicado." in response.content.decode()
    else:
        assert response.status_code == 404


def test_a_published_profile_has_no_unpublished_banner(as_editor, organization):
    assert "Perfil no publicado" not in content(as_editor, organization)


@pytest.mark.parametrize("role", ROLES)
def test_a_merged_organisation_redirects_permanently_to_the_one_kept(request, organization, role):
    kept = organization
    merged = f.OrganizationFactory(
        name="Mujeres de los Valles (duplicado)",
        municipality=kept.municipality,
        status=Organization.Status.ARCHIVED,
        merged_into=kept,
    )
    response = client_of(request, role).get(url(merged))
    assert response.status_code == 301
    assert response["Location"] == url(kept)


def test_an_archived_organisation_that_was_not_merged_does_not_redirect(
    as_visitor, as_coordinator, organization
):
    Organization.objects.filter(pk=organization.pk).update(status="archived")
    assert as_visitor.get(url(organization)).status_code == 404
    assert as_coordinator.get(url(organization)).status_code == 200


def test_an_unknown_organisation_is_404(as_visitor, db):
    assert as_visitor.get("/directorio/organizaciones/999999/").status_code == 404
    assert as_visitor.get("/directorio/organizaciones/abc/").status_code == 404


def test_the_profile_refuses_writes(as_editor, organization):
    assert as_editor.post(url(organization)).status_code == 405


# --- Contacts ------------------------------------------------------------------


@pytest.fixture
def contacts(organization):
    ContactPoint.objects.bulk_create(
        [
            ContactPoint(
                organization=organization, kind="email", value="hola@mujeres.org.mx", is_public=True
            ),
            ContactPoint(
                organization=organization, kind="phone", value="951 555 0101", is_public=False
            ),
            ContactPoint(
                organization=organization,
                kind="address",
                value="Calle Reforma 12, Centro",
                is_public=False,
            ),
            ContactPoint(
                organization=organization,
                kind="website",
                value="https://mujeres.org.mx",
                is_public=True,
            ),
        ]
    )


@pytest.mark.parametrize("role", ROLES)
def test_private_contacts_are_shown_only_to_those_who_may_edit(
    request, organization, contacts, role
):
    page = content(client_of(request, role), organization)
    assert '<a href="mailto:hola@mujeres.org.mx">hola@mujeres.org.mx</a>' in page
    assert 'href="https://mujeres.org.mx"' in page
    private_shown = "951 555 0101" in page
    assert private_shown == ("Calle Reforma 12" in page)
    assert private_shown == (role in STAFF_OF_IT)
    if private_shown:
        assert page.count('<span class="badge">privado</span>') == 2
        assert 'href="tel:9515550101"' in page


@pytest.mark.parametrize(
    "value",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>", "//evil"],
)
def test_a_contact_that_is_not_a_web_address_is_shown_as_text_not_as_a_link(
    as_visitor, organization, value
):
    ContactPoint.objects.create(
        organization=organization, kind="website", value=value, is_public=True
    )
    page = content(as_visitor, organization).split("<main", 1)[1]
    assert 'href="javascript' not in page.lower() and 'href="data:' not in page
    assert 'href="//evil"' not in page
    assert "<script>x" not in page


def test_without_public_contacts_it_says_so(as_visitor, organization):
    ContactPoint.objects.create(
        organization=organization, kind="phone", value="951 1", is_public=False
    )
    page = content(as_visitor, organization)
    assert "no ha publicado datos de contacto" in page and "951 1" not in page


# --- What a profile shows ------------------------------------------------------


def test_it_shows_the_public_record(as_visitor, organization, region):
    theme = f.ThemeFactory(slug="genero-prueba", name="Género")
    organization.acronym = "MUVA"
    organization.legal_form = Organization.LegalForm.AC
    organization.rfc = "MUV120315AB1"
    organization.cluni = "MUV1203150901A"
    organization.founded_year = 2012
    organization.size_band = Organization.SizeBand.SMALL
    organization.description = "Acompaña a mujeres de los Valles Centrales."
    organization.community = f.CommunityFactory(
        municipality=organization.municipality, name="San Felipe"
    )
    organization.save()
    organization.themes.add(theme)
    organization.populations.add(Population.objects.get(slug="mujeres"))
    organization.languages.add(Language.objects.get(code="zapoteco"))
    Identifier.objects.create(organization=organization, scheme="DONATARIA", value="SAT-123")
    page = content(as_visitor, organization)
    for text in (
        "Mujeres de los Valles A.C.",
        "(MUVA)",
        "Asociación civil (A.C.)",
        "MUV120315AB1",
        "MUV1203150901A",
        "2012",
        "6 a 15 personas",
        "Acompaña a mujeres de los Valles Centrales.",
        "<dt>DONATARIA</dt><dd>SAT-123</dd>",
        "San Felipe, ",
    ):
        assert text in page, text
    assert 'href="/directorio/?theme=genero-prueba"' in page
    assert 'href="/directorio/?population=mujeres"' in page
    assert 'href="/directorio/?language=zapoteco"' in page
    assert 'href="/territorio/municipios/20067/"' in page
    assert f'href="{region.get_absolute_url()}"' in page
    assert "Fuente: INEGI" in page


def test_english_readers_get_the_english_description_when_there_is_one(client, organization):
    organization.description = "Descripción en español."
    organization.description_en = "Description in English."
    organization.save()
    english = client.get(url(organization), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = client.get(url(organization), HTTP_ACCEPT_LANGUAGE="es-mx").content.decode()
    assert "Description in English." in english and "Descripción en español." not in english
    assert "Descripción en español." in spanish and "Description in English." not in spanish


def test_the_spanish_description_is_marked_as_spanish_on_an_english_page(client, organization):
    organization.description = "Solo en español."
    organization.save()
    page = client.get(url(organization), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<div lang="es-MX"><p>Solo en español.</p></div>' in page


def test_text_typed_with_html_is_escaped(as_visitor, organization):
    organization.name = "<script>alert(1)</script>"
    organization.description = "<img src=x onerror=alert(1)>"
    organization.save()
    page = content(as_visitor, organization)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.fixture
def partners(municipality):
    return {
        name: make_organization(name, municipality=municipality)
        for name in ("Aliada Confirmada", "Aliada a Medias", "Aliada Borrador", "Aliada Antigua")
    }


def test_only_alliances_confirmed_by_both_sides_with_published_partners_are_shown(
    as_visitor, organization, partners
):
    now = timezone.now()
    both = {"source_confirmed_at": now, "target_confirmed_at": now}
    Alliance.objects.create(
        source=organization, target=partners["Aliada Confirmada"], kind="agreement", **both
    )
    Alliance.objects.create(
        source=partners["Aliada a Medias"],
        target=organization,
        kind="referral",
        source_confirmed_at=now,
    )
    Organization.objects.filter(pk=partners["Aliada Borrador"].pk).update(status="draft")
    Alliance.objects.create(
        source=organization, target=partners["Aliada Borrador"], kind="network", **both
    )
    Alliance.objects.create(
        source=partners["Aliada Antigua"],
        target=organization,
        kind="joint_project",
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2021, 6, 30),
        **both,
    )
    page = content(as_visitor, organization)
    section = page[page.index('id="alianzas"') :]
    assert "Aliada Confirmada</a> · Convenio de colaboración" in section
    assert 'Aliada Antigua</a> · Proyecto conjunto <span class="muted">(2019 a 2021)' in section
    assert "Aliada a Medias" not in page
    assert "Aliada Borrador" not in page


def test_no_alliances_section_without_confirmed_alliances(as_visitor, organization, partners):
    Alliance.objects.create(
        source=organization, target=partners["Aliada a Medias"], kind="agreement"
    )
    assert 'id="alianzas"' not in content(as_visitor, organization)


def test_it_lists_its_current_published_networks(as_visitor, organization, municipality):
    current = make_organization("Red Vigente", kind="network", municipality=municipality)
    ended = make_organization("Red Pasada", kind="network", municipality=municipality)
    hidden = make_organization(
        "Red en Borrador", kind="network", municipality=municipality, status="draft"
    )
    future = make_organization("Red Futura", kind="network", municipality=municipality)
    today = timezone.localdate()
    NetworkMembership.objects.create(
        network=current, member=organization, start_date=datetime.date(2020, 1, 1)
    )
    NetworkMembership.objects.create(
        network=ended, member=organization, end_date=today - datetime.timedelta(days=1)
    )
    NetworkMembership.objects.create(network=hidden, member=organization)
    NetworkMembership.objects.create(
        network=future, member=organization, start_date=today + datetime.timedelta(days=30)
    )
    page = content(as_visitor, organization)
    section = page[page.index('id="redes"') :]
    assert "Red Vigente</a>" in section and "desde 2020" in section
    for absent in ("Red Pasada", "Red en Borrador", "Red Futura"):
        assert absent not in page


def test_a_network_lists_its_current_published_members(as_visitor, municipality):
    network = make_organization("Red de Redes", kind="network", municipality=municipality)
    for name, status in (("Integrante Uno", "published"), ("Integrante Oculta", "pending")):
        member = make_organization(name, municipality=municipality, status=status)
        NetworkMembership.objects.create(network=network, member=member)
    page = content(as_visitor, network)
    assert "Integrante de la red" in page  # one member shown
    assert "Integrante Uno</a>" in page and "Integrante Oculta" not in page


def test_it_lists_the_key_communities_it_works_in(as_visitor, organization):
    community = f.CommunityFactory(
        municipality=organization.municipality, name="Santa Cruz Amilpas"
    )
    key = KeyCommunity.objects.create(community=community, reason="Alta migración juvenil.")
    key.organizations.add(organization)
    page = content(as_visitor, organization)
    assert "Comunidades clave donde trabaja" in page and "Santa Cruz Amilpas" in page


def test_later_modules_leave_no_placeholders(as_visitor, organization):
    page = content(as_visitor, organization)
    for word in ("Eventos", "Convenios", "Buenas prácticas", "Próximamente"):
        assert word not in page.split("<main")[1].split("</main>")[0], word


# --- Editing links -------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_editing_links_appear_only_for_those_who_may_edit(request, organization, role):
    page = content(client_of(request, role), organization)
    edit = f'href="/directorio/organizaciones/{organization.pk}/editar/"'
    history = f'href="/directorio/organizaciones/{organization.pk}/historial/"'
    assert (edit in page) == (role in STAFF_OF_IT)
    assert (history in page) == (role == "coordinator")  # reverting is the coordinators'


# --- Queries -------------------------------------------------------------------


def _queries(client, org) -> int:
    with CaptureQueriesContext(connection) as context:
        content(client, org)
    return len(context.captured_queries)


@pytest.mark.parametrize("role", ["visitor", "editor", "coordinator"])
def test_the_profile_does_a_fixed_number_of_queries_however_much_it_shows(
    request, organization, municipality, role, django_assert_max_num_queries
):
    client = client_of(request, role)
    bare = _queries(client, organization)
    now = timezone.now()
    for n in range(8):
        partner = make_organization(f"Aliada {n}", municipality=municipality)
        Alliance.objects.create(
            source=organization,
            target=partner,
            kind="agreement",
            source_confirmed_at=now,
            target_confirmed_at=now,
        )
        network = make_organization(f"Red {n}", kind="network", municipality=municipality)
        NetworkMembership.objects.create(network=network, member=organization)
        ContactPoint.objects.create(
            organization=organization, kind="phone", value=f"951 000 {n}", is_public=True
        )
        organization.themes.add(f.ThemeFactory(slug=f"t{n}", name=f"Tema {n}"))
        organization.coverage_municipalities.add(f.MunicipalityFactory(code=f"20{n + 200:03d}"))
        key = KeyCommunity.objects.create(
            community=f.CommunityFactory(municipality=municipality), reason="Clave"
        )
        key.organizations.add(organization)
    with django_assert_max_num_queries(20):
        full = _queries(client, organization)
    print(f"profile queries as {role}: {bare} bare, {full} with everything")
    # Coverage adds its map's boundaries; nothing else grows.
    assert full - bare <= 1
