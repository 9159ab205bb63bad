"""ARCO access: the download of all one's personal data, and the section registry."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from polo.accounts import personal_data
from polo.accounts.models import Consent
from tests import factories as f
from tests.factories import TOTP_SECRET

pytestmark = pytest.mark.django_db

EXPORT = "/cuenta/mis-datos.json"


@pytest.fixture
def registry():
    """Leave the registry as it was after a test registers its own sections."""
    sections = dict(personal_data._sections)
    anonymizers = list(personal_data._anonymizers)
    yield personal_data
    personal_data._sections.clear()
    personal_data._sections.update(sections)
    personal_data._anonymizers[:] = anonymizers


def download(client: Client) -> dict:
    response = client.get(EXPORT)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_export_is_a_json_attachment_not_kept_in_caches(as_participant):
    response = as_participant.get(EXPORT)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="polo-mis-datos-')
    assert response["Content-Disposition"].endswith('.json"')
    assert "no-store" in response["Cache-Control"]


def test_the_export_holds_my_profile_emails_consents_memberships_and_history(
    editor, organization, privacy_notice, municipality
):
    editor.municipality = municipality
    editor.save()
    Consent.objects.create(user=editor, notice=privacy_notice)
    client = Client()
    client.force_login(editor)

    data = download(client)

    assert data["format"] == "polo-personal-data"
    sections = data["sections"]
    assert sections["profile"]["full_name"] == "Rosa Martínez"
    assert sections["profile"]["email"] == "editora@ejemplo.mx"
    assert sections["profile"]["municipality"] == {
        "code": "20067",
        "name": "Oaxaca de Juárez",
        "state": "Oaxaca",
    }
    assert sections["email_addresses"] == [
        {"email": "editora@ejemplo.mx", "verified": True, "primary": True}
    ]
    assert [c["notice_version"] for c in sections["consents"]] == ["2026-01"]
    assert sections["memberships"][0]["organization"] == "Mujeres de los Valles A.C."
    assert sections["memberships"][0]["is_editor"] is True
    assert [row["change"] for row in sections["profile_history"]][:1] == ["created"]
    assert sections["two_factor"] == []


def test_the_export_contains_nothing_about_other_people(
    as_participant, editor, facilitator, coordinator, organization
):
    body = as_participant.get(EXPORT).content.decode()
    assert "Ana Pérez" in body
    for other in (editor, facilitator, coordinator):
        assert other.email not in body
        assert other.full_name not in body
    assert organization.name not in body


def test_a_staff_members_export_says_two_factor_is_on_but_never_the_secret(facilitator):
    client = Client()
    client.force_login(facilitator)
    response = client.get(EXPORT)
    data = json.loads(response.content)
    assert [a["type"] for a in data["sections"]["two_factor"]] == ["totp"]
    assert data["sections"]["profile"]["regions"] == ["Valles Centrales"]
    assert TOTP_SECRET not in response.content.decode()
    assert "secret" not in response.content.decode()


def test_a_change_made_by_staff_says_so_without_naming_them(participant, coordinator):
    participant.full_name = "Ana Pérez Corregido"
    participant._history_user = coordinator
    participant.save()
    client = Client()
    client.force_login(participant)
    history = download(client)["sections"]["profile_history"]
    assert history[-1]["changed_by"] == "programme_staff"
    assert coordinator.full_name not in json.dumps(history)


def test_other_modules_add_their_sections_through_the_registry(registry, as_participant):
    registry.register("attendance", lambda user: [{"event": "Foro Valles", "user": user.email}])
    data = download(as_participant)
    assert data["sections"]["attendance"] == [
        {"event": "Foro Valles", "user": "participante@ejemplo.mx"}
    ]


def test_a_section_name_cannot_be_taken_twice(registry):
    def first(user):
        return []

    registry.register("surveys", first)
    registry.register("surveys", first)  # ready() may run twice: harmless
    with pytest.raises(ValueError, match="already registered"):
        registry.register("surveys", lambda user: [])


def test_visitors_are_sent_to_sign_in(as_visitor):
    response = as_visitor.get(EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith("/cuentas/login/")


def test_the_export_answers_in_a_fixed_number_of_queries(
    as_editor, editor, organization, django_assert_max_num_queries
):
    for n in range(10):
        f.MembershipFactory(user=editor, organization=f.OrganizationFactory(name=f"Org {n}"))
    # Fixed whatever the number of rows: the account's own nine queries plus at
    # most two for each module that registers personal data.
    from polo.accounts import personal_data

    modules = [s for s in personal_data.sections() if s not in ACCOUNT_SECTIONS]
    with django_assert_max_num_queries(9 + 2 * len(modules)):
        as_editor.get(EXPORT)


ACCOUNT_SECTIONS = {
    "profile",
    "email_addresses",
    "two_factor",
    "consents",
    "memberships",
    "profile_history",
}
