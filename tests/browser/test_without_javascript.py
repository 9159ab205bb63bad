"""The forms work with JavaScript switched off: log in, switch language, log out."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import PASSWORD


def test_a_person_logs_in_and_switches_language_without_javascript(new_context, participant):
    context = new_context(java_script_enabled=False)
    probe = context.new_page()
    probe.set_content("<p id=out>off</p><script>out.textContent = 'on'</script>")
    expect(probe.locator("#out")).to_have_text("off")  # scripts really are off

    page = context.new_page()
    page.goto(reverse("account_login"))
    form = page.locator("form").filter(has=page.locator("[name=password]"))
    form.locator("[name=login]").fill(participant.email)
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").last.click()

    header = page.locator("header")
    expect(header.get_by_role("link", name="Mi cuenta")).to_be_visible()
    assert page.url.endswith(reverse("accounts:profile"))

    header.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith(reverse("accounts:profile")), "the switch left the page"

    page.locator("header").get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es-MX")

    page.locator("header").get_by_role("button", name="Salir").click()
    expect(page.locator("header").get_by_role("link", name="Entrar")).to_be_visible()
