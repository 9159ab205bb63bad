"""Two-factor authentication: staff must use it; the full sign-in with a real TOTP code."""

from __future__ import annotations

import datetime
import re
import time

import pyotp
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client

from polo.accounts.models import User
from tests import factories as f
from tests.factories import PASSWORD, TOTP_SECRET

pytestmark = pytest.mark.django_db

ACTIVATE = "/cuentas/2fa/totp/activate/"
AUTHENTICATE = "/cuentas/2fa/authenticate/"


@pytest.fixture
def frozen_mid_window():
    """Stop the clock in the middle of a 30-second TOTP window, so that a code
    computed here is the code the server expects (no tolerance is configured)."""
    now = time.time()
    instant = now - (now % 30) + 15
    with time_machine.travel(datetime.datetime.fromtimestamp(instant, tz=datetime.UTC), tick=False):
        yield


@pytest.fixture
def staff_without_totp(region):
    user = f.UserFactory(email="nuevo.facilitador@ejemplo.mx", role=User.Role.FACILITATOR)
    user.regions.add(region)
    return user


@pytest.fixture
def coordinator_without_totp():
    return f.UserFactory(
        email="nueva.coordinacion@ejemplo.mx", role=User.Role.COORDINATOR, is_staff=True
    )


def reauthenticate(client: Client, next_url: str) -> None:
    """allauth asks for the password again before two-factor changes, even
    right after signing in (a stolen open session is not enough)."""
    response = client.get(next_url)
    assert response.status_code == 302
    assert response["Location"].startswith("/cuentas/reauthenticate/")
    page = client.get(response["Location"])
    assert '<label for="id_password">' in page.content.decode()
    done = client.post(response["Location"], {"password": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == next_url


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", ["/", "/directorio/", "/cuenta/", "/bitacora/", "/admin/"])
@pytest.mark.parametrize("who", ["staff_without_totp", "coordinator_without_totp"])
def test_staff_without_totp_are_sent_to_set_it_up_from_every_other_page(request, who, path):
    client = signed_in(request.getfixturevalue(who))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


@pytest.mark.parametrize(
    "path",
    ["/cuentas/2fa/", "/cuentas/logout/", "/cuenta/aviso-de-privacidad/", "/healthz"],
)
def test_staff_without_totp_can_still_reach_the_pages_to_comply_or_leave(staff_without_totp, path):
    assert signed_in(staff_without_totp).get(path).status_code == 200


def test_the_activation_page_says_why_in_spanish(staff_without_totp):
    client = Client()
    client.post("/cuentas/login/", {"login": staff_without_totp.email, "password": PASSWORD})
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0] == ACTIVATE
    assert "Tu rol requiere verificación en dos pasos." in response.content.decode()
    reauthenticate(client, ACTIVATE)
    assert '<label for="id_code">' in client.get(ACTIVATE).content.decode()


def test_staff_with_totp_go_anywhere(as_facilitator, as_coordinator):
    assert as_facilitator.get("/").status_code == 200
    assert as_coordinator.get("/bitacora/").status_code == 200


def test_participants_are_not_asked_for_two_factor(as_participant):
    assert as_participant.get("/").status_code == 200


def test_the_requirement_can_be_switched_off(settings, staff_without_totp):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    assert signed_in(staff_without_totp).get("/").status_code == 200


def test_a_staff_sign_in_asks_for_the_code_and_accepts_the_one_from_the_app(
    facilitator, frozen_mid_window
):
    client = Client()
    response = client.post("/cuentas/login/", {"login": facilitator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == AUTHENTICATE
    # The password alone does not sign in.
    assert client.get("/cuenta/").status_code == 302

    page = client.get(AUTHENTICATE)
    assert page.status_code == 200
    assert "Autenticación de doble factor" in page.content.decode()

    wrong = client.post(AUTHENTICATE, {"code": "000000"})
    assert "Código incorrecto." in wrong.content.decode()
    assert 'aria-invalid="true"' in wrong.content.decode()
    assert client.get("/cuenta/").status_code == 302

    code = pyotp.TOTP(TOTP_SECRET).now()
    done = client.post(AUTHENTICATE, {"code": code})

    assert done.status_code == 302
    assert done["Location"] == "/cuenta/"
    assert client.get("/cuenta/").status_code == 200
    assert client.get("/").status_code == 200


def test_a_code_cannot_be_used_twice(facilitator, frozen_mid_window):
    code = pyotp.TOTP(TOTP_SECRET).now()
    first = Client()
    first.post("/cuentas/login/", {"login": facilitator.email, "password": PASSWORD})
    first.post(AUTHENTICATE, {"code": code})
    second = Client()
    second.post("/cuentas/login/", {"login": facilitator.email, "password": PASSWORD})
    response = second.post(AUTHENTICATE, {"code": code})
    assert "Código incorrecto." in response.content.decode()
    assert second.get("/cuenta/").status_code == 302


def test_a_recovery_code_signs_in_instead_of_the_app(facilitator):
    codes = RecoveryCodes.activate(facilitator).get_unused_codes()
    client = Client()
    client.post("/cuentas/login/", {"login": facilitator.email, "password": PASSWORD})
    response = client.post(AUTHENTICATE, {"code": codes[0]})
    assert response.status_code == 302
    assert client.get("/cuenta/").status_code == 200


def test_staff_activate_totp_from_the_secret_on_the_page_and_get_recovery_codes(
    staff_without_totp, frozen_mid_window
):
    client = Client()
    client.post("/cuentas/login/", {"login": staff_without_totp.email, "password": PASSWORD})
    reauthenticate(client, ACTIVATE)
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    text = page.content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', text).group(1)
    assert 'aria-describedby="authenticator_secret_helptext"' in text
    # On a phone there is no second screen to scan from: a link opens the app.
    assert (
        f'href="otpauth://totp/nuevo.facilitador%40ejemplo.mx?secret={secret}&amp;issuer=Polo"'
        in (text)
    )

    wrong = client.post(ACTIVATE, {"code": "123456"})
    assert "Código incorrecto." in wrong.content.decode()
    assert not Authenticator.objects.filter(user=staff_without_totp).exists()

    response = client.post(ACTIVATE, {"code": pyotp.TOTP(secret).now()})

    assert response.status_code == 302
    types = set(
        Authenticator.objects.filter(user=staff_without_totp).values_list("type", flat=True)
    )
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get("/").status_code == 200
    codes_page = client.get("/cuentas/2fa/recovery-codes/")
    assert codes_page.status_code == 200
    assert "Códigos de recuperación" in codes_page.content.decode()
    assert '<label for="recovery_codes">' in codes_page.content.decode()


def test_a_participant_deactivates_totp(participant, frozen_mid_window):
    f.give_totp(participant)
    client = Client()
    client.post("/cuentas/login/", {"login": participant.email, "password": PASSWORD})
    client.post(AUTHENTICATE, {"code": pyotp.TOTP(TOTP_SECRET).now()})
    reauthenticate(client, "/cuentas/2fa/totp/deactivate/")
    assert client.get("/cuentas/2fa/totp/deactivate/").status_code == 200

    response = client.post("/cuentas/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=participant, type=Authenticator.Type.TOTP).exists()


def test_the_two_factor_page_is_in_spanish_inside_polo(as_participant):
    text = as_participant.get("/cuentas/2fa/").content.decode()
    assert "Autenticación de doble factor" in text
    assert 'class="breadcrumbs"' in text
    assert 'href="/cuentas/2fa/totp/activate/"' in text
