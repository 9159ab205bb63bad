"""Who reaches each accounts page: visitors are sent to sign in; every signed-in
role reaches their own account, and only their own."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ["participant", "editor", "facilitator", "other_facilitator", "coordinator"]

OWN_ACCOUNT_PAGES = [
    "accounts:profile",
    "accounts:profile_edit",
    "accounts:my_data",
    "accounts:cancel",
    "accounts:privacy_notice_accept",
]
PUBLIC_PAGES = [
    ("accounts:privacy_notice", {}),
    ("accounts:privacy_notice_version", {"version": "2026-11"}),
    ("accounts:cancelled", {}),
]


@pytest.fixture
def people(participant, editor, facilitator, other_facilitator, coordinator):
    return {
        "participant": participant,
        "editor": editor,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "coordinator": coordinator,
    }


@pytest.mark.parametrize("name", OWN_ACCOUNT_PAGES)
def test_visitors_are_sent_to_sign_in(as_visitor, name):
    url = reverse(name)
    response = as_visitor.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/cuentas/login/?next=")


@pytest.mark.parametrize("name", OWN_ACCOUNT_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_reaches_its_own_account(request, people, role, name):
    client = request.getfixturevalue(f"as_{role}")
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
@pytest.mark.parametrize("role", ["visitor", *ROLES])
def test_the_notice_and_the_cancellation_confirmation_are_public(
    request, people, role, name, kwargs
):
    client = request.getfixturevalue(f"as_{role}")
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


@pytest.mark.parametrize("name", ["accounts:profile", "accounts:my_data"])
@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_only_its_own_data(request, people, role, name):
    client = request.getfixturevalue(f"as_{role}")
    body = client.get(reverse(name)).content.decode()
    for other_role, person in people.items():
        if other_role == role:
            assert person.email in body
        else:
            assert person.email not in body
            assert person.full_name not in body


@pytest.mark.parametrize("role", ROLES)
def test_nobody_can_post_to_read_only_pages(request, people, role):
    client = request.getfixturevalue(f"as_{role}")
    assert client.post(reverse("accounts:profile")).status_code == 405
    assert client.post(reverse("accounts:my_data")).status_code == 405
