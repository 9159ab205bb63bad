"""axe-core on every public page (WCAG 2.1 A/AA; serious and critical violations fail)."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.browser.axe import assert_accessible

PUBLIC_PAGES = {
    "home": "/",
    "login": "/cuentas/login/",
    "signup": "/cuentas/signup/",
    "password reset": "/cuentas/password/reset/",
    "privacy notice": "/cuenta/aviso-de-privacidad/",
    "directory": "/directorio/",
}


@pytest.fixture
def programme(region, municipality, organization, privacy_notice):
    """Enough territory and directory rows for every public page to show content:
    a region with a municipality, a published organisation there, a current notice."""
    f.CommunityFactory(municipality=municipality, name="San Felipe del Agua")
    return {"region": region, "municipality": municipality}


def open_ok(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path} answered {response}"


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_serious_accessibility_violations(page, programme, path):
    open_ok(page, path)
    assert_accessible(page)


def test_region_page_has_no_serious_accessibility_violations(page, programme):
    open_ok(page, programme["region"].get_absolute_url())
    assert_accessible(page)


def test_municipality_page_has_no_serious_accessibility_violations(page, programme):
    open_ok(page, programme["municipality"].get_absolute_url())
    assert_accessible(page)


def test_not_found_page_has_no_serious_accessibility_violations(page, programme):
    response = page.goto("/no-existe-esta-pagina/")
    assert response is not None and response.status == 404
    assert_accessible(page)


def test_home_page_in_english_has_no_serious_accessibility_violations(english_page, programme):
    open_ok(english_page, "/")
    assert english_page.locator("html").get_attribute("lang") == "en"
    assert_accessible(english_page)


def test_home_page_on_a_phone_has_no_serious_accessibility_violations(phone_page, programme):
    open_ok(phone_page, "/")
    assert_accessible(phone_page)


def test_home_page_on_a_phone_does_not_scroll_sideways(phone_page, programme):
    open_ok(phone_page, "/")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the home page is {overflow}px wider than a 390px phone"


def test_profile_page_has_no_serious_accessibility_violations(participant_page, programme):
    open_ok(participant_page, "/cuenta/")
    assert participant_page.get_by_role("heading", level=1).is_visible()
    assert_accessible(participant_page)


def test_stylesheet_loads_in_the_browser(page, programme):
    stylesheets = []
    page.on(
        "response",
        lambda response: (
            stylesheets.append(response) if response.request.resource_type == "stylesheet" else None
        ),
    )
    open_ok(page, "/")
    assert stylesheets, "the home page links no stylesheet"
    for response in stylesheets:
        assert response.status == 200, f"{response.url} answered {response.status}"
        assert response.headers["content-type"].startswith("text/css")
    rules = page.evaluate(
        "Array.from(document.styleSheets).reduce((n, sheet) => n + sheet.cssRules.length, 0)"
    )
    assert rules > 0, "the stylesheet loaded but holds no rules"
