"""The privacy notice: its pages, its versions, and accepting a new one."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from polo.accounts.models import Consent, PrivacyNotice
from tests import factories as f

pytestmark = pytest.mark.django_db

NOTICE = "/cuenta/aviso-de-privacidad/"
ACCEPT = "/cuenta/aviso-de-privacidad/aceptar/"


@pytest.fixture
def accepted_old_notice(participant, privacy_notice):
    """The participant accepted 2026-01; then 2026-11 became current again."""
    Consent.objects.create(user=participant, notice=privacy_notice)
    new = PrivacyNotice.objects.get(version="2026-11")
    new.is_current = True
    new.save()
    return new


def test_the_published_notice_covers_what_the_law_asks():
    html = Client().get(NOTICE).content.decode()
    assert "Aviso de privacidad integral" in html
    assert "Versión 2026-11" in html
    for section in (
        "Quién es responsable de tus datos",
        "Qué datos personales tratamos",
        "Datos personales sensibles",
        "Para qué usamos tus datos",
        "Con quién compartimos tus datos",
        "Tus derechos ARCO y cómo ejercerlos en Polo",
        "Revocación del consentimiento",
        "Cambios a este aviso",
    ):
        assert f"{section}</h2>" in html
    assert "autoadscripción indígena" in html.lower()
    assert "Ley Federal de Protección de Datos Personales en Posesión de los Particulares" in html
    # The contact address comes from settings, not from the text.
    assert "privacidad@polo.local" in html
    assert "[correo-de-privacidad]" not in html


def test_the_notice_reads_in_english_for_english_readers():
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get(NOTICE).content.decode()
    assert "Your ARCO rights and how to exercise them in Polo" in html


def test_the_privacy_contact_follows_the_setting(settings):
    settings.PRIVACY_CONTACT_EMAIL = "datos@consorcio.org.mx"
    assert "datos@consorcio.org.mx" in Client().get(NOTICE).content.decode()


def test_earlier_versions_stay_reachable_and_say_they_are_superseded(privacy_notice):
    # The fixture published 2026-01 as current; make 2026-11 current again.
    newest = PrivacyNotice.objects.get(version="2026-11")
    newest.is_current = True
    newest.save()

    old = Client().get(f"{NOTICE}2026-01/")
    assert old.status_code == 200
    assert "Aviso de privacidad de prueba." in old.content.decode()
    assert "Esta versión ya no está vigente." in old.content.decode()

    index = Client().get(NOTICE).content.decode()
    assert 'href="/cuenta/aviso-de-privacidad/2026-01/"' in index
    assert 'href="/cuenta/aviso-de-privacidad/2026-11/"' in index


def test_an_unknown_version_is_not_found():
    assert Client().get(f"{NOTICE}1999-01/").status_code == 404


def test_the_notice_page_says_when_there_is_no_current_notice():
    PrivacyNotice.objects.update(is_current=False)
    response = Client().get(NOTICE)
    assert response.status_code == 200
    assert "Por ahora no hay un aviso de privacidad vigente." in response.content.decode()


def test_notice_text_is_escaped_not_rendered_as_html():
    f.PrivacyNoticeFactory(
        version="2027-01", text_es="## Título\n\n<script>alert(1)</script>\n\n- uno\n- dos"
    )
    html = Client().get(NOTICE).content.decode()
    assert "<h2>Título</h2>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<ul><li>uno</li><li>dos</li></ul>" in html


def test_publishing_a_new_version_retires_the_previous_one():
    PrivacyNotice.objects.create(
        version="2027-06", published_on=datetime.date(2027, 6, 1), text_es="x", is_current=True
    )
    assert PrivacyNotice.current().version == "2027-06"
    assert not PrivacyNotice.objects.get(version="2026-11").is_current
    assert PrivacyNotice.history.filter(version="2026-11", is_current=False).exists()


def test_someone_who_accepted_an_older_notice_is_asked_to_accept_the_new_one(
    privacy_middleware, participant, accepted_old_notice
):
    client = Client()
    client.force_login(participant)

    response = client.get("/directorio/?q=agua")

    assert response.status_code == 302
    assert response["Location"] == f"{ACCEPT}?next=%2Fdirectorio%2F%3Fq%3Dagua"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Actualizamos el aviso de privacidad" in html
    assert "2026-11" in html
    assert '<label for="id_accept_privacy">' in html


def test_accepting_the_new_notice_records_it_and_returns_to_the_page(
    privacy_middleware, participant, accepted_old_notice
):
    client = Client()
    client.force_login(participant)

    refused = client.post(ACCEPT, {"next": "/directorio/"})
    assert "Para seguir usando tu cuenta debes aceptar el aviso de privacidad." in (
        refused.content.decode()
    )
    assert not participant.has_accepted(accepted_old_notice)

    response = client.post(ACCEPT, {"accept_privacy": "on", "next": "/directorio/"})

    assert response.status_code == 302
    assert response["Location"] == "/directorio/"
    assert participant.has_accepted(accepted_old_notice)
    assert client.get("/directorio/").status_code == 200


def test_the_acceptance_page_never_redirects_elsewhere(
    privacy_middleware, participant, accepted_old_notice
):
    client = Client()
    client.force_login(participant)
    response = client.post(
        ACCEPT, {"accept_privacy": "on", "next": "https://ejemplo-malicioso.com/"}
    )
    assert response["Location"] == "/cuenta/"


@pytest.mark.parametrize(
    "path", ["/cuentas/logout/", NOTICE, f"{NOTICE}2026-01/", "/cuentas/email/", "/healthz"]
)
def test_the_pages_to_read_or_leave_stay_open_before_accepting(
    privacy_middleware, participant, accepted_old_notice, path
):
    client = Client()
    client.force_login(participant)
    assert client.get(path).status_code == 200


def test_a_form_posted_before_the_change_is_not_lost(
    privacy_middleware, participant, accepted_old_notice
):
    client = Client()
    client.force_login(participant)
    response = client.post("/cuenta/editar/", {"full_name": "Ana Pérez Ruiz", "language": "es-mx"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.full_name == "Ana Pérez Ruiz"


def test_htmx_fragments_are_not_replaced_by_the_acceptance_page(
    privacy_middleware, participant, accepted_old_notice
):
    client = Client()
    client.force_login(participant)
    assert client.get("/", headers={"HX-Request": "true"}).status_code == 200
    assert client.get("/").status_code == 302


def test_people_who_accepted_the_current_notice_are_not_asked(privacy_middleware, participant):
    Consent.objects.create(user=participant, notice=PrivacyNotice.current())
    client = Client()
    client.force_login(participant)
    assert client.get("/").status_code == 200


def test_accounts_that_never_consented_are_not_interrupted(privacy_middleware, as_participant):
    # Accounts made outside sign-up (admin, demo data): see the middleware docstring.
    assert as_participant.get("/").status_code == 200


def test_visitors_are_never_asked(privacy_middleware, as_visitor):
    assert as_visitor.get("/").status_code == 200


def test_the_acceptance_page_sends_back_when_there_is_nothing_to_accept(
    as_participant, participant
):
    Consent.objects.create(user=participant, notice=PrivacyNotice.current())
    response = as_participant.get(f"{ACCEPT}?next=/directorio/")
    assert response.status_code == 302
    assert response["Location"] == "/directorio/"
