"""A person's whole way through accounts, in the browser: sign up, confirm the e-mail,
log out, log in, switch language and back, log out."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from polo.accounts.models import Consent, User
from tests.factories import PASSWORD

ENGLISH_CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.mo"
CONFIRMATION_LINK = re.compile(r"https?://\S+/cuentas/confirm-email/\S+?/(?=\s|$)", re.M)


def submit(form) -> None:
    form.locator("[type=submit]").last.click()


def signup_form(page):
    return page.locator("form").filter(has=page.locator("[name=password1]"))


def logged_in(page):
    return page.locator("header").get_by_role("link", name="Mi cuenta")


def log_out(page) -> None:
    page.locator("header").get_by_role("button", name="Salir").click()
    expect(page.locator("header").get_by_role("link", name="Entrar")).to_be_visible()


def test_a_person_signs_up_confirms_logs_in_and_switches_language(
    page, live_server, mailoutbox, privacy_notice
):
    email = "maria.lopez@ejemplo.mx"

    page.goto(reverse("account_signup"))
    form = signup_form(page)
    form.locator("[name=full_name]").fill("María López")
    form.locator("[name=email]").fill(email)
    form.locator("[name=password1]").fill(PASSWORD)
    form.locator("[name=password2]").fill(PASSWORD)
    form.get_by_label(re.compile("aviso de privacidad", re.I)).check()
    submit(form)

    # The site asks to check the inbox; nobody is logged in yet.
    expect(page).to_have_url(re.compile(re.escape(reverse("account_email_verification_sent"))))
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("correo", re.I))
    expect(logged_in(page)).to_have_count(0)
    user = User.objects.get(email=email)
    assert user.full_name == "María López"
    assert Consent.objects.filter(user=user, notice=privacy_notice).exists()

    # The live server runs in a thread of this process: its locmem outbox is ours.
    assert [message.to for message in mailoutbox] == [[email]]
    link = CONFIRMATION_LINK.search(mailoutbox[0].body)
    assert link, f"no confirmation link in:\n{mailoutbox[0].body}"
    assert link.group(0).startswith(live_server.url)

    page.goto(link.group(0))
    submit(page.locator("form[action*='confirm-email']"))
    expect(logged_in(page)).to_be_visible()
    assert user.emailaddress_set.get(email=email).verified

    log_out(page)

    page.goto(reverse("account_login"))
    form = page.locator("form").filter(has=page.locator("[name=password]"))
    form.locator("[name=login]").fill(email)
    form.locator("[name=password]").fill(PASSWORD)
    submit(form)
    expect(logged_in(page)).to_be_visible()

    page.locator("header").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The English catalogue is compiled by the build and translated in a later pass:
    # expect whatever it says for the navigation ("Directory" once translated).
    if ENGLISH_CATALOGUE.exists():
        with translation.override("en"):
            directory, my_account = gettext("Directorio"), gettext("Mi cuenta")
        expect(page.get_by_role("navigation").first).to_contain_text(directory)
        expect(page.locator("header").get_by_role("link", name=my_account)).to_be_visible()

    page.locator("header").get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es-MX")
    expect(page.get_by_role("navigation").first).to_contain_text("Directorio")

    log_out(page)
    expect(logged_in(page)).to_have_count(0)


def test_sign_up_without_consent_is_refused_in_the_browser(page, mailoutbox, privacy_notice):
    page.goto(reverse("account_signup"))
    form = signup_form(page)
    form.locator("[name=full_name]").fill("Sin Consentimiento")
    form.locator("[name=email]").fill("sin.consentimiento@ejemplo.mx")
    form.locator("[name=password1]").fill(PASSWORD)
    form.locator("[name=password2]").fill(PASSWORD)
    # The browser's own check would stop the submit before the server sees it; the
    # server must refuse too, so the `required` attribute is taken away.
    form.locator("[name=accept_privacy]").evaluate("box => box.removeAttribute('required')")
    submit(form)

    expect(page).to_have_url(re.compile(re.escape(reverse("account_signup"))))
    expect(signup_form(page)).to_contain_text("aviso de privacidad")
    assert not User.objects.filter(email="sin.consentimiento@ejemplo.mx").exists()
    assert mailoutbox == []
