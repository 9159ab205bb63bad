"""Sign-up, end to end and with bad input: e-mail verification, consent, Spanish messages."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import timezone

from polo.accounts.models import Consent, PrivacyNotice, User
from tests import factories as f
from tests.accounts.conftest import (
    SIGNUP_URL,
    STRONG_PASSWORD,
    confirmation_link,
    signup_data,
)

pytestmark = pytest.mark.django_db


def nothing_created() -> bool:
    return (
        not User.objects.filter(email="lupita@ejemplo.mx").exists()
        and not EmailAddress.objects.filter(email="lupita@ejemplo.mx").exists()
        and not Consent.objects.exists()
        and not mail.outbox
    )


def test_the_sign_up_page_is_in_spanish_and_links_the_current_notice():
    response = Client().get(SIGNUP_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="es-MX"' in html
    assert "Crear cuenta" in html
    assert "Aviso de privacidad simplificado" in html
    assert 'href="/cuenta/aviso-de-privacidad/2026-11/"' in html
    assert "versión 2026-11" in html


def test_it_signs_up_verifies_the_email_and_records_consent_with_the_version():
    client = Client()
    before = timezone.now()

    response = client.post(SIGNUP_URL, signup_data(email="Lupita@Ejemplo.MX"))

    assert response.status_code == 302
    assert response["Location"] == "/cuentas/confirm-email/"
    sent = client.get(response["Location"]).content.decode()
    assert "Te enviamos un mensaje con un enlace para confirmar tu correo." in sent
    user = User.objects.get(email="lupita@ejemplo.mx")
    assert user.full_name == "Guadalupe Santiago López"
    assert user.language == "es-mx"
    assert not EmailAddress.objects.get(user=user).verified
    consent = Consent.objects.get(user=user)
    assert consent.notice.version == "2026-11"
    assert consent.accepted_at >= before
    # Until the address is verified, the person is not signed in.
    assert client.get("/cuenta/").status_code == 302

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lupita@ejemplo.mx"]
    assert message.subject.startswith("[Polo] ")
    link = confirmation_link(message)

    page = client.get(link)
    assert page.status_code == 200
    assert "Confirmar" in page.content.decode()
    confirmed = client.post(link)

    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/cuenta/"
    assert EmailAddress.objects.get(user=user).verified
    profile = client.get("/cuenta/")
    assert profile.status_code == 200
    html = profile.content.decode()
    assert "Guadalupe Santiago López" in html
    assert "2026-11" in html


def test_the_account_history_starts_with_the_name():
    Client().post(SIGNUP_URL, signup_data())
    user = User.objects.get(email="lupita@ejemplo.mx")
    first = user.history.order_by("history_date").first()
    assert first.full_name == "Guadalupe Santiago López"


def test_it_records_english_as_the_language_of_someone_signing_up_in_english():
    client = Client()
    client.cookies["django_language"] = "en"
    client.post(SIGNUP_URL, signup_data())
    assert User.objects.get(email="lupita@ejemplo.mx").language == "en"


def test_it_rejects_a_taken_email_in_spanish_and_creates_nothing(participant):
    response = Client().post(SIGNUP_URL, signup_data(email="PARTICIPANTE@ejemplo.mx"))
    assert response.status_code == 200
    assert "Ya hay registrado un usuario con esta dirección de correo electrónico." in (
        response.content.decode()
    )
    assert User.objects.filter(email="participante@ejemplo.mx").count() == 1
    assert not Consent.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("corta1", "La contraseña es demasiado corta"),
        ("1234567890123", "Esta contraseña es totalmente numérica"),
        ("password1234", "Esta contraseña es muy común"),
        ("lupita@ejemplo.mx", "La contraseña es muy similar a"),
    ],
)
def test_it_rejects_a_weak_password_in_spanish_and_creates_nothing(password, message):
    response = Client().post(SIGNUP_URL, signup_data(password1=password, password2=password))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_created()


def test_it_rejects_two_different_passwords():
    response = Client().post(SIGNUP_URL, signup_data(password2="Otra-contraseña-distinta-1"))
    assert "Debe escribir la misma contraseña cada vez." in response.content.decode()
    assert nothing_created()


def test_it_refuses_sign_up_without_consent_in_spanish_and_creates_nothing():
    response = Client().post(SIGNUP_URL, signup_data(accept_privacy=None))
    assert response.status_code == 200
    assert "Para crear una cuenta debes aceptar el aviso de privacidad." in (
        response.content.decode()
    )
    assert nothing_created()


def test_sign_up_is_closed_without_a_current_notice():
    PrivacyNotice.objects.update(is_current=False)
    client = Client()

    page = client.get(SIGNUP_URL)
    response = client.post(SIGNUP_URL, signup_data())

    for answer in (page, response):
        assert answer.status_code == 200
        html = answer.content.decode()
        assert "Registro cerrado" in html
        assert "no hay un aviso de privacidad vigente" in html
    assert nothing_created()


def test_it_records_consent_to_the_notice_current_at_sign_up(privacy_notice):
    # The shared fixture publishes 2026-01, which retires 2026-11.
    Client().post(SIGNUP_URL, signup_data())
    consent = Consent.objects.get(user__email="lupita@ejemplo.mx")
    assert consent.notice == privacy_notice


def test_an_expired_confirmation_link_says_so_in_spanish_and_verifies_nothing():
    client = Client()
    client.post(SIGNUP_URL, signup_data())
    link = confirmation_link(mail.outbox[0])

    # ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS is 3.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        page = client.get(link)
        # A form left open until the link expired: refused too.
        late = client.post(link)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Este enlace para confirmar tu correo caducó o no es válido." in html
    assert 'href="/cuentas/login/"' in html
    assert late.status_code == 404
    assert not EmailAddress.objects.get(email="lupita@ejemplo.mx").verified
    assert client.get("/cuenta/").status_code == 302


def test_the_link_still_works_on_its_last_day():
    client = Client()
    client.post(SIGNUP_URL, signup_data())
    link = confirmation_link(mail.outbox[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, hours=23)):
        client.post(link)
    assert EmailAddress.objects.get(email="lupita@ejemplo.mx").verified


def test_a_tampered_confirmation_link_verifies_nothing():
    client = Client()
    client.post(SIGNUP_URL, signup_data())
    link = confirmation_link(mail.outbox[0])
    forged = link[:-7] + "AAAAAA/"
    page = client.get(forged)
    assert "caducó o no es válido" in page.content.decode()
    assert client.post(forged).status_code == 404
    assert not EmailAddress.objects.get(email="lupita@ejemplo.mx").verified


def test_signing_in_with_an_unverified_email_sends_a_new_link():
    client = Client()
    client.post(SIGNUP_URL, signup_data())
    mail.outbox.clear()
    # allauth sends at most one confirmation per address every three minutes.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        response = client.post(
            "/cuentas/login/", {"login": "lupita@ejemplo.mx", "password": STRONG_PASSWORD}
        )
        assert client.get("/cuenta/").status_code == 302
        client.post(confirmation_link(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == "/cuentas/confirm-email/"
    assert len(mail.outbox) == 1
    assert EmailAddress.objects.get(email="lupita@ejemplo.mx").verified


def test_a_forged_sign_up_without_csrf_token_is_refused_and_creates_nothing():
    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGNUP_URL, signup_data())
    assert response.status_code == 403
    assert nothing_created()


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert('x')</script>",
        "Ana <b>Pérez</b>",
        "Ana\x07Pérez",
        "Ana\x7fPérez",
        "Ana\u202ezeréP",
        "Ana\x00Pérez",
        "x" * 100_000,
        "   ",
        "12345",
    ],
    ids=["script", "markup", "bell", "delete", "bidi-override", "null", "huge", "blank", "digits"],
)
def test_it_rejects_a_hostile_name_and_creates_nothing(name):
    response = Client().post(SIGNUP_URL, signup_data(full_name=name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_full_name_error"' in html
    assert "<script>alert" not in html
    assert nothing_created()


def test_it_accepts_names_with_accents_apostrophes_and_hyphens_and_tidies_spaces():
    Client().post(SIGNUP_URL, signup_data(full_name="  María  José Ñuñez-O'Connor\tYáñez "))
    user = User.objects.get(email="lupita@ejemplo.mx")
    assert user.full_name == "María José Ñuñez-O'Connor Yáñez"


def test_a_second_sign_up_with_the_email_of_an_unverified_account_is_refused():
    Client().post(SIGNUP_URL, signup_data())
    mail.outbox.clear()
    response = Client().post(SIGNUP_URL, signup_data(full_name="Otra Persona"))
    assert "Ya hay registrado un usuario" in response.content.decode()
    assert User.objects.filter(email="lupita@ejemplo.mx").count() == 1


def test_signed_in_people_are_sent_away_from_the_sign_up_page(participant):
    client = Client()
    client.force_login(participant)
    response = client.get(SIGNUP_URL)
    assert response.status_code == 302


def test_the_factory_notice_and_the_published_one_are_never_both_current():
    f.PrivacyNoticeFactory(version="2027-01")
    current = PrivacyNotice.objects.filter(is_current=True).values_list("version", flat=True)
    assert list(current) == ["2027-01"]
