"""The Django admin for coordinators: people and roles, notices, consents."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client

from polo.accounts.models import Consent, PrivacyNotice, User

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"


def test_coordinators_list_search_and_filter_people(as_coordinator, participant, facilitator):
    listing = as_coordinator.get(USERS)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Ana Pérez" in html and "Luis Hernández" in html
    assert "personas usuarias" in html.lower()

    found = as_coordinator.get(USERS, {"q": "participante@"}).content.decode()
    assert "Ana Pérez" in found and "Luis Hernández" not in found

    facilitators = as_coordinator.get(USERS, {"role__exact": "facilitator"}).content.decode()
    assert "Luis Hernández" in facilitators and "Ana Pérez" not in facilitators


def test_the_change_form_has_no_username_and_no_superuser_switch_for_coordinators(
    as_coordinator, participant, region
):
    html = as_coordinator.get(f"{USERS}{participant.pk}/change/").content.decode()
    assert 'name="username"' not in html
    assert 'name="is_superuser"' not in html
    assert 'name="email"' not in html  # read-only: e-mail changes are verified
    assert 'name="role"' in html
    assert 'name="regions"' in html


def test_a_coordinator_makes_a_participant_facilitator_of_a_region(
    as_coordinator, participant, region
):
    response = as_coordinator.post(
        f"{USERS}{participant.pk}/change/",
        {
            "full_name": "Ana Pérez",
            "language": "es-mx",
            "role": "facilitator",
            "regions": [region.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    participant.refresh_from_db()
    assert participant.role == User.Role.FACILITATOR
    assert list(participant.regions.all()) == [region]
    assert participant.history.latest().role == "facilitator"


def test_a_facilitator_needs_a_region(as_coordinator, participant):
    response = as_coordinator.post(
        f"{USERS}{participant.pk}/change/",
        {"full_name": "Ana Pérez", "language": "es-mx", "role": "facilitator", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "Una persona facilitadora necesita al menos una región." in response.content.decode()
    participant.refresh_from_db()
    assert participant.role == User.Role.PARTICIPANT


def test_a_new_coordinator_gets_into_the_admin(as_coordinator, participant):
    as_coordinator.post(
        f"{USERS}{participant.pk}/change/",
        {"full_name": "Ana Pérez", "language": "es-mx", "role": "coordinator", "is_active": "on"},
    )
    participant.refresh_from_db()
    assert participant.is_staff


def test_coordinators_read_the_history_of_a_person(as_coordinator, participant):
    response = as_coordinator.get(f"{USERS}{participant.pk}/history/")
    assert response.status_code == 200


def test_people_are_neither_added_nor_deleted_in_the_admin(as_coordinator, participant):
    assert as_coordinator.get(f"{USERS}add/").status_code == 403
    assert as_coordinator.get(f"{USERS}{participant.pk}/delete/").status_code == 403


@pytest.mark.parametrize("who", ["as_participant", "as_editor", "as_facilitator"])
def test_nobody_else_reaches_the_accounts_admin(request, who):
    response = request.getfixturevalue(who).get(USERS)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_publishing_a_notice_in_the_admin_retires_the_current_one(as_coordinator):
    response = as_coordinator.post(
        "/admin/accounts/privacynotice/add/",
        {
            "version": "2027-03",
            "published_on": "2027-03-01",
            "is_current": "on",
            "text_es": "## Nuevo\n\nTexto.",
            "text_en": "",
        },
    )
    assert response.status_code == 302, re.findall(r"errorlist.*?</ul>", response.content.decode())
    assert PrivacyNotice.current().version == "2027-03"
    assert not PrivacyNotice.objects.get(version="2026-11").is_current


def test_the_text_of_an_accepted_notice_cannot_change(as_coordinator, participant):
    notice = PrivacyNotice.objects.get(version="2026-11")
    Consent.objects.create(user=participant, notice=notice)
    html = as_coordinator.get(f"/admin/accounts/privacynotice/{notice.pk}/change/").content.decode()
    assert 'name="text_es"' not in html
    assert 'name="is_current"' in html


def test_an_unaccepted_draft_notice_can_be_edited(as_coordinator):
    draft = PrivacyNotice.objects.create(
        version="2027-09", published_on=datetime.date(2027, 9, 1), text_es="Borrador"
    )
    html = as_coordinator.get(f"/admin/accounts/privacynotice/{draft.pk}/change/").content.decode()
    assert 'name="text_es"' in html


def test_consents_are_read_only(as_coordinator, participant):
    consent = Consent.objects.create(
        user=participant, notice=PrivacyNotice.objects.get(version="2026-11")
    )
    assert as_coordinator.get("/admin/accounts/consent/").status_code == 200
    assert as_coordinator.get("/admin/accounts/consent/add/").status_code == 403
    page = as_coordinator.get(f"/admin/accounts/consent/{consent.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert as_coordinator.post(f"/admin/accounts/consent/{consent.pk}/delete/").status_code == 403


def test_the_admin_speaks_spanish(as_coordinator):
    html = as_coordinator.get("/admin/").content.decode()
    assert "Cuentas y privacidad" in html
    assert "Administración de Polo" in html


def test_a_cancelled_account_cannot_be_edited(as_coordinator, participant):
    participant.anonymize()
    page = as_coordinator.get(f"{USERS}{participant.pk}/change/")
    assert 'name="full_name"' not in page.content.decode()


def test_a_staff_user_without_two_factor_cannot_use_the_admin(region):
    from tests import factories as f

    coordinator = f.UserFactory(role=User.Role.COORDINATOR, is_staff=True)
    client = Client()
    client.force_login(coordinator)
    response = client.get(USERS)
    assert response.status_code == 302
    assert response["Location"] == "/cuentas/2fa/totp/activate/"
