"""The profile page and rectification of one's own data."""

from __future__ import annotations

import pytest
from django.test import Client

from polo.accounts.models import Consent, User
from tests import factories as f

pytestmark = pytest.mark.django_db

EDIT = "/cuenta/editar/"


def test_the_profile_shows_my_data_role_organisations_consents_and_links(
    as_editor, editor, organization, privacy_notice
):
    Consent.objects.create(user=editor, notice=privacy_notice)
    html = as_editor.get("/cuenta/").content.decode()
    assert "Rosa Martínez" in html
    assert "editora@ejemplo.mx" in html
    assert "Participante" in html
    assert "Mujeres de los Valles A.C." in html
    assert privacy_notice.version in html
    for link in (
        "/cuenta/editar/",
        "/cuenta/mis-datos.json",
        "/cuenta/cancelar/",
        "/cuentas/password/change/",
        "/cuentas/2fa/",
        "/cuentas/email/",
    ):
        assert f'href="{link}"' in html


def test_a_facilitator_sees_their_role_and_regions(as_facilitator, region):
    html = as_facilitator.get("/cuenta/").content.decode()
    assert "Facilitador(a)" in html
    assert "Valles Centrales" in html
    assert "La verificación en dos pasos está activa." in html


def test_the_profile_shows_nobody_elses_data(as_participant, editor, facilitator, organization):
    html = as_participant.get("/cuenta/").content.decode()
    assert "Ana Pérez" in html
    for other in ("Rosa Martínez", "editora@ejemplo.mx", "Luis Hernández", organization.name):
        assert other not in html


def test_the_profile_asks_to_accept_the_current_notice_when_not_yet_accepted(as_participant):
    html = as_participant.get("/cuenta/").content.decode()
    assert "No has aceptado la versión vigente del aviso de privacidad (2026-11)" in html


def test_the_edit_form_is_filled_with_my_data_and_labelled(as_participant, participant):
    html = as_participant.get(EDIT).content.decode()
    assert 'value="Ana Pérez"' in html
    for field in ("full_name", "municipality", "language"):
        assert f'<label for="id_{field}">' in html


def test_the_edit_form_offers_only_municipalities_of_the_programme_states(
    as_participant, municipality, other_municipality
):
    f.MunicipalityFactory(
        code="09015", name="Cuauhtémoc", state=f.StateFactory(code="09", name="Ciudad de México")
    )
    html = as_participant.get(EDIT).content.decode()
    assert "Oaxaca de Juárez (Oaxaca)" in html
    assert "Malinaltepec (Guerrero)" in html
    assert "Cuauhtémoc" not in html


def test_a_person_rectifies_their_name_place_and_language(
    as_participant, participant, municipality
):
    response = as_participant.post(
        EDIT, {"full_name": "Ana  Pérez Cruz", "municipality": municipality.pk, "language": "en"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/cuenta/"
    assert response.cookies["django_language"].value == "en"
    participant.refresh_from_db()
    assert participant.full_name == "Ana Pérez Cruz"
    assert participant.municipality == municipality
    assert participant.language == "en"
    latest = participant.history.order_by("-history_date").first()
    assert latest.full_name == "Ana Pérez Cruz"
    assert latest.history_user_id == participant.pk


def test_a_person_can_clear_their_municipality(as_participant, participant, municipality):
    participant.municipality = municipality
    participant.save()
    as_participant.post(EDIT, {"full_name": "Ana Pérez", "municipality": "", "language": "es-mx"})
    participant.refresh_from_db()
    assert participant.municipality is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"full_name": "<img src=x onerror=alert(1)>"}, "full_name", "caracteres no permitidos"),
        ({"full_name": "Ana\x1bPérez"}, "full_name", "caracteres no permitidos"),
        ({"full_name": "x" * 100_000}, "full_name", "150 caracteres"),
        ({"full_name": ""}, "full_name", "Este campo es obligatorio."),
        ({"municipality": "999999"}, "municipality", "Seleccione una opción válida"),
        ({"municipality": "09015"}, "municipality", "Seleccione una opción válida"),
        ({"language": "fr"}, "language", "Seleccione una opción válida"),
    ],
    ids=["markup", "escape", "huge", "empty", "no-such-municipality", "wrong-kind", "language"],
)
def test_it_rejects_bad_rectifications_in_spanish_and_changes_nothing(
    as_participant, participant, data, field, message
):
    payload = {"full_name": "Ana Pérez", "municipality": "", "language": "es-mx", **data}
    response = as_participant.post(EDIT, payload)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert f'aria-describedby="id_{field}' in html
    participant.refresh_from_db()
    assert participant.full_name == "Ana Pérez"
    assert participant.language == "es-mx"


def test_a_forged_rectification_without_csrf_token_is_refused(participant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)
    response = client.post(EDIT, {"full_name": "Otro Nombre", "language": "es-mx"})
    assert response.status_code == 403
    participant.refresh_from_db()
    assert participant.full_name == "Ana Pérez"


def test_the_email_cannot_be_changed_through_the_profile_form(as_participant, participant):
    as_participant.post(
        EDIT, {"full_name": "Ana Pérez", "language": "es-mx", "email": "otra@ejemplo.mx"}
    )
    assert User.objects.get(pk=participant.pk).email == "participante@ejemplo.mx"


def test_the_email_page_lists_my_addresses_in_a_labelled_group(as_participant):
    html = as_participant.get("/cuentas/email/").content.decode()
    assert "<legend>Correos asociados a tu cuenta</legend>" in html
    assert "participante@ejemplo.mx" in html
    assert "Verificado" in html
    assert "account/js" not in html  # allauth's confirmation script is left out
