"""The full-text index behind the directory search (migration 0005): it finds
what ``LIKE '% stem%'`` found, and stays in step with every way an
organisation's search text is written, on SQLite (an FTS5 table kept by
triggers) and on PostgreSQL (a generated tsvector column with a GIN index).
"""

from __future__ import annotations

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from polo.directory import services, text
from polo.directory.models import SEARCH_INDEX_TABLE, Organization, Theme
from tests import factories as f
from tests.directory.helpers_io import (  # noqa: F401 (fixtures)
    csv_bytes,
    media_root_fixture,
    preview_id,
    upload,
)
from tests.directory.helpers_public import organization as make_organization
from tests.directory.helpers_public import result_names

pytestmark = pytest.mark.django_db

URL = "/directorio/"


def found(client, query: str, **params) -> set[str]:
    response = client.get(URL, {"q": query, **params})
    assert response.status_code == 200
    return set(result_names(response.content))


def by_like(query: str) -> set[int]:
    """What the search found before the index: every stem as the start of a word."""
    rows = Organization.objects.all()
    for term in text.search_terms(query):
        rows = rows.filter(search_text__contains=f" {term}")
    return set(rows.values_list("pk", flat=True))


def by_index(query: str) -> set[int]:
    return set(Organization.objects.matching(query).values_list("pk", flat=True))


def assert_index_in_step() -> None:
    """The index holds exactly the organisations' current search text."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # FTS5 compares its index with the content table, row by row, and
            # raises "database disk image is malformed" on any difference.
            cursor.execute(
                f"INSERT INTO {SEARCH_INDEX_TABLE}({SEARCH_INDEX_TABLE}, rank) "
                "VALUES ('integrity-check', 1)"
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM directory_organization "
                "WHERE search_vector IS DISTINCT FROM "
                "strip(to_tsvector('simple'::regconfig, search_text))"
            )
            assert cursor.fetchone()[0] == 0


# --- the same results as the LIKE ----------------------------------------------


@pytest.fixture
def varied(municipality, other_municipality):
    rights = f.ThemeFactory(slug="derechos-prueba", name="Derechos humanos")
    return [
        make_organization(
            "Casa de los Niños de Oaxaca A.C.", acronym="CANO", municipality=municipality
        ),
        make_organization("Colectivo Mujeres Mixtecas", municipality=other_municipality),
        make_organization("Red por la Mujer Indígena A.C.", municipality=municipality),
        make_organization(
            "Centro Regional Tlachinollan",
            description="Defensa de los derechos humanos en La Montaña desde 1994.",
            municipality=other_municipality,
        ),
        make_organization("Jóvenes del Río", themes=[rights], municipality=municipality),
        make_organization(
            "Educación Popular 2030",
            description="Niñas, niños y adolescentes; educación a distancia.",
            municipality=municipality,
        ),
        make_organization("Ñuu Savi", description="Pueblo mixteco.", municipality=municipality),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "mujer",
        "mujeres",
        "MUJERES",
        "nino",
        "Niños",
        "niñas",
        "educacion",
        "Educación",
        "edu",
        "derechos humanos",
        "humanos derechos",
        "1994",
        "19",
        "2030",
        "ñuu",
        "nuu savi",
        "cano",
        "tlachinollan montaña",
        "mixtec",
        "pueblo",
        "zzz",
    ],
)
def test_it_finds_what_the_like_found(varied, query):
    assert by_index(query) == by_like(query)


def test_random_words_and_queries_find_the_same_as_the_like(municipality):
    rng = random.Random(3)
    syllables = ["ma", "ri", "co", "ña", "tl", "xo", "ch", "ui", "á", "é", "1", "9"]
    words = ["".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(60)]
    for _n in range(40):
        make_organization(
            " ".join(rng.sample(words, 3)),
            description=" ".join(rng.sample(words, 8)),
            municipality=municipality,
        )
    queries = [
        " ".join(rng.sample(words, rng.randint(1, 2)))[: rng.randint(2, 12)] for _ in range(80)
    ]
    for query in queries:
        assert by_index(query) == by_like(query), query


@pytest.mark.parametrize(
    "query",
    [
        '"mujeres',
        "mujer*",
        "NEAR(mujeres colectivo)",
        "mujeres OR niños",
        "mujeres AND NOT niños",
        "-mujeres",
        "search_text:mujeres",
        "^mujeres",
        "mujeres & !niños",
        "mujeres | niños",
        "mujeres <-> colectivo",
        "'mujeres'",
        "mujeres:*",
        "(mujeres",
        "\\mujeres",
        "mujeres\x00",
        "ｍｕｊｅｒｅｓ",
    ],
)
def test_query_syntax_in_the_text_is_just_text(as_visitor, varied, query):
    assert found(as_visitor, query) == {
        o.name for o in Organization.objects.filter(pk__in=by_like(query))
    }


def test_a_query_of_only_stop_words_and_punctuation_lists_everything(as_visitor, varied):
    assert len(found(as_visitor, "de la y *** ---")) == len(varied)


def test_the_lookup_refuses_what_is_not_a_search_term(varied):
    with pytest.raises(ValueError):
        list(Organization.objects.filter(search_text__words=('mujer" OR "x',)))


# --- kept in step with every write -------------------------------------------------


def test_a_new_organisation_is_found_at_once(as_visitor, municipality):
    make_organization("Colectivo Tequio Vivo", municipality=municipality)
    assert found(as_visitor, "tequio") == {"Colectivo Tequio Vivo"}
    assert_index_in_step()


def test_an_edit_is_found_by_its_new_words_and_no_longer_by_the_old(
    as_visitor, coordinator, municipality
):
    org = make_organization("Colectivo Tequio Vivo", municipality=municipality)
    water = Theme.objects.get(slug="agua-alimentacion")
    services.organization_update(
        organization=org,
        by=coordinator,
        changes={"name": "Colectivo Guelaguetza", "themes": [water]},
    )
    assert found(as_visitor, "tequio") == set()
    assert found(as_visitor, "guelaguetza") == {"Colectivo Guelaguetza"}
    assert found(as_visitor, water.name) == {"Colectivo Guelaguetza"}
    assert_index_in_step()


def test_organisations_written_in_bulk_are_found(as_visitor, municipality):
    # As the demo and the import write them: search fields worked out first.
    new = [
        Organization(
            name=f"Cooperativa Cafetalera {n}", municipality=municipality, status="published"
        )
        for n in range(30)
    ]
    for org in new:
        org.refresh_search_fields(theme_names=["Desarrollo económico"])
    Organization.objects.bulk_create(new)
    assert len(found(as_visitor, "cafetalera economico")) == 20  # a page of 30
    assert len(by_index("cafetalera")) == 30
    assert_index_in_step()


def test_an_update_of_the_search_text_in_bulk_is_followed(as_visitor, municipality):
    # As the admin writes it after saving the themes (QuerySet.update).
    org = make_organization("Colectivo Tequio Vivo", municipality=municipality)
    org.refresh_search_fields(theme_names=["Soberanía alimentaria"])
    Organization.objects.filter(pk=org.pk).update(search_text=org.search_text)
    assert found(as_visitor, "soberania") == {"Colectivo Tequio Vivo"}
    assert_index_in_step()


def test_an_unchanged_save_leaves_the_index_as_it_was(as_visitor, municipality):
    org = make_organization("Colectivo Tequio Vivo", municipality=municipality)
    org.save()
    org.save(update_fields=["kind"])
    assert found(as_visitor, "tequio") == {"Colectivo Tequio Vivo"}
    assert_index_in_step()


def test_a_deleted_organisation_leaves_the_index(as_visitor, municipality):
    gone = make_organization("Colectivo Tequio Vivo", municipality=municipality)
    stays = make_organization("Tequio Comunitario", municipality=municipality)
    f.MembershipFactory(organization=gone)  # a cascade goes with it
    gone.delete()
    assert found(as_visitor, "tequio") == {"Tequio Comunitario"}
    assert by_index("vivo") == set()
    assert_index_in_step()
    stays.delete()
    assert by_index("tequio") == set()
    assert_index_in_step()


def test_archiving_takes_an_organisation_out_of_the_search(as_visitor, coordinator, organization):
    services.organization_archive(organization=organization, by=coordinator)
    assert found(as_visitor, "mujeres valles") == set()
    assert by_index("mujeres valles") == {organization.pk}  # still indexed, not published
    assert_index_in_step()


def test_a_merge_is_found_with_what_it_brought_and_the_merged_record_is_not(
    as_visitor, coordinator, municipality
):
    keep = make_organization("Mujeres de los Valles A.C.", municipality=municipality)
    drop = make_organization(
        "MUJERES DE LOS VALLES",
        municipality=municipality,
        description="Parteras tradicionales de la Sierra Sur.",
        themes=[Theme.objects.get(slug="salud")],
    )
    services.organization_merge(keep=keep, drop=drop, by=coordinator)
    assert found(as_visitor, "parteras") == {"Mujeres de los Valles A.C."}
    assert found(as_visitor, "salud valles") == {"Mujeres de los Valles A.C."}
    assert found(as_visitor, "mujeres valles") == {"Mujeres de los Valles A.C."}
    assert_index_in_step()


@pytest.mark.usefixtures("media_root")
def test_an_import_is_found_once_published(as_coordinator, municipality):
    rows = [
        ["Colectivo Luna Nueva", "colectivo", "Oaxaca de Juárez", "Oaxaca", "", "Salud"],
        ["Red Sol de Mañana", "colectivo", "Oaxaca de Juárez", "Oaxaca", "", "Educación"],
    ]
    job_id = preview_id(upload(as_coordinator, csv_bytes(rows)))
    response = as_coordinator.post(
        reverse("directory:import_confirm", args=[job_id]), {"publish": "on"}
    )
    assert response.status_code == 302, response.content[:500]
    assert found(as_coordinator, "luna salud") == {"Colectivo Luna Nueva"}
    assert found(as_coordinator, "manana educ") == {"Red Sol de Mañana"}
    assert_index_in_step()


# --- the migration -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_index_migrations_go_back_and_forth(municipality):
    org = make_organization("Colectivo Tequio Vivo", municipality=municipality)

    def index_exists() -> bool:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name LIKE %s",
                    [f"{SEARCH_INDEX_TABLE}%"],
                )
            else:
                cursor.execute(
                    "SELECT count(*) FROM information_schema.columns "
                    "WHERE table_name = 'directory_organization' AND column_name = 'search_vector'"
                )
            return cursor.fetchone()[0] > 0

    quiet = {"verbosity": 0, "stdout": StringIO()}
    call_command("migrate", "directory", "0004", **quiet)
    assert not index_exists()
    make_organization("Tequio Comunitario", municipality=municipality)  # written without it
    call_command("migrate", "directory", **quiet)
    assert index_exists()
    assert by_index("tequio") == {org.pk, Organization.objects.get(name="Tequio Comunitario").pk}
    assert_index_in_step()
