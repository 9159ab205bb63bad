"""ARCO cancellation: confirm with the password; anonymize; keep aggregate records."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import Client

from polo.accounts import personal_data
from polo.accounts.models import ANONYMIZED_NAME, Cancellation, Consent, User
from polo.directory.models import Membership
from tests import factories as f
from tests.accounts.conftest import SIGNUP_URL, signup_data
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CANCEL = "/cuenta/cancelar/"


@pytest.fixture
def registry():
    anonymizers = list(personal_data._anonymizers)
    yield personal_data
    personal_data._anonymizers[:] = anonymizers


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_says_what_will_happen_and_asks_for_the_password(as_participant):
    html = as_participant.get(CANCEL).content.decode()
    assert "Qué pasará" in html
    assert "No se puede deshacer." in html
    assert '<label for="id_password">' in html
    assert 'type="password"' in html


def test_a_wrong_password_refuses_in_spanish_and_changes_nothing(participant):
    client = signed_in(participant)
    response = client.post(CANCEL, {"password": "no-es-mi-contraseña"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "La contraseña no es correcta. Tu cuenta no se canceló." in html
    assert 'aria-describedby="id_password_error"' in html
    participant.refresh_from_db()
    assert participant.email == "participante@ejemplo.mx"
    assert participant.is_active
    assert not Cancellation.objects.exists()


def test_a_forged_cancellation_without_csrf_token_is_refused(participant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)
    assert client.post(CANCEL, {"password": PASSWORD}).status_code == 403
    participant.refresh_from_db()
    assert participant.is_active


def test_cancelling_anonymizes_the_person_and_keeps_aggregate_records(
    editor, organization, privacy_notice, municipality
):
    editor.municipality = municipality
    editor.save()
    Consent.objects.create(user=editor, notice=privacy_notice)
    f.give_totp(editor)
    client = signed_in(editor)
    other_device = signed_in(editor)

    response = client.post(CANCEL, {"password": PASSWORD, "reason": "Ya no participo."})

    assert response.status_code == 302
    assert response["Location"] == "/cuenta/cancelada/"
    done = client.get(response["Location"])
    assert "Tu cuenta fue cancelada" in done.content.decode()

    user = User.objects.get(pk=editor.pk)
    assert user.full_name == ANONYMIZED_NAME
    assert user.email.endswith("@anonimizada.invalid")
    assert user.municipality is None
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.anonymized_at is not None
    assert user.last_login is None
    # The membership row stays (the organisation still counts a member) and
    # points to the anonymized account; consents stay as evidence.
    membership = Membership.objects.get(organization=organization)
    assert membership.user_id == editor.pk
    assert Consent.objects.filter(user=user).count() == 1
    assert Cancellation.objects.get(user=user).reason == "Ya no participo."
    # What identified or authenticated the person is gone.
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    # Every session, on every device, is closed.
    assert client.get("/cuenta/").status_code == 302
    assert other_device.get("/cuenta/").status_code == 302
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")]


def test_cancelling_scrubs_the_personal_data_from_the_history(participant, municipality):
    participant.full_name = "Ana Pérez Ortiz"
    participant.municipality = municipality
    participant.save()
    client = signed_in(participant)

    client.post(CANCEL, {"password": PASSWORD})

    rows = User.history.filter(id=participant.pk)
    assert rows.count() >= 3  # created, changed, anonymized: the record of changes stays
    assert set(rows.values_list("full_name", flat=True)) == {ANONYMIZED_NAME}
    assert not rows.filter(email__contains="participante").exists()
    assert not rows.exclude(municipality=None).exists()


def test_the_old_credentials_no_longer_sign_in(participant):
    signed_in(participant).post(CANCEL, {"password": PASSWORD})
    client = Client()
    response = client.post(
        "/cuentas/login/", {"login": "participante@ejemplo.mx", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert client.get("/cuenta/").status_code == 302


def test_the_email_can_sign_up_again_as_a_new_person(participant):
    signed_in(participant).post(CANCEL, {"password": PASSWORD})
    response = Client().post(SIGNUP_URL, signup_data(email="participante@ejemplo.mx"))
    assert response.status_code == 302
    new = User.objects.get(email="participante@ejemplo.mx")
    assert new.pk != participant.pk


def test_a_staff_member_loses_role_and_regions(facilitator):
    signed_in(facilitator).post(CANCEL, {"password": PASSWORD})
    user = User.objects.get(pk=facilitator.pk)
    assert user.role == User.Role.PARTICIPANT
    assert not user.regions.exists()
    assert not user.is_staff


def test_other_modules_anonymize_their_own_data_through_the_registry(registry, participant):
    seen = []
    registry.register_anonymizer(lambda user: seen.append((user.pk, user.email)))
    signed_in(participant).post(CANCEL, {"password": PASSWORD})
    # Anonymizers run first, while the person's data can still find their rows.
    assert seen == [(participant.pk, "participante@ejemplo.mx")]


def test_a_failing_anonymizer_cancels_nothing(registry, participant):
    def broken(user):
        raise RuntimeError("the attendance table is locked")

    registry.register_anonymizer(broken)
    client = signed_in(participant)
    client.raise_request_exception = False
    response = client.post(CANCEL, {"password": PASSWORD})
    assert response.status_code == 500
    participant.refresh_from_db()
    assert participant.is_active
    assert participant.full_name == "Ana Pérez"
    assert EmailAddress.objects.filter(user=participant).exists()
    assert not Cancellation.objects.exists()


def test_a_hostile_reason_is_refused(participant):
    response = signed_in(participant).post(
        CANCEL, {"password": PASSWORD, "reason": "x\x00y" + "z" * 300}
    )
    assert response.status_code == 200
    participant.refresh_from_db()
    assert participant.is_active


def test_the_confirmation_page_is_public(as_visitor):
    assert as_visitor.get("/cuenta/cancelada/").status_code == 200
