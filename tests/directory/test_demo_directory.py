"""`polo demo` gives every demo organisation realistic details: populations,
languages, coverage, contacts, registry keys, networks, alliances, key communities."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.db.models import Count, F, Q

from polo import demo
from polo.directory.models import (
    CLUNI_RE,
    RFC_RE,
    Alliance,
    ContactPoint,
    KeyCommunity,
    NetworkMembership,
    Organization,
)
from polo.territory.models import Community, Region
from tests.demo.conftest import module_db, territory  # noqa: F401

# The organisations' step of the demo, built once for the module on the real
# catalogue (both rolled back when the module ends); the tests read it, and those
# that run the step again do so in their own rolled-back transaction.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("directory_demo")]

Kind = Organization.Kind


def run_directory(scale: demo.Scale | None = None) -> str:
    out = StringIO()
    demo.run(scale=scale or demo.Scale(), stdout=out, steps=["polo.demo.directory"])
    return out.getvalue()


@pytest.fixture(scope="module")
def directory_demo(module_db) -> str:  # noqa: F811
    return run_directory()


def test_every_organisation_has_populations_spanish_and_its_own_municipality(directory_demo):
    output = directory_demo

    organizations = Organization.objects.all()
    assert not organizations.filter(populations__isnull=True).exists()
    assert organizations.filter(languages__code="espanol").count() == organizations.count()
    assert not organizations.exclude(coverage_municipalities=F("municipality")).exists()
    most = organizations.annotate(n=Count("populations")).order_by("-n").first().n
    assert most <= 2
    assert "alianzas" in output


def test_indigenous_languages_are_common_in_la_montana_and_rare_in_puebla():
    def share(slug: str) -> float:
        here = Organization.objects.filter(municipality__region__slug=slug)
        indigenous = here.filter(languages__is_indigenous=True).distinct().count()
        return indigenous / here.count()

    assert share("montana") > 0.5
    assert share("puebla") < share("montana")
    montana = Organization.objects.filter(
        municipality__region__slug="montana", languages__is_indigenous=True
    )
    assert set(montana.values_list("languages__code", flat=True)) - {"espanol"} <= {
        "tlapaneco",
        "nahuatl",
        "mixteco",
        "amuzgo",
    }


def test_coverage_stays_in_the_region_and_networks_cover_their_state():
    links = Organization.coverage_municipalities.through.objects
    outside = links.filter(organization__municipality__region__isnull=False).exclude(
        municipality__region=F("organization__municipality__region")
    )
    assert links.count() > Organization.objects.count()
    assert not outside.exists()
    for network in Organization.objects.of_kind(Kind.NETWORK):
        assert set(network.coverage_regions.all()) == set(
            Region.objects.filter(state=network.municipality.state)
        )


def test_contacts_mix_public_and_private_and_never_use_a_real_domain():
    contacts = ContactPoint.objects.all()
    emails = contacts.filter(kind="email")
    assert emails.filter(is_public=True).count() > 0.7 * emails.count()
    phones = contacts.filter(kind="phone")
    assert phones.filter(is_public=False).exists() and phones.filter(is_public=True).exists()
    assert contacts.filter(kind="address", is_public=True).exists()
    assert contacts.filter(kind="facebook").count() > 0.4 * Organization.objects.count()
    assert all(e.endswith(".polo.demo") for e in emails.values_list("value", flat=True))
    assert not contacts.filter(kind="website").exclude(value__endswith=".polo.demo").exists()
    assert (
        Organization.objects.filter(contacts__kind="email", contacts__is_public=True)
        .distinct()
        .count()
        > 0.6 * Organization.objects.count()
    )


def test_many_csos_have_a_valid_unique_rfc_and_cluni():
    csos = Organization.objects.of_kind(Kind.CSO)
    rfcs = list(csos.exclude(rfc="").values_list("rfc", flat=True))
    clunis = list(csos.exclude(cluni="").values_list("cluni", flat=True))
    assert len(rfcs) > 0.5 * csos.count() and len(clunis) > 0.3 * csos.count()
    assert len(set(rfcs)) == len(rfcs) and len(set(clunis)) == len(clunis)
    assert all(RFC_RE.match(rfc) for rfc in rfcs)
    assert all(CLUNI_RE.match(cluni) for cluni in clunis)
    assert not Organization.objects.exclude(kind=Kind.CSO).exclude(rfc="").exists()
    assert csos.filter(legal_form="ac").count() > 0.7 * csos.count()
    for org in Organization.objects.filter(latitude__isnull=False)[:50]:
        assert 14 < org.latitude < 33 and -119 < org.longitude < -86


def test_each_state_network_has_15_to_40_members_of_its_state():
    for network in Organization.objects.of_kind(Kind.NETWORK):
        members = NetworkMembership.objects.filter(network=network)
        assert 15 <= members.count() <= 40, network
        assert not members.exclude(member__municipality__state=network.municipality.state).exists()
        assert not members.filter(start_date__isnull=True).exists()


def test_about_150_alliances_most_confirmed_by_both_and_none_doubled():
    alliances = list(Alliance.objects.all())
    assert 120 <= len(alliances) <= 150
    confirmed = [a for a in alliances if a.is_confirmed]
    assert len(confirmed) > 0.65 * len(alliances)
    assert any(not a.is_confirmed for a in alliances)
    pairs = Counter(frozenset((a.source_id, a.target_id)) for a in alliances)
    assert max(pairs.values()) == 1
    assert all(a.source_id != a.target_id for a in alliances)


def test_three_to_six_key_communities_per_region_with_their_reasons():
    for region in Region.objects.all():
        keys = KeyCommunity.objects.filter(community__municipality__region=region)
        assert 3 <= keys.count() <= 6, region
        assert all(key.reason for key in keys)
        assert not keys.exclude(community__source=Community.Source.INEGI).exists()
    assert Community.objects.filter(is_key=True).count() == KeyCommunity.objects.count()
    montana = KeyCommunity.objects.filter(community__municipality__region__slug="montana")
    assert montana.filter(languages__isnull=False).exists()
    linked = KeyCommunity.objects.filter(organizations__isnull=False).distinct()
    assert linked.exists()
    for key in linked:
        assert not key.organizations.exclude(municipality=key.community.municipality).exists()


def test_details_lost_are_drawn_again_the_same_and_the_rest_is_not_touched():
    before = sorted(ContactPoint.objects.values_list("organization__name", "kind", "value"))
    victim = Organization.objects.filter(contacts__isnull=False).order_by("name").first()
    ContactPoint.objects.filter(organization=victim).delete()
    untouched = ContactPoint.objects.exclude(organization=victim).order_by("pk").last().pk

    output = run_directory()

    after = sorted(ContactPoint.objects.values_list("organization__name", "kind", "value"))
    assert after == before
    assert not ContactPoint.objects.filter(pk__lte=untouched, organization=victim).exists()
    assert "0 alianzas" in output


def test_the_national_scale_gives_every_organisation_its_details():
    run_directory(demo.Scale(name="national", national_size=3000))

    organizations = Organization.objects.all()
    assert organizations.count() == 3000
    assert not organizations.filter(
        Q(populations__isnull=True) | Q(languages__isnull=True)
    ).exists()
    assert not organizations.filter(coverage_municipalities__isnull=True).exists()
    with_contacts = organizations.filter(contacts__isnull=False).distinct().count()
    assert with_contacts > 0.9 * organizations.count()
