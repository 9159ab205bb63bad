"""The agreements' world: a signed agreement in the facilitator's region between
the editor's organisation (a CSO) and a municipal government, whose editor is
the ``authority_editor``; one commitment of each party, due on known dates."""

from __future__ import annotations

import datetime

import pytest

from polo.agreements.models import Agreement, Commitment, Party, Signatory
from polo.directory.models import Organization
from tests import factories as f
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def authority(municipality):
    return f.OrganizationFactory(
        name="Municipio de Oaxaca de Juárez",
        kind=Organization.Kind.LOCAL_AUTHORITY,
        municipality=municipality,
    )


@pytest.fixture
def authority_editor(authority):
    user = f.UserFactory(email="regidora@ejemplo.mx", full_name="Carmen López")
    f.MembershipFactory(user=user, organization=authority, is_editor=True)
    return user


@pytest.fixture
def as_authority(authority_editor):
    return client_for(authority_editor)


@pytest.fixture
def agreement(region, municipality, organization, authority):
    agreement = Agreement.objects.create(
        title="Convenio de consulta ciudadana en Oaxaca de Juárez",
        slug="consulta-oaxaca",
        kind=Agreement.Kind.CSO_AUTHORITY,
        status=Agreement.Status.SIGNED,
        signed_on=datetime.date(2026, 1, 20),
        region=region,
        source_note="Foro regional de Valles Centrales, 2025",
    )
    agreement.municipalities.add(municipality)
    cso = Party.objects.create(agreement=agreement, organization=organization)
    local = Party.objects.create(agreement=agreement, organization=authority)
    Signatory.objects.create(party=local, name="Carmen López", post="Regidora de participación")
    Signatory.objects.create(party=cso, name="Rosa Martínez", post="Coordinadora general")
    return agreement


def party(agreement, organization) -> Party:
    return agreement.parties.get(organization=organization)


@pytest.fixture
def authority_commitment(agreement, authority):
    return Commitment.objects.create(
        agreement=agreement,
        position=1,
        text="Publicar el reglamento municipal de consulta ciudadana",
        responsible=party(agreement, authority),
        due_on=datetime.date(2026, 6, 30),
        indicator="Reglamento publicado en la gaceta municipal",
    )


@pytest.fixture
def cso_commitment(agreement, organization):
    return Commitment.objects.create(
        agreement=agreement,
        position=2,
        text="Capacitar a cuarenta personas promotoras de la consulta",
        responsible=party(agreement, organization),
        due_on=datetime.date(2026, 5, 31),
        indicator="Listas de asistencia de los talleres",
    )


@pytest.fixture
def draft(region, organization):
    agreement = Agreement.objects.create(
        title="Pacto territorial en preparación",
        slug="pacto-borrador",
        kind=Agreement.Kind.TERRITORIAL_PACT,
        region=region,
    )
    Party.objects.create(agreement=agreement, organization=organization)
    return agreement


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
