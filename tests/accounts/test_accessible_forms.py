"""Every form on the account pages: labelled fields, errors tied to their inputs,
one h1, Polo's layout, Spanish."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.accounts.conftest import SIGNUP_URL, signup_data
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


class FormAudit(HTMLParser):
    """Collects the fields, labels, ids and headings of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self.h1_count = 0
        self._open_labels = 0
        self.wrapped: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "h1":
            self.h1_count += 1
        if tag == "label":
            self._open_labels += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        if tag in ("input", "select", "textarea"):
            kind = attributes.get("type", "text")
            if kind not in ("hidden", "submit", "button"):
                attributes["_wrapped"] = "yes" if self._open_labels else None
                attributes["_tag"] = tag
                self.fields.append(attributes)

    def handle_endtag(self, tag):
        if tag == "label":
            self._open_labels -= 1


def audit(response) -> FormAudit:
    assert response.status_code == 200
    parser = FormAudit()
    parser.feed(response.content.decode())
    return parser


def assert_accessible(response) -> FormAudit:
    page = audit(response)
    html = response.content.decode()
    assert page.h1_count == 1, "one h1 per page"
    assert 'class="site-header"' in html, "inside Polo's layout"
    assert 'lang="es-MX"' in html
    assert page.fields, "the page has a form"
    for field in page.fields:
        name = field.get("name")
        labelled = field.get("id") in page.label_for or field["_wrapped"] or field.get("aria-label")
        assert labelled, f"field {name!r} has no label"
        for ref in (field.get("aria-describedby") or "").split():
            assert ref in page.ids, f"field {name!r} points to missing #{ref}"
        if field.get("aria-invalid") == "true":
            assert f"{field['id']}_error" in (field.get("aria-describedby") or ""), (
                f"the error of {name!r} is not tied to it"
            )
    return page


def invalid_fields(page: FormAudit) -> set[str]:
    return {f["name"] for f in page.fields if f.get("aria-invalid") == "true"}


def test_the_sign_up_form_with_errors(db):
    response = Client().post(
        SIGNUP_URL, signup_data(full_name="<b>", password2="otra-cosa-123", accept_privacy=None)
    )
    page = assert_accessible(response)
    assert {"full_name", "password2", "accept_privacy"} <= invalid_fields(page)


def test_the_login_form_with_errors(participant):
    response = Client().post("/cuentas/login/", {"login": "no-es-correo", "password": ""})
    page = assert_accessible(response)
    assert {"login", "password"} <= invalid_fields(page)


@pytest.mark.parametrize(
    "path",
    [
        "/cuentas/login/",
        "/cuentas/signup/",
        "/cuentas/password/reset/",
    ],
)
def test_the_entrance_forms(path, db):
    assert_accessible(Client().get(path))


@pytest.mark.parametrize(
    "path",
    [
        "/cuentas/password/change/",
        "/cuentas/email/",
        "/cuenta/editar/",
        "/cuenta/cancelar/",
        "/cuenta/aviso-de-privacidad/aceptar/",
        "/cuentas/reauthenticate/",
    ],
)
def test_the_account_forms(as_participant, path):
    assert_accessible(as_participant.get(path))


def test_the_password_reset_form_with_errors(db):
    page = assert_accessible(Client().post("/cuentas/password/reset/", {"email": "x"}))
    assert invalid_fields(page) == {"email"}


def test_the_two_factor_code_form(facilitator):
    client = Client()
    client.post("/cuentas/login/", {"login": facilitator.email, "password": PASSWORD})
    page = assert_accessible(client.post("/cuentas/2fa/authenticate/", {"code": "1"}))
    assert invalid_fields(page) == {"code"}


def test_the_email_form_with_errors(as_participant):
    response = as_participant.post("/cuentas/email/", {"action_add": "", "email": "no-es-correo"})
    page = assert_accessible(response)
    assert "email" in invalid_fields(page)
