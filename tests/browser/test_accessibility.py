"""axe-core on every page a visitor or a participant reaches (WCAG 2.1 A/AA; serious and
critical violations fail, each listed with its rule, help and elements)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f
from tests.browser.axe import assert_accessible

# Each page as a function of the rows the `programme` fixture creates, so that pages
# with a slug or a key are reached through the model's own URL.
PUBLIC_PAGES = {
    "home": lambda rows: "/",
    "login": lambda rows: reverse("account_login"),
    "signup": lambda rows: reverse("account_signup"),
    "password reset": lambda rows: reverse("account_reset_password"),
    "privacy notice": lambda rows: reverse("accounts:privacy_notice"),
    "privacy notice version": lambda rows: rows["notice"].get_absolute_url(),
    "directory": lambda rows: reverse("directory:index"),
    "organization": lambda rows: rows["organization"].get_absolute_url(),
    "territory": lambda rows: reverse("territory:regions"),
    "state": lambda rows: reverse("territory:state", args=[rows["region"].state.code]),
    "region": lambda rows: rows["region"].get_absolute_url(),
    "municipality": lambda rows: rows["municipality"].get_absolute_url(),
}

PARTICIPANT_PAGES = {
    "profile": "accounts:profile",
    "profile edit": "accounts:profile_edit",
    "cancellation": "accounts:cancel",
    "password change": "account_change_password",
    "e-mail addresses": "account_email",
    "two-factor": "mfa_index",
}


@pytest.fixture
def programme(region, other_region, municipality, organization, privacy_notice):
    """Enough territory and directory rows for every public page to show content:
    two regions, a municipality with a community and a published organisation, and
    a current privacy notice."""
    f.CommunityFactory(municipality=municipality, name="San Felipe del Agua")
    f.MunicipalityFactory(code="20068", name="Oaxaca de Prueba", state=region.state, region=region)
    return {
        "region": region,
        "municipality": municipality,
        "organization": organization,
        "notice": privacy_notice,
    }


def open_ok(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, (
        f"{path} answered {response and response.status}"
    )


@pytest.mark.parametrize("path_of", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_serious_accessibility_violations(page, programme, path_of):
    open_ok(page, path_of(programme))
    assert page.locator("html").get_attribute("lang") == "es-MX"
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


@pytest.mark.parametrize("url_name", PARTICIPANT_PAGES.values(), ids=PARTICIPANT_PAGES.keys())
def test_participant_page_has_no_serious_accessibility_violations(
    participant_page, programme, url_name
):
    open_ok(participant_page, reverse(url_name))
    assert participant_page.get_by_role("heading", level=1).first.is_visible()
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
