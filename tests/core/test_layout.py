"""The shared layout: landmarks, skip link, module navigation, language switcher, assets."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders


def html_of(client, path="/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_every_page_has_the_landmarks_and_a_skip_link_to_the_content(as_visitor, db):
    html = html_of(as_visitor)
    assert '<a class="skip-link" href="#contenido">Saltar al contenido</a>' in html
    assert '<main id="contenido"' in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert html.count(landmark) >= 1, landmark
    assert html.count("<h1") == 1


def test_the_navigation_links_built_modules_and_names_the_others_as_coming(as_visitor, db):
    html = html_of(as_visitor)
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    assert '<a href="/directorio/"' in nav
    assert '<a href="/diagnostico/"' in nav
    assert '<a href="/autodiagnostico/"' in nav
    assert '<a href="/encuentros/"' in nav
    assert '<a href="/consultas/"' in nav
    assert '<a href="/convenios/"' in nav
    assert '<a href="/buenas-practicas/"' in nav
    assert '<a href="/agendas/"' in nav
    assert nav.count("<a ") == 8
    assert '<li class="nav-soon">Próximamente: Formación, Redes, Biblioteca</li>' in nav


def test_the_current_module_is_marked_in_the_navigation(as_visitor, db):
    html = html_of(as_visitor, "/directorio/")
    assert '<a href="/directorio/" aria-current="page">' in html


def test_visitors_see_sign_in_links_and_people_see_their_account(as_visitor, as_participant):
    visitor = html_of(as_visitor)
    assert 'href="/cuentas/login/"' in visitor and 'href="/cuentas/signup/"' in visitor
    person = html_of(as_participant)
    assert 'href="/cuenta/"' in person
    assert 'action="/cuentas/logout/"' in person
    assert 'href="/bitacora/"' not in person


def test_coordinators_see_the_audit_trail_link(as_coordinator):
    assert 'href="/bitacora/"' in html_of(as_coordinator)


def test_the_footer_links_the_privacy_notice(as_visitor, db):
    assert 'href="/cuenta/aviso-de-privacidad/"' in html_of(as_visitor)


def test_the_page_loads_one_stylesheet_and_htmx_from_polo_itself(as_visitor, db):
    html = html_of(as_visitor)
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["/static/polo/polo.css"]
    assert re.findall(r'<script src="([^"]+)" defer></script>', html) == [
        "/static/django_htmx/htmx-2.min.js"
    ]
    assert finders.find("django_htmx/htmx-2.min.js")
    assert "http://" not in html.split("<body")[0].replace("http://www.w3.org", "")
    assert "https://" not in html.split("<body")[0]


def test_the_stylesheet_stays_small_and_covers_the_shared_vocabulary():
    path = finders.find("polo/polo.css")
    assert path, "static finders miss polo/polo.css: settings need STATICFILES_DIRS"
    css = Path(path).read_text(encoding="utf-8")
    assert len(css.encode()) <= 12 * 1024
    for name in (
        "container",
        "stack",
        "cluster",
        "grid",
        "card",
        "btn",
        "btn-primary",
        "btn-secondary",
        "btn-danger",
        "link-button",
        "table",
        "table-wrap",
        "form-field",
        "field-help",
        "errorlist",
        "messages",
        "message-success",
        "message-info",
        "message-warning",
        "message-error",
        "badge",
        "muted",
        "stat",
        "stats",
        "map",
        "map-figure",
        "progress",
        "breadcrumbs",
        "visually-hidden",
        "pagination",
        "facet",
        "notice",
        "inline-form",
        "nav-soon",
        "skip-link",
    ):
        assert re.search(rf"\.{name}\b", css), name
    assert ":focus-visible" in css
    assert "prefers-reduced-motion" in css
    assert "@media print" in css


def test_messages_are_shown_in_a_status_region_with_their_level(db):
    from tests import factories as f
    from tests.conftest import client_for

    staff = f.UserFactory(email="sin-totp@ejemplo.mx", role="facilitator")
    response = client_for(staff).get("/", follow=True)  # staff without TOTP: sent to set it up
    html = response.content.decode()
    assert re.search(
        r'<div role="status">\s*<ul class="messages">\s*<li class="message message-warning">'
        r"Tu rol requiere verificación en dos pasos",
        html,
    )
