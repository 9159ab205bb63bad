"""Facets with live counts, on data whose counts are worked out by hand.

    org  kind        themes  municipality (region, state)
    o1   cso         A, B    M1 (Valles Centrales, Oaxaca)
    o2   cso         A       M1
    o3   collective  B       M2 (La Montaña, Guerrero)
    o4   network     A, C    M2
    o5   cso         —       M2
    o6   cso (draft) A       M1   never counted

A facet's counts leave its own filter out: with theme=A the theme facet still
shows B and C. Within a facet values combine with OR, across facets with AND.
"""

from __future__ import annotations

import random
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from polo.directory.models import Language, Organization, Population
from polo.directory.selectors import DirectoryFilters
from tests import factories as f
from tests.directory.helpers_public import (
    facet_counts,
    facet_items,
    heading_count,
    organization,
    result_names,
)

pytestmark = pytest.mark.django_db

URL = "/directorio/"
CSO, COLLECTIVE, NETWORK = "cso", "collective", "network"


@pytest.fixture
def data(municipality, other_municipality):
    a = f.ThemeFactory(slug="tema-a", name="Tema A")
    b = f.ThemeFactory(slug="tema-b", name="Tema B")
    c = f.ThemeFactory(slug="tema-c", name="Tema C")
    women = Population.objects.get(slug="mujeres")
    mixteco = Language.objects.get(code="mixteco")
    m1, m2 = municipality, other_municipality
    return {
        "o1": organization(
            "Uno",
            kind=CSO,
            themes=[a, b],
            populations=[women],
            languages=[mixteco],
            municipality=m1,
        ),
        "o2": organization("Dos", kind=CSO, themes=[a], populations=[women], municipality=m1),
        "o3": organization("Tres", kind=COLLECTIVE, themes=[b], municipality=m2),
        "o4": organization(
            "Cuatro", kind=NETWORK, themes=[a, c], languages=[mixteco], municipality=m2
        ),
        "o5": organization("Cinco", kind=CSO, municipality=m2),
        "o6": organization(
            "Seis", kind=CSO, themes=[a], municipality=m1, status=Organization.Status.DRAFT
        ),
    }


def get(client, params=None) -> str:
    if isinstance(params, str):  # a query string, as a browser sends it
        params = QueryDict(params)
    response = client.get(URL, params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_without_filters_every_facet_counts_the_published_organisations(as_visitor, data):
    page = get(as_visitor)
    assert heading_count(page) == 5
    assert facet_counts(page, "kind") == {CSO: 3, COLLECTIVE: 1, NETWORK: 1}
    assert facet_counts(page, "theme") == {"tema-a": 3, "tema-b": 2, "tema-c": 1}
    assert facet_counts(page, "state") == {"20": 2, "12": 3}
    assert facet_counts(page, "region") == {"valles-centrales": 2, "montana": 3}
    assert facet_counts(page, "municipality") == {"20067": 2, "12041": 3}
    assert facet_counts(page, "population") == {"mujeres": 2}
    assert facet_counts(page, "language") == {"mixteco": 2}


def test_a_facet_ignores_its_own_selection_and_applies_the_others(as_visitor, data):
    page = get(as_visitor, {"theme": "tema-a"})
    assert set(result_names(page)) == {"Uno", "Dos", "Cuatro"}
    # Choosing A still shows B and C, with the same counts as before.
    assert facet_counts(page, "theme") == {"tema-a": 3, "tema-b": 2, "tema-c": 1}
    # The other facets count within theme A.
    assert facet_counts(page, "kind") == {CSO: 2, NETWORK: 1}
    assert facet_counts(page, "state") == {"20": 2, "12": 1}
    assert facet_counts(page, "population") == {"mujeres": 2}


def test_values_of_one_facet_combine_with_or(as_visitor, data):
    page = get(as_visitor, "theme=tema-a&theme=tema-b")
    assert set(result_names(page)) == {"Uno", "Dos", "Tres", "Cuatro"}
    assert heading_count(page) == 4  # Uno has both themes and counts once


def test_different_facets_combine_with_and(as_visitor, data):
    page = get(as_visitor, {"theme": "tema-a", "kind": CSO})
    assert set(result_names(page)) == {"Uno", "Dos"}
    assert facet_counts(page, "kind") == {CSO: 2, NETWORK: 1}  # within theme A
    assert facet_counts(page, "theme") == {"tema-a": 2, "tema-b": 1}  # within CSOs; no C
    assert facet_counts(page, "municipality") == {"20067": 2}


def test_facets_count_within_the_text_search(as_visitor, data):
    page = get(as_visitor, {"q": "cuatro"})
    assert result_names(page) == ["Cuatro"]
    assert facet_counts(page, "theme") == {"tema-a": 1, "tema-c": 1}
    assert facet_counts(page, "kind") == {NETWORK: 1}


def test_selected_values_are_checked_and_their_link_removes_them(as_visitor, data):
    page = get(as_visitor, {"theme": "tema-a", "kind": CSO})
    items = facet_items(page, "theme")
    count, checked, url = items["tema-a"]
    assert checked and url == "/directorio/?kind=cso"
    count, checked, url = items["tema-b"]
    assert not checked and url == "/directorio/?kind=cso&theme=tema-a&theme=tema-b"


def test_a_selected_value_that_finds_nothing_stays_visible_to_be_removed(as_visitor, data):
    page = get(as_visitor, {"theme": "tema-c", "kind": COLLECTIVE})
    assert heading_count(page) == 0
    assert facet_items(page, "theme")["tema-c"] == (0, True, "/directorio/?kind=collective")
    assert facet_items(page, "kind")[COLLECTIVE][:2] == (0, True)
    assert "Tema C" in page  # named, not shown as its slug


def test_an_unknown_selected_value_shows_as_typed_with_a_zero(as_visitor, data):
    page = get(as_visitor, {"theme": "no-existe"})
    assert facet_items(page, "theme")["no-existe"][:2] == (0, True)


def test_every_facet_link_round_trips_through_the_url(as_visitor, data):
    """Following a facet's link gives the page whose filters the link names, and
    the filters read back from that page's own links are the same."""
    page = get(as_visitor, {"q": "o", "theme": "tema-a", "sort": "name"})
    url = facet_items(page, "kind")[NETWORK][2]
    params = QueryDict(urlsplit(url).query)
    filters = DirectoryFilters.from_params(params)
    assert filters == DirectoryFilters(q="o", kind=(NETWORK,), theme=("tema-a",), sort="name")
    following = get(as_visitor, params)
    assert facet_items(following, "kind")[NETWORK][1] is True
    back = facet_items(following, "kind")[NETWORK][2]
    assert dict(parse_qsl(urlsplit(back).query)) == {"q": "o", "theme": "tema-a", "sort": "name"}


def test_the_form_is_a_plain_get_form_that_works_without_javascript(as_visitor, data):
    page = get(as_visitor)
    assert '<form id="directory-form"' in page and 'method="get" action="/directorio/"' in page
    assert 'role="search"' in page
    assert page.count('form="directory-form"') >= 10  # the facets' checkboxes, the button
    assert "Aplicar filtros</button>" in page
    assert '<fieldset class="facet">' in page and "<legend>Tema</legend>" in page
    # What the browser submits when two boxes are ticked is what the links make.
    assert set(result_names(get(as_visitor, "kind=cso&kind=network&sort=relevance&q="))) == {
        "Uno",
        "Dos",
        "Cinco",
        "Cuatro",
    }


def test_active_filters_are_listed_each_with_a_link_that_removes_it(as_visitor, data):
    page = get(as_visitor, {"q": "uno", "theme": "tema-a", "state": "20"})
    assert "Filtros en uso:" in page
    assert 'href="/directorio/?theme=tema-a&amp;state=20"' in page  # without the text
    assert 'href="/directorio/?q=uno&amp;state=20" hx-get' in page  # without the theme
    assert "Tema: Tema A" in page and "Estado: Oaxaca" in page
    assert '<a href="/directorio/">Quitar todos</a>' in page


def test_the_municipality_facet_shows_the_top_twenty_and_the_selected_ones(as_visitor, region):
    places = [
        f.MunicipalityFactory(code=f"20{n + 100:03d}", name=f"Municipio {n:02d}", region=region)
        for n in range(25)
    ]
    for place in places:
        organization(f"Org de {place.name}", municipality=place)
    organization("Otra en el 00", municipality=places[0])
    last = places[-1]
    page = get(as_visitor, {"municipality": last.code})
    counts = facet_counts(page, "municipality")
    assert len(counts) == 21  # the top 20, and the selected one beyond them
    assert counts[places[0].code] == 2  # the largest first
    assert facet_items(page, "municipality")[last.code][:2] == (1, True)
    assert "Los 20 municipios con más resultados." in page


def test_facet_labels_typed_with_html_are_escaped(as_visitor, municipality):
    theme = f.ThemeFactory(slug="raro", name="<i>cursiva</i>")
    organization("Con tema raro", themes=[theme], municipality=municipality)
    page = get(as_visitor)
    assert "&lt;i&gt;cursiva&lt;/i&gt;" in page and "<i>cursiva</i>" not in page


def test_english_readers_see_english_theme_names(client, data):
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    women = Population.objects.get(slug="mujeres")
    assert women.name_en and women.name_en in page


# --- htmx --------------------------------------------------------------------


def test_an_htmx_request_gets_only_the_results_and_the_live_count(as_visitor, data):
    response = as_visitor.get(URL, {"theme": "tema-a"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content and "<form" not in content
    assert '<h2 id="resultados-titulo">3 organizaciones encontradas</h2>' in content
    assert '<p id="directory-status" hx-swap-oob="innerHTML">3 organizaciones' in content
    assert facet_counts(content, "theme") == {"tema-a": 3, "tema-b": 2, "tema-c": 1}
    assert "HX-Request" in response["Vary"]


def test_the_full_page_has_the_live_region_and_the_htmx_wiring(as_visitor, data):
    page = get(as_visitor)
    assert '<p id="directory-status" class="visually-hidden" role="status"' in page
    assert 'hx-get="/directorio/" hx-target="#directory-results" hx-push-url="true"' in page
    assert 'hx-trigger="submit, change, change from:#directory-results"' in page
    assert "hx-swap-oob" not in page  # only fragments carry the out-of-band count
    assert "HX-Request" in as_visitor.get(URL)["Vary"]


def test_restoring_history_gets_the_whole_page(as_visitor, data):
    response = as_visitor.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


# --- Many filters at once, against counts worked out one organisation at a time ---


@pytest.fixture
def crowd(municipality, other_municipality):
    """Forty organisations with every kind of attribute drawn at random, in three
    municipalities of two states (one without a region), some unpublished."""
    rng = random.Random(7)
    guerrero = other_municipality.state
    places = [municipality, other_municipality, f.MunicipalityFactory(code="12001", state=guerrero)]
    themes = [f.ThemeFactory(slug=f"tema-{i}", name=f"Tema {i}") for i in range(4)]
    populations = list(Population.objects.order_by("pk")[:3])
    languages = list(Language.objects.order_by("pk")[:3])
    words = ["agua", "mujeres", "salud", "tierra"]
    for i in range(40):
        organization(
            f"Organización {i} por {' y '.join(rng.sample(words, 2))}",
            kind=rng.choice([CSO, COLLECTIVE, NETWORK]),
            municipality=rng.choice(places),
            themes=rng.sample(themes, rng.randint(0, 2)),
            populations=rng.sample(populations, rng.randint(0, 2)),
            languages=rng.sample(languages, rng.randint(0, 1)),
            status=Organization.Status.DRAFT if i % 9 == 0 else Organization.Status.PUBLISHED,
        )


def _expected(params: dict) -> dict[str, dict[str, int]]:
    """Each facet's counts: the published organisations that match the text and
    every filter but the facet's own, by value, one organisation at a time."""
    values = {
        "kind": lambda o: [o.kind],
        "theme": lambda o: [t.slug for t in o.themes.all()],
        "population": lambda o: [p.slug for p in o.populations.all()],
        "language": lambda o: [lang.code for lang in o.languages.all()],
        "state": lambda o: [o.municipality.state.code],
        "region": lambda o: [o.municipality.region.slug] if o.municipality.region else [],
        "municipality": lambda o: [o.municipality.code],
    }
    matching = set(Organization.objects.matching(params.get("q", "")).values_list("pk", flat=True))
    rows = [
        o
        for o in Organization.objects.published().select_related("municipality__state")
        if o.pk in matching
    ]
    counts: dict[str, dict[str, int]] = {}
    for facet, of in values.items():
        counts[facet] = {}
        for org in rows:
            if all(
                set(values[name](org)) & set(wanted)
                for name, wanted in params.items()
                if name not in ("q", facet)
            ):
                for value in of(org):
                    counts[facet][value] = counts[facet].get(value, 0) + 1
    return counts


@pytest.mark.parametrize(
    "params",
    [
        {"kind": [CSO]},
        {"q": "agua", "theme": ["tema-1"]},
        {"theme": ["tema-0", "tema-2"], "state": ["20"]},
        {"q": "mujeres", "kind": [CSO, NETWORK], "state": ["12"], "language": ["mixteco"]},
        {"kind": [CSO], "theme": ["tema-3"], "population": ["mujeres"], "municipality": ["12001"]},
        {
            "q": "salud",
            "kind": [COLLECTIVE, CSO],
            "theme": ["tema-1", "tema-2"],
            "region": ["montana"],
            "population": ["mujeres", "ninas-ninos"],
        },
    ],
)
def test_with_many_filters_each_facet_counts_what_the_others_leave(as_visitor, crowd, params):
    page = get(as_visitor, params)
    expected = _expected(params)
    assert any(expected.values())  # not a page of zeros
    for facet, counts in expected.items():
        shown = facet_counts(page, facet)
        selected = params.get(facet, [])
        # Every value with organisations, and the selected ones even with none.
        assert shown == {**dict.fromkeys(selected, 0), **counts}, facet


# --- A fixed number of queries -----------------------------------------------


def _bulk(municipality, other_municipality, start: int, stop: int) -> None:
    """Organisations start..stop-1, each with themes, a population and a language
    (in bulk: the search fields computed as save() would)."""
    themes = [f.ThemeFactory(slug=f"tema-{i}", name=f"Tema {i}") for i in range(4)]
    women = Population.objects.get(slug="mujeres")
    mixteco = Language.objects.get(code="mixteco")
    new = []
    for i in range(start, stop):
        org = Organization(
            name=f"Organización para las mujeres {i}",
            kind=[CSO, COLLECTIVE, NETWORK][i % 3],
            status=Organization.Status.PUBLISHED,
            municipality=[municipality, other_municipality][i % 2],
        )
        org.refresh_search_fields(theme_names=[t.name for t in themes[: 1 + i % 4]])
        new.append((org, themes[: 1 + i % 4]))
    Organization.objects.bulk_create([org for org, _themes in new])
    themes_through = Organization.themes.through
    populations_through = Organization.populations.through
    languages_through = Organization.languages.through
    themes_through.objects.bulk_create(
        themes_through(organization=org, theme=theme) for org, chosen in new for theme in chosen
    )
    populations_through.objects.bulk_create(
        populations_through(organization=org, population=women) for org, _chosen in new
    )
    languages_through.objects.bulk_create(
        languages_through(organization=org, language=mixteco) for org, _chosen in new
    )


def _queries(client, params) -> int:
    """The queries of the page with its facets counted afresh (bulk writes, as
    here, send no signal that would let cached counts go)."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, params).status_code == 200
    return len(context.captured_queries)


# The results (1: their number comes with the kind facet's counts), the themes
# of the page's results (1), the seven facets in one statement (1), the names of
# the selected values (1).
MAX_QUERIES = 4
SEARCHES = [
    {},
    {"q": "mujeres", "theme": ["tema-0", "tema-1"], "state": "20"},
    {"kind": CSO, "municipality": "20067", "language": "mixteco", "page": "2"},
]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": CSO},
        {"kind": [CSO, NETWORK]},
        {"kind": [COLLECTIVE, "other"]},
        {"theme": "tema-a"},
        {"theme": ["tema-a", "tema-c"], "kind": CSO},
        {"region": "valles-centrales", "kind": [CSO, COLLECTIVE]},
        {"q": "dos"},
        {"kind": "network", "theme": "tema-b"},
    ],
)
def test_the_heading_counts_what_the_search_finds(as_visitor, data, params):
    """The page takes its total from the kind facet's counts (every organisation
    has one kind) rather than counting again: it must be the search's count,
    with or without kinds chosen."""
    from polo.directory.selectors import organization_search

    expected = organization_search(DirectoryFilters.from_params(_qd(params))).count()
    page = as_visitor.get(URL, params)
    assert heading_count(page.content) == expected
    assert len(result_names(page.content)) == min(expected, 20)


def _qd(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


@pytest.mark.parametrize("params", SEARCHES)
def test_the_page_does_the_same_few_queries_with_5_or_60_organisations(
    as_visitor, municipality, other_municipality, django_assert_max_num_queries, params
):
    _bulk(municipality, other_municipality, 0, 5)
    with django_assert_max_num_queries(MAX_QUERIES):
        few = _queries(as_visitor, params)
    _bulk(municipality, other_municipality, 5, 60)
    assert Organization.objects.count() == 60
    with django_assert_max_num_queries(MAX_QUERIES):
        many = _queries(as_visitor, params)
    assert few == many


def test_a_signed_in_person_adds_only_the_session_user_and_privacy_notice_queries(
    as_participant, municipality, other_municipality, django_assert_max_num_queries
):
    _bulk(municipality, other_municipality, 0, 30)
    with django_assert_max_num_queries(MAX_QUERIES + 3):
        as_participant.get(URL, SEARCHES[1])


def test_cached_counts_change_as_soon_as_the_directory_does(client, municipality):
    """The facet counts are cached per search; publishing, archiving or
    re-theming an organisation lets them go at once."""
    from polo.directory import facets

    health = f.ThemeFactory(slug="salud-cache", name="Salud")
    water = f.ThemeFactory(slug="agua-cache", name="Agua")
    first = f.OrganizationFactory(municipality=municipality)
    first.themes.set([health])

    def theme_counts() -> dict[str, int]:
        counts = facets.facet_counts(DirectoryFilters())["theme"]
        return {slug: n for slug, (_label, _detail, n) in counts.items()}

    assert theme_counts() == {"salud-cache": 1}
    second = f.OrganizationFactory(municipality=municipality)
    second.themes.set([health])
    assert theme_counts() == {"salud-cache": 2}
    second.themes.set([water])
    assert theme_counts() == {"salud-cache": 1, "agua-cache": 1}
    first.status = Organization.Status.ARCHIVED
    first.save()
    assert theme_counts() == {"agua-cache": 1}
    # The page reads the same counts.
    page = client.get("/directorio/")
    assert page.status_code == 200
    assert "Agua" in page.content.decode()
