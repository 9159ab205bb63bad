"""The directory's text search, sorting and pagination, through the page.

Search forgives accents, case and Spanish word forms, reaches the name, the
acronym, the description and the themes, and ranks name matches first. Bad
parameters never break the page: they are dropped and explained.
"""

from __future__ import annotations

import pytest

from polo.directory.models import Organization
from tests import factories as f
from tests.directory.helpers_public import heading_count, organization, result_names

pytestmark = pytest.mark.django_db

URL = "/directorio/"


@pytest.fixture
def catalogue(municipality, other_municipality):
    rights = f.ThemeFactory(slug="derechos-humanos-prueba", name="Derechos humanos")
    water = f.ThemeFactory(slug="agua-prueba", name="Agua y saneamiento")
    return {
        "ninos": organization(
            "Casa de los Niños de Oaxaca A.C.", acronym="CANO", municipality=municipality
        ),
        "mujeres": organization("Colectivo Mujeres Mixtecas", municipality=other_municipality),
        "mujer": organization("Red por la Mujer Indígena A.C.", municipality=municipality),
        "prodh": organization(
            "Centro Regional Tlachinollan",
            description="Defensa de los derechos humanos en La Montaña.",
            municipality=other_municipality,
        ),
        "jovenes": organization(
            "Jóvenes del Río", themes=[rights, water], municipality=municipality
        ),
        "agua": organization("Agua para Todos", municipality=municipality),
        "otro": organization(
            "Observatorio Ciudadano",
            description="Vigila el uso del agua de la ciudad.",
            municipality=municipality,
        ),
        "borrador": organization(
            "Niños del Borrador", municipality=municipality, status=Organization.Status.DRAFT
        ),
    }


def search(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return result_names(response.content)


def test_without_a_query_it_lists_every_published_organisation_by_name(as_visitor, catalogue):
    names = search(as_visitor)
    assert names == sorted(names, key=str.casefold) or names == sorted(names)
    assert len(names) == 7
    assert "Niños del Borrador" not in names


@pytest.mark.parametrize("query", ["nino", "NIÑOS", "niños", "Nino"])
def test_it_ignores_accents_and_case(as_visitor, catalogue, query):
    assert search(as_visitor, q=query) == ["Casa de los Niños de Oaxaca A.C."]


def test_mujer_finds_mujeres_and_mujeres_finds_mujer(as_visitor, catalogue):
    expected = {"Colectivo Mujeres Mixtecas", "Red por la Mujer Indígena A.C."}
    assert set(search(as_visitor, q="mujer")) == expected
    assert set(search(as_visitor, q="mujeres")) == expected


def test_derechos_humanos_reaches_names_descriptions_and_themes(as_visitor, catalogue):
    assert set(search(as_visitor, q="derechos humanos")) == {
        "Centro Regional Tlachinollan",  # in its description
        "Jóvenes del Río",  # through its theme
    }


def test_it_finds_an_organisation_by_its_acronym(as_visitor, catalogue):
    assert search(as_visitor, q="cano") == ["Casa de los Niños de Oaxaca A.C."]


def test_a_comma_in_the_query_is_just_punctuation(as_visitor, catalogue):
    assert search(as_visitor, q="Casa de los Niños, Oaxaca") == ["Casa de los Niños de Oaxaca A.C."]


def test_every_word_must_match(as_visitor, catalogue):
    assert search(as_visitor, q="mujeres mixtecas") == ["Colectivo Mujeres Mixtecas"]
    assert search(as_visitor, q="mujeres oaxaca") == []


def test_name_matches_rank_above_description_and_theme_matches(as_visitor, catalogue):
    names = search(as_visitor, q="agua")
    assert names[0] == "Agua para Todos"
    assert set(names[1:]) == {"Jóvenes del Río", "Observatorio Ciudadano"}


def test_an_unpublished_organisation_is_never_found(as_coordinator, catalogue):
    assert "Niños del Borrador" not in search(as_coordinator, q="niños")


def test_no_results_says_so_and_offers_the_whole_directory(as_visitor, catalogue):
    response = as_visitor.get(URL, {"q": "zzzzqqq"})
    content = response.content.decode()
    assert heading_count(content) == 0
    assert "No encontramos organizaciones" in content
    assert f'<a href="{URL}">' in content


# --- Sorting ------------------------------------------------------------------


@pytest.fixture
def dated(municipality):
    return [
        organization("Beta", founded_year=1990, municipality=municipality),
        organization("Alfa", founded_year=2010, municipality=municipality),
        organization("Gamma", founded_year=2000, municipality=municipality),
    ]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alfa", "Beta", "Gamma"]),
        ("-name", ["Gamma", "Beta", "Alfa"]),
        ("founded", ["Beta", "Gamma", "Alfa"]),
    ],
)
def test_it_sorts_as_asked(as_visitor, dated, sort, expected):
    assert search(as_visitor, sort=sort) == expected


def test_recently_updated_first(as_visitor, dated):
    dated[0].save()  # Beta, touched last
    assert search(as_visitor, sort="-updated")[0] == "Beta"


def test_the_sort_form_shows_the_current_order(as_visitor, dated):
    content = as_visitor.get(URL, {"sort": "founded"}).content.decode()
    assert '<option value="founded" selected>' in content


# --- Pagination ---------------------------------------------------------------


@pytest.fixture
def many(municipality):
    theme = f.ThemeFactory(slug="salud-prueba", name="Salud")
    Organization.objects.bulk_create(
        Organization(
            name=f"Organización {n:02d}",
            kind=Organization.Kind.CSO,
            status=Organization.Status.PUBLISHED,
            municipality=municipality,
        )
        for n in range(45)
    )
    Organization.themes.through.objects.bulk_create(
        Organization.themes.through(organization=org, theme=theme)
        for org in Organization.objects.all()
    )
    return theme


def test_results_come_twenty_to_a_page(as_visitor, many):
    first = search(as_visitor)
    third = search(as_visitor, page=3)
    assert len(first) == 20 and first[0] == "Organización 00"
    assert third == [f"Organización {n}" for n in range(40, 45)]


def test_page_links_keep_the_filters(as_visitor, many):
    content = as_visitor.get(URL, {"theme": "salud-prueba", "sort": "-name", "page": 2}).content
    text = content.decode()
    assert 'href="/directorio/?theme=salud-prueba&amp;sort=-name&amp;page=3"' in text
    # The first page needs no number.
    assert 'href="/directorio/?theme=salud-prueba&amp;sort=-name" hx-get' in text
    assert '<ol class="stack result-list" start="21">' in text
    assert "Página 2 de 3" in text


@pytest.mark.parametrize(
    ("page", "expected_first"),
    [
        ("abc", "Organización 00"),  # not a number: the first page
        ("1.5", "Organización 00"),
        ("9" * 5000, "Organización 00"),  # too long for a number
        ("", "Organización 00"),
        ("99", "Organización 40"),  # past the end: the last page
        ("0", "Organización 40"),
        ("-1", "Organización 40"),
    ],
)
def test_a_page_number_out_of_range_or_not_a_number_still_answers(
    as_visitor, many, page, expected_first
):
    assert search(as_visitor, page=page)[0] == expected_first


def test_one_page_of_results_shows_no_pagination(as_visitor, dated):
    assert 'class="pagination"' not in as_visitor.get(URL).content.decode()


# --- Hostile and broken input -------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "<script>alert(1)</script>"},
        {"q": "x" * 10_000},
        {"q": "\x00\x01 niños \u202e"},
        {"q": "' OR 1=1 --"},
        {"q": "%"},
        {"q": "_"},
        {"kind": "bogus"},
        {"kind": "<script>"},
        {"municipality": "abc"},
        {"municipality": "2006'7"},
        {"state": "9999"},
        {"theme": '"><img src=x onerror=alert(1)>'},
        {"region": "x" * 500},
        {"sort": "DROP TABLE"},
        {"page": "-1"},
        {"theme": [f"t{n}" for n in range(200)]},
    ],
)
def test_hostile_parameters_never_break_the_page(as_visitor, catalogue, params):
    response = as_visitor.get(URL, params)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)" not in content
    assert "<img src=x" not in content


def test_a_script_in_the_query_comes_back_escaped(as_visitor, catalogue):
    content = as_visitor.get(URL, {"q": "<script>alert(1)</script>"}).content.decode()
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in content


def test_a_too_long_query_is_cut_and_explained(as_visitor, catalogue):
    content = as_visitor.get(URL, {"q": "niños " + "x" * 10_000}).content.decode()
    assert "La búsqueda es demasiado larga" in content
    assert 'maxlength="200"' in content


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "bogus"}, "Valor no válido para «kind»: bogus"),
        ({"municipality": "abc"}, "Valor no válido para «municipality»: abc"),
        ({"sort": "bogus"}, "Orden no válido: bogus"),
    ],
)
def test_a_value_that_cannot_be_right_is_dropped_with_a_polite_note(
    as_visitor, catalogue, params, message
):
    content = as_visitor.get(URL, params).content.decode()
    assert message in content
    assert "No pudimos usar parte de la búsqueda" in content
    assert heading_count(content) == 7  # the rest of the search still runs


def test_an_unknown_slug_simply_finds_nothing(as_visitor, catalogue):
    content = as_visitor.get(URL, {"theme": "no-existe"}).content.decode()
    assert heading_count(content) == 0
    assert "No pudimos usar" not in content


def test_names_typed_with_html_are_shown_as_text(as_visitor, municipality):
    organization("<b>Negritas</b> & Cía", municipality=municipality)
    content = as_visitor.get(URL).content.decode()
    assert "&lt;b&gt;Negritas&lt;/b&gt; &amp; Cía" in content


def test_the_search_page_refuses_writes(as_visitor):
    assert as_visitor.post(URL, {"q": "x"}).status_code == 405
