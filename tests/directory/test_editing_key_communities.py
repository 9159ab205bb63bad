"""Key communities (A1.2): marked by the facilitators of their region or coordinators."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.directory.models import KeyCommunity, Language
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(municipality):
    return f.CommunityFactory(
        municipality=municipality, name="San Martín Mexicápam", code="200670042", population=4200
    )


def url(community) -> str:
    return reverse("directory:key_community_edit", args=[community.pk])


def test_a_facilitator_marks_a_community_of_their_region_as_key(
    as_facilitator, facilitator, community, organization
):
    zapotec = Language.objects.get(code="zapoteco")
    page = as_facilitator.get(url(community))
    assert page.status_code == 200
    assert organization in page.context["form"].fields["organizations"].queryset

    response = as_facilitator.post(
        url(community),
        {
            "reason": "Asambleas comunitarias activas y migración juvenil.",
            "notes": "Agencia municipal; escuela secundaria.",
            "languages": [zapotec.pk],
            "organizations": [organization.pk],
        },
    )

    assert response.status_code == 302
    key = KeyCommunity.objects.get(community=community)
    assert key.reason == "Asambleas comunitarias activas y migración juvenil."
    assert list(key.languages.all()) == [zapotec]
    assert list(key.organizations.all()) == [organization]
    community.refresh_from_db()
    assert community.is_key
    history = key.history.order_by("history_date", "history_id")
    assert [row.history_type for row in history] == ["+", "~"]
    assert history.last().history_user == facilitator


def test_editing_again_changes_it_and_unmarking_keeps_the_community(
    as_coordinator, community, organization
):
    as_coordinator.post(url(community), {"reason": "Primera razón."})

    as_coordinator.post(url(community), {"reason": "Razón corregida."})
    assert KeyCommunity.objects.get().reason == "Razón corregida."

    response = as_coordinator.post(url(community), {"accion": "quitar"})
    assert response.status_code == 302
    community.refresh_from_db()
    assert not community.is_key
    assert not KeyCommunity.objects.exists()


def test_a_reason_is_required(as_coordinator, community):
    response = as_coordinator.post(url(community), {"reason": "  \u200b "})

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not KeyCommunity.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("participant", 403), ("editor", 403), ("other_facilitator", 403)]
)
def test_others_cannot_mark_key_communities(request, persona, status, community):
    client = request.getfixturevalue(f"as_{persona}")

    assert client.get(url(community)).status_code == status
    assert client.post(url(community), {"reason": "Porque sí."}).status_code == status
    assert not KeyCommunity.objects.exists()


def test_an_organisation_from_elsewhere_cannot_be_linked(
    as_coordinator, community, other_municipality
):
    stranger = f.OrganizationFactory(municipality=other_municipality)

    response = as_coordinator.post(
        url(community), {"reason": "Razón.", "organizations": [stranger.pk]}
    )

    assert response.status_code == 200
    assert "organizations" in response.context["form"].errors


def test_an_unknown_community_is_not_found(as_coordinator):
    assert (
        as_coordinator.get(reverse("directory:key_community_edit", args=[987654])).status_code
        == 404
    )
