"""Error pages (403, 404, 500, CSRF failure) in the site's layout and language."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.test import Client, override_settings

from polo.accounts.models import User


def test_the_404_page_is_in_spanish_in_the_layout(as_visitor, db):
    response = as_visitor.get("/no-existe-esta-pagina/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="es-MX">' in html
    assert "<h1>No encontramos esta página</h1>" in html
    assert '<nav class="site-nav"' in html and 'href="/directorio/"' in html
    assert 'href="/static/polo/polo.css"' in html


def test_the_404_page_follows_the_language_chosen_with_the_switcher(as_visitor, db):
    as_visitor.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = as_visitor.get("/no-existe-esta-pagina/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert 'name="language" value="es-mx"' in html


def test_the_403_page_explains_in_the_layout(as_participant):
    response = as_participant.get("/bitacora/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>No tienes permiso para ver esta página</h1>" in html
    assert '<main id="contenido"' in html


@pytest.mark.urls("tests.core.urls_boom")
def test_the_500_page_is_in_spanish_and_keeps_the_stylesheet(db):
    response = Client(raise_request_exception=False).get("/falla/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="es-MX">' in html
    assert "<h1>Algo salió mal</h1>" in html
    assert 'href="/static/polo/polo.css"' in html


@pytest.mark.urls("tests.core.urls_boom")
def test_the_500_page_renders_even_when_the_context_processors_fail(db):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append(
        "tests.core.urls_boom.broken_context_processor"
    )
    with override_settings(TEMPLATES=templates):
        response = Client(raise_request_exception=False).get("/falla/")
    assert response.status_code == 500
    assert "<h1>Algo salió mal</h1>" in response.content.decode()


@pytest.mark.urls("tests.core.urls_boom")
def test_the_500_page_falls_back_to_plain_html_when_its_template_is_missing(db):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = []
    with override_settings(TEMPLATES=templates):
        response = Client(raise_request_exception=False).get("/falla/")
    assert response.status_code == 500
    assert "<h1>Algo salió mal</h1>" in response.content.decode()


@pytest.mark.urls("tests.core.urls_boom")
def test_a_404_page_that_fails_to_render_ends_in_the_500_page_not_a_loop(db):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append(
        "tests.core.urls_boom.broken_context_processor"
    )
    with override_settings(TEMPLATES=templates):
        response = Client(raise_request_exception=False).get("/no-existe/")
    assert response.status_code == 500
    assert "<h1>Algo salió mal</h1>" in response.content.decode()


def forged_language_change(client):
    """A form posted without its CSRF token, as a forged or stale form would be."""
    return client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_a_form_without_its_csrf_token_explains_in_spanish_and_changes_nothing(db):
    client = Client(enforce_csrf_checks=True)
    response = forged_language_change(client)
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>El formulario caducó</h1>" in html
    assert "Vuelve a cargar la página" in html
    assert '<html lang="es-MX">' in client.get("/").content.decode()


@override_settings(CSRF_FAILURE_VIEW="polo.core.views.csrf_failure")
def test_polos_csrf_view_shows_the_layout_and_mentions_blocked_cookies(db):
    response = forged_language_change(Client(enforce_csrf_checks=True))
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>El formulario caducó</h1>" in html
    assert '<nav class="site-nav"' in html
    assert "cookie de seguridad" in html


@override_settings(CSRF_FAILURE_VIEW="polo.core.views.csrf_failure")
def test_a_forged_sign_up_creates_no_account(db, privacy_notice):
    client = Client(enforce_csrf_checks=True)
    client.get("/cuentas/signup/")  # the visitor has a CSRF cookie, but sends no token
    response = client.post(
        "/cuentas/signup/",
        {
            "email": "forjada@ejemplo.mx",
            "password1": "contraseña-segura-2026",
            "password2": "contraseña-segura-2026",
            "full_name": "Forjada",
            "consent": "on",
        },
    )
    assert response.status_code == 403
    assert "El formulario caducó" in response.content.decode()
    assert "cookie de seguridad" not in response.content.decode()
    assert not User.objects.filter(email="forjada@ejemplo.mx").exists()
