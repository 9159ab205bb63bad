"""The audit trail of bulk writes, copied by the database (polo.audit.bulk): the
same historical rows simple-history would write object by object."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from polo.audit.bulk import record_history, record_m2m_history
from polo.core.bulk import insert_rows, update_rows
from polo.directory.models import ContactPoint, Organization, Theme
from tests import factories as f

WHEN = dt.datetime(2026, 11, 27, 10, 30, 15, 123456, tzinfo=dt.UTC)


@pytest.fixture
def themes(db):
    return list(Theme.objects.order_by("pk")[:2])


def test_a_historical_row_copies_every_tracked_field_with_the_date_type_user_and_reason(
    organization, coordinator
):
    organization.description = "Texto <b>tal cual</b> con acentos: niñez"
    organization.founded_year = 1998
    Organization.objects.bulk_update([organization], ["description", "founded_year"])
    before = organization.history.count()

    record_history(
        Organization,
        [organization.pk],
        history_type="~",
        when=WHEN,
        user=coordinator,
        reason="Importación: a.csv",
    )

    assert organization.history.count() == before + 1
    record = organization.history.order_by("-history_id").first()
    assert record.history_type == "~"
    assert record.history_date == WHEN
    assert record.history_user == coordinator
    assert record.history_change_reason == "Importación: a.csv"
    assert record.description == "Texto <b>tal cual</b> con acentos: niñez"
    assert record.founded_year == 1998
    assert record.municipality_id == organization.municipality_id
    assert record.name == organization.name
    assert record.instance.pk == organization.pk


def test_only_the_given_rows_are_recorded_and_without_a_user_none_is_stored(db, municipality):
    chosen = f.OrganizationFactory(municipality=municipality)
    other = f.OrganizationFactory(municipality=municipality)
    counts = {org.pk: org.history.count() for org in (chosen, other)}

    record_history(Organization, [chosen.pk], history_type="+", when=timezone.now())

    assert chosen.history.count() == counts[chosen.pk] + 1
    assert other.history.count() == counts[other.pk]
    assert chosen.history.order_by("-history_id").first().history_user is None


def test_many_rows_are_recorded_in_batches(db, municipality):
    contacts = ContactPoint.objects.bulk_create(
        [
            ContactPoint(
                organization=f.OrganizationFactory(municipality=municipality),
                kind="email",
                value=f"c{n}@ejemplo.mx",
                is_public=True,
            )
            for n in range(3)
        ]
        + [
            ContactPoint(
                organization_id=Organization.objects.first().pk,
                kind="web",
                value=f"https://e{n}.mx",
                is_public=False,
            )
            for n in range(1_100)
        ]
    )
    record_history(ContactPoint, [contact.pk for contact in contacts], history_type="+", when=WHEN)
    assert ContactPoint.history.filter(history_date=WHEN).count() == 1_103
    sample = ContactPoint.history.filter(history_date=WHEN, value="https://e7.mx").get()
    assert sample.is_public is False and sample.kind == "web"


def test_the_many_to_many_state_goes_with_the_historical_row_of_its_date_and_type(
    organization, themes
):
    through = Organization.themes.through
    insert_rows(through, ["organization_id", "theme_id"], [(organization.pk, t.pk) for t in themes])
    record_history(Organization, [organization.pk], history_type="~", when=WHEN)
    record_m2m_history(Organization, [organization.pk], history_type="~", when=WHEN)

    record = organization.history.get(history_date=WHEN)
    assert sorted(record.themes.values_list("theme_id", flat=True)) == [t.pk for t in themes]
    older = organization.history.exclude(history_date=WHEN)
    assert all(not old.themes.exists() for old in older)


def test_insert_rows_writes_plain_rows_and_counts_them(organization, themes):
    through = Organization.themes.through
    written = insert_rows(
        through, ["organization_id", "theme_id"], ((organization.pk, t.pk) for t in themes)
    )
    assert written == 2
    assert set(organization.themes.all()) == set(themes)


def test_update_rows_writes_the_named_fields_of_each_object_and_no_other(db, municipality):
    first = f.OrganizationFactory(municipality=municipality, description="uno", founded_year=1990)
    second = f.OrganizationFactory(municipality=municipality, description="dos")
    first.description, first.founded_year, first.acronym = "primera", None, "NO"
    second.description, second.latitude = "segunda <script>", Decimal("17.065432")

    assert update_rows([first, second], ["description", "founded_year", "latitude"]) == 2

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.description, first.founded_year, first.acronym) == ("primera", None, "")
    assert second.description == "segunda <script>"
    assert second.latitude == Decimal("17.065432")
    assert update_rows([], ["description"]) == 0
