"""Agreements in a browser: axe on the public accountability pages, an agreement
and a commitment's timeline (with a disputed update)."""

from __future__ import annotations

from django.urls import reverse

from polo.agreements.models import CommitmentUpdate
from tests.agreements import conftest as world
from tests.browser.axe import assert_all_accessible

# The agreements' world, as fixtures here too.
agreement = world.agreement
authority = world.authority
authority_commitment = world.authority_commitment
cso_commitment = world.cso_commitment
party = world.party


def test_the_public_pages_are_accessible(
    page, agreement, authority, authority_commitment, cso_commitment, region, db
):
    CommitmentUpdate.objects.create(
        commitment=authority_commitment,
        party=party(agreement, authority),
        status="fulfilled",
        note="Reglamento publicado en la gaceta.",
        link="https://ejemplo.mx/gaceta",
        review="disputed",
        dispute_reason="Falta la publicación oficial.",
        reviewed_party=party(agreement, cso_commitment.responsible.organization),
    )
    assert_all_accessible(
        page,
        {
            "list": reverse("agreements:index"),
            "region": reverse("agreements:region", args=[region.slug]),
            "authority": reverse("agreements:authority", args=[authority.pk]),
            "agreement": agreement.get_absolute_url(),
            "commitment": authority_commitment.get_absolute_url(),
        },
    )
