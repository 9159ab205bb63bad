"""Signing in and out, password reset, and the limit on failed sign-ins."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/cuentas/login/"
TOO_MANY = "Demasiados intentos fallidos. Inténtelo más tarde."


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(LOGIN_URL, {"login": email, "password": password})


def is_signed_in(client: Client) -> bool:
    return client.get("/cuenta/").status_code == 200


def test_the_login_page_is_in_spanish_with_labelled_fields():
    html = Client().get(LOGIN_URL).content.decode()
    assert "Entrar a Polo" in html
    # allauth's own Spanish translations show in es-mx:
    assert "¿Ha olvidado su contraseña?" in html
    assert '<label for="id_login">' in html
    assert '<label for="id_password">' in html
    assert 'href="/cuentas/password/reset/"' in html


def test_a_participant_signs_in_with_email_and_lands_on_the_profile(participant):
    client = Client()
    response = sign_in(client, "PARTICIPANTE@ejemplo.mx")
    assert response.status_code == 302
    assert response["Location"] == "/cuenta/"
    assert is_signed_in(client)


def test_signing_in_sets_the_preferred_language(participant):
    participant.language = "en"
    participant.save()
    client = Client()
    response = sign_in(client, participant.email)
    assert response.cookies["django_language"].value == "en"
    assert 'lang="en"' in client.get("/cuenta/").content.decode()


def test_a_wrong_password_is_refused_in_spanish_with_the_error_tied_to_the_form(participant):
    client = Client()
    response = sign_in(client, participant.email, "no-es-mi-contraseña")
    html = response.content.decode()
    assert response.status_code == 200
    assert "La dirección de correo electrónico y/o la contraseña que ha indicado no son" in html
    assert 'role="alert"' in html
    assert not is_signed_in(client)


def test_after_five_failed_attempts_even_the_right_password_is_refused(participant):
    client = Client()
    for _attempt in range(5):
        response = sign_in(client, participant.email, "no-es-mi-contraseña")
        assert TOO_MANY not in response.content.decode()

    response = sign_in(client, participant.email)

    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert not is_signed_in(client)


def test_the_limit_applies_to_the_account_not_to_other_people(participant, editor):
    client = Client()
    for _attempt in range(5):
        sign_in(client, participant.email, "no-es-mi-contraseña")
    assert sign_in(Client(), editor.email).status_code == 302


def test_logout_needs_a_post_and_asks_first(participant):
    client = Client()
    client.force_login(participant)
    page = client.get("/cuentas/logout/")
    assert page.status_code == 200
    assert "Cerrar sesión" in page.content.decode()
    assert is_signed_in(client)

    response = client.post("/cuentas/logout/")

    assert response.status_code == 302
    assert not is_signed_in(client)


def test_a_forged_logout_without_csrf_token_is_refused(participant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)
    assert client.post("/cuentas/logout/").status_code == 403
    assert is_signed_in(client)


def test_password_reset_sends_a_link_that_sets_a_new_password(participant):
    client = Client()
    response = client.post("/cuentas/password/reset/", {"email": participant.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[Polo] ")
    path = re.search(r"https?://[^/\s]+(/cuentas/password/reset/key/\S+/)", mail.outbox[0].body)
    assert path, mail.outbox[0].body

    form_page = client.get(path.group(1), follow=True)
    assert form_page.status_code == 200
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path.group(1)
    new_password = "Mole-negro-de-Oaxaca-77"
    done = client.post(form_url, {"password1": new_password, "password2": new_password})

    assert done.status_code == 302
    assert sign_in(Client(), participant.email, PASSWORD).status_code == 200
    assert sign_in(Client(), participant.email, new_password).status_code == 302


def test_password_reset_of_an_unknown_email_says_so_and_sends_nothing():
    response = Client().post("/cuentas/password/reset/", {"email": "nadie@ejemplo.mx"})
    # ACCOUNT_PREVENT_ENUMERATION is off in settings: the form says it plainly.
    assert response.status_code == 200
    assert "no está asignada a ninguna cuenta" in response.content.decode()
    assert not mail.outbox


def test_an_inactive_account_cannot_sign_in(participant):
    participant.is_active = False
    participant.save()
    client = Client()
    sign_in(client, participant.email)
    assert not is_signed_in(client)
