"""Only public fields of published organisations, and the same for every role:
staff see private contacts and drafts on the site, never through the API."""

from __future__ import annotations

import json

import pytest

from tests import factories as f
from tests.api.conftest import (
    ARCHIVED_NAME,
    DRAFT_NAME,
    PENDING_NAME,
    PRIVATE_VALUES,
)

ROLES = ["visitor", "participant", "editor", "facilitator", "other_facilitator", "coordinator"]
HIDDEN_NAMES = (DRAFT_NAME, PENDING_NAME, ARCHIVED_NAME, "(duplicado)")


def every_url(directory) -> list[str]:
    urls = [
        "/api/v1/",
        "/api/v1/organizations?page_size=100",
        "/api/v1/organizations?q=mujeres",
        "/api/v1/organizations?theme=api-mujeres&page_size=100",
        "/api/v1/organizations?municipality=20067",
        "/api/v1/organizations?sort=-updated",
        "/api/v1/themes",
        "/api/v1/populations",
        "/api/v1/languages",
        "/api/v1/regions",
        "/api/v1/municipalities",
        "/api/v1/openapi.json",
    ]
    urls += [f"/api/v1/organizations/{org.pk}" for org in _organizations(directory)]
    urls += [f"/api/v1/organizations?q={value}" for value in PRIVATE_VALUES]
    urls += [f"/api/v1/organizations?q={name}" for name in HIDDEN_NAMES]
    return urls


def _organizations(directory):
    keys = ("women", "collective", "network", "draft", "pending", "archived", "merged")
    return [directory[key] for key in keys]


@pytest.fixture
def clients(request):
    return {role: request.getfixturevalue(f"as_{role}") for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_private_contacts_never_appear_in_any_response(request, directory, role):
    client = request.getfixturevalue(f"as_{role}")
    for url in every_url(directory):
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        text = response.content.decode()
        for value in PRIVATE_VALUES:
            assert value not in text, (url, value)
            assert json.dumps(value)[1:-1] not in text, (url, value)  # nor escaped


@pytest.mark.parametrize("role", ROLES)
def test_unpublished_organizations_never_appear(request, directory, role):
    client = request.getfixturevalue(f"as_{role}")
    hidden_ids = {directory[key].pk for key in ("draft", "pending", "archived", "merged")}
    for url in every_url(directory):
        response = client.get(url)
        text = response.content.decode()
        for name in HIDDEN_NAMES:
            assert name not in text, (url, name)
        if url.startswith("/api/v1/organizations?") and response.status_code == 200:
            assert not {item["id"] for item in response.json()["items"]} & hidden_ids


def test_a_search_for_a_private_value_finds_nothing(as_coordinator, directory):
    for value in PRIVATE_VALUES:
        data = as_coordinator.get("/api/v1/organizations", {"q": value}).json()
        assert data["count"] == 0, value


def test_every_role_gets_exactly_what_a_visitor_gets(clients, directory):
    """The editor edits Mujeres de los Valles, the facilitator facilitates its
    region, the coordinator sees everything on the site: through the API, all
    of them get the visitor's answer, byte for byte."""
    for url in every_url(directory):
        expected = clients["visitor"].get(url)
        for role, client in clients.items():
            response = client.get(url)
            assert response.status_code == expected.status_code, (url, role)
            assert response.content == expected.content, (url, role)


def test_unpublished_organizations_are_not_found_even_by_their_editor(as_editor, directory, editor):
    f.MembershipFactory(user=editor, organization=directory["draft"], is_editor=True)
    response = as_editor.get(f"/api/v1/organizations/{directory['draft'].pk}")
    assert response.status_code == 404
