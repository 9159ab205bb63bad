"""The managed taxonomies of populations and languages, and the backfill of the
search fields, as migration 0004 leaves them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from polo.directory.models import Language, Organization, Population
from tests import factories as f

pytestmark = pytest.mark.django_db

migration = importlib.import_module("polo.directory.migrations.0004_populations_languages")


def test_the_populations_are_there_in_spanish_and_english():
    names = dict(Population.objects.values_list("slug", "name"))

    assert len(names) == 13
    assert names["mujeres"] == "Mujeres"
    assert names["poblacion-lgbti"] == "Población LGBTI+"
    assert names["personas-afromexicanas"] == "Personas afromexicanas"
    assert not Population.objects.filter(name_en="").exists()


def test_spanish_is_the_one_language_that_is_not_indigenous():
    assert list(Language.objects.filter(is_indigenous=False).values_list("code", flat=True)) == [
        "espanol"
    ]
    assert Language.objects.filter(is_indigenous=True).count() == 22
    assert Language.objects.get(code="mixteco").name == "Mixteco (tu'un savi)"
    assert Language.objects.get(code="tlapaneco").name == "Tlapaneco (me'phaa)"
    assert Language.objects.filter(code="otra-indigena").exists()


def test_every_indigenous_language_names_its_inali_family():
    families = {code: family for code, _n, _e, indigenous, family in migration.LANGUAGES}

    assert families["nahuatl"] == "Yuto-nahua"
    assert families["mixe"] == families["zoque"] == "Mixe-zoque"
    assert all(
        family for code, family in families.items() if code not in ("espanol", "otra-indigena")
    )


def test_running_the_migration_again_restores_names_and_keeps_links(municipality):
    organization = f.OrganizationFactory(municipality=municipality)
    women = Population.objects.get(slug="mujeres")
    organization.populations.add(women)
    Population.objects.filter(pk=women.pk).update(name="Mujeres (renombrado)")

    migration.create_taxonomies(django_apps, None)

    assert Population.objects.get(pk=women.pk).name == "Mujeres"
    assert Population.objects.count() == 13
    assert list(organization.populations.all()) == [women]


def test_the_backfill_fills_the_search_fields_written_without_them(municipality):
    health = f.ThemeFactory(slug="salud", name="Salud")
    organization = f.OrganizationFactory(
        name="Niños Sanos de Oaxaca, A.C.", acronym="NSO", municipality=municipality
    )
    organization.themes.add(health)
    Organization.objects.filter(pk=organization.pk).update(
        search_name="", search_text="", name_key=""
    )

    migration.backfill_search_fields(django_apps, None)

    organization.refresh_from_db()
    assert organization.name_key == "ninos oaxaca sanos"
    assert " ninos " in organization.search_name
    assert " salud " in organization.search_text
    assert Organization.objects.search("niño").filter(pk=organization.pk).exists()
