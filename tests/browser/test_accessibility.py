"""axe-core on every page a visitor or a participant reaches (WCAG 2.1 A/AA; serious and
critical violations fail, each listed with its rule, help and elements).

Pages are visited in one test per kind of visitor rather than one test per page: each
live-server test empties the database afterwards, and that flush, not the page, is what
costs time (on PostgreSQL above all). The failure still names every page and element."""

from __future__ import annotations

from django.urls import reverse

from tests.browser.axe import assert_all_accessible, describe, serious_violations


def public_pages(programme) -> dict[str, str]:
    region, municipality = programme["region"], programme["municipality"]
    return {
        "home": "/",
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
        "password reset": reverse("account_reset_password"),
        "privacy notice": reverse("accounts:privacy_notice"),
        "privacy notice version": programme["notice"].get_absolute_url(),
        "directory": reverse("directory:index"),
        "organization": programme["organization"].get_absolute_url(),
        "territory": reverse("territory:regions"),
        "state": reverse("territory:state", args=[region.state.code]),
        "region": region.get_absolute_url(),
        "municipality": municipality.get_absolute_url(),
    }


PARTICIPANT_PAGES = {
    "profile": "accounts:profile",
    "profile edit": "accounts:profile_edit",
    "cancellation": "accounts:cancel",
    "password change": "account_change_password",
    "e-mail addresses": "account_email",
    "two-factor": "mfa_index",
}


def test_public_pages_have_no_serious_accessibility_violations(page, programme):
    assert_all_accessible(page, public_pages(programme))
    assert page.locator("html").get_attribute("lang") == "es-MX"


def test_the_not_found_page_has_no_serious_accessibility_violations(page, programme):
    assert_all_accessible(page, {"404": "/no-existe-esta-pagina/"}, status=404)


def test_pages_in_english_have_no_serious_accessibility_violations(english_page, programme):
    pages = public_pages(programme)
    assert_all_accessible(
        english_page, {name: pages[name] for name in ("home", "signup", "region")}
    )
    assert english_page.locator("html").get_attribute("lang") == "en"


def test_pages_on_a_phone_have_no_serious_accessibility_violations(phone_page, programme):
    # Narrow screens bring their own problems: wide tables that scroll, menus that wrap.
    assert_all_accessible(phone_page, public_pages(programme))


def test_pages_on_a_phone_do_not_scroll_sideways(phone_page, programme):
    too_wide = {}
    for name, path in public_pages(programme).items():
        phone_page.goto(path)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            too_wide[name] = overflow
    assert not too_wide, f"pages wider than a 390px phone (extra px): {too_wide}"


def test_participant_pages_have_no_serious_accessibility_violations(participant_page, programme):
    paths = {name: reverse(url_name) for name, url_name in PARTICIPANT_PAGES.items()}
    assert_all_accessible(participant_page, paths)
    assert participant_page.locator("header").get_by_role("link", name="Mi cuenta").is_visible()


def test_the_stylesheet_loads_in_the_browser(page, programme):
    stylesheets = []
    page.on(
        "response",
        lambda response: (
            stylesheets.append(response) if response.request.resource_type == "stylesheet" else None
        ),
    )
    page.goto("/")
    assert stylesheets, "the home page links no stylesheet"
    for response in stylesheets:
        assert response.status == 200, f"{response.url} answered {response.status}"
        assert response.headers["content-type"].startswith("text/css")
    rules = page.evaluate(
        "Array.from(document.styleSheets).reduce((n, sheet) => n + sheet.cssRules.length, 0)"
    )
    assert rules > 0, "the stylesheet loaded but holds no rules"


def test_forms_showing_their_errors_have_no_serious_accessibility_violations(page, programme):
    """Errors are where forms most often lose their labels and associations."""
    reports = []
    for name, url_name, values in [
        ("signup", "account_signup", {"email": "no-es-un-correo", "password1": "corta"}),
        ("login", "account_login", {"login": "nadie@ejemplo.mx", "password": "equivocada"}),
        ("password reset", "account_reset_password", {"email": "no-es-un-correo"}),
    ]:
        page.goto(reverse(url_name))
        form = page.locator("main form").filter(has=page.locator("[type=submit]")).last
        # Let the server, not the browser, judge the input: that is the page under test.
        form.evaluate("form => form.noValidate = true")
        for field, value in values.items():
            form.locator(f"[name={field}]").fill(value)
        form.locator("[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.url.endswith(reverse(url_name)), f"{name} accepted bad input"
        assert page.locator("main .errorlist").first.is_visible(), f"{name} shows no error"
        # Each field marked invalid points its screen-reader description at its error.
        unexplained = page.evaluate(
            """() => Array.from(document.querySelectorAll('[aria-invalid="true"]'))
                .filter(field => !(field.getAttribute('aria-describedby') || '').split(/\\s+/)
                    .some(id => document.getElementById(id)?.classList.contains('errorlist')))
                .map(field => field.name)"""
        )
        assert not unexplained, f"{name}: invalid fields without their error: {unexplained}"
        violations = serious_violations(page)
        if violations:
            reports.append(describe(violations, f"{name} with errors"))
    assert not reports, "\n\n".join(reports)
